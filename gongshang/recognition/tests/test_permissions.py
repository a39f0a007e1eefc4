"""Who reaches which application (RecognitionApplication.access, the matrix rows of
"recognition_application", "case_document.*" and "recognition_document"): the over-exposures of
the inventory §7.1 answer 403 to the wrong role of the same 统筹区 and 404 outside it."""

import pytest

from gongshang.accounts.access import allowed_actions, can, restrict
from gongshang.cases.models import CaseDocument
from gongshang.recognition.models import RecognitionApplication, RecognitionDocument
from gongshang.recognition.services import decision, submission
from gongshang.recognition.services import intake as intake_svc

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/recognition/applications"
# Staff of the same 统筹区 whose role has nothing to do with recognition (they used to read it all).
OUTSIDE_ROLES = ("hotline", "system_admin", "security_admin", "audit_admin", "benefits_reviewer",
                 "appraisal_admin", "inspector")


@pytest.fixture
def accepted(employer_user_a, draft, add_materials, intake):
    """Submitted, allocated to `intake`, accepted (an acceptance notice issued), with an
    investigation report in the case's vault."""
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    return intake_svc.application_accept(actor=intake, application=app)


def _urls(app):
    material = CaseDocument.objects.filter(case=app.case, kind="labour_relation").first()
    document = app.documents.first()
    return {
        "api_list": f"{BASE}", "api_detail": f"{BASE}/{app.pk}", "api_checklist": f"{BASE}/{app.pk}/checklist",
        "material_file": f"/recognition/{app.pk}/materials/{material.pk}/",
        "document_file": f"/recognition/{app.pk}/documents/{document.pk}/",
    }


@pytest.mark.parametrize("role", OUTSIDE_ROLES)
def test_other_roles_of_the_same_region_are_refused(role, api_client, client, token_for, staff_factory, accepted):
    officer = staff_factory(role)
    urls = _urls(accepted)
    auth = token_for(officer)
    for name in ("api_list", "api_detail", "api_checklist"):
        assert api_client.get(urls[name], **auth).status_code == 403, name
    client.force_login(officer)
    for name in ("material_file", "document_file"):
        assert client.get(urls[name]).status_code == 403, name


def test_the_desk_of_another_region_gets_404(api_client, client, token_for, staff_factory, accepted):
    officer = staff_factory("reviewer", jurisdiction="370100")
    urls = _urls(accepted)
    auth = token_for(officer)
    assert api_client.get(urls["api_list"], **auth).json()["count"] == 0
    for name in ("api_detail", "api_checklist"):
        assert api_client.get(urls[name], **auth).status_code == 404, name
    client.force_login(officer)
    for name in ("material_file", "document_file"):
        assert client.get(urls[name]).status_code == 404, name


def test_another_employer_gets_404(api_client, client, token_for, employer_user_b, accepted):
    urls = _urls(accepted)
    auth = token_for(employer_user_b)
    assert api_client.get(urls["api_list"], **auth).json()["count"] == 0
    for name in ("api_detail", "api_checklist"):
        assert api_client.get(urls[name], **auth).status_code == 404, name
    client.force_login(employer_user_b)
    for name in ("material_file", "document_file"):
        assert client.get(urls[name]).status_code == 404, name


def test_the_desk_and_the_owner_reach_it(api_client, client, token_for, staff_factory, employer_user_a, accepted):
    urls = _urls(accepted)
    for user in (staff_factory("intake"), staff_factory("investigator"), staff_factory("reviewer"), employer_user_a):
        auth = token_for(user)
        assert api_client.get(urls["api_detail"], **auth).status_code == 200
        assert api_client.get(urls["api_checklist"], **auth).status_code == 200
        client.force_login(user)
        assert client.get(urls["material_file"]).status_code == 200
        assert client.get(urls["document_file"]).status_code == 200


def test_agency_internal_papers_are_404_to_applicants(client, employer_user_a, worker, accepted, reviewer,
                                                      staff_factory):
    investigators = [staff_factory("investigator").pk for _ in range(2)]
    app = decision.application_investigate(actor=reviewer, application=accepted, investigator_ids=investigators)
    report = decision.investigation_report_upload(actor=reviewer, application=app, upload=pdf_upload("r.pdf"))
    url = f"/recognition/{app.pk}/materials/{report.pk}/"
    client.force_login(reviewer)
    assert client.get(url).status_code == 200
    for applicant in (employer_user_a, worker):  # the owner; the worker it is about (sees it once submitted)
        client.force_login(applicant)
        assert client.get(f"/recognition/{app.pk}/").status_code == 200
        assert client.get(url).status_code == 404
        assert report.pk not in restrict(applicant, CaseDocument).values_list("pk", flat=True)


def test_applicants_reach_the_materials_of_the_applications_they_see(worker, employer_user_a, accepted):
    material = CaseDocument.objects.filter(case=accepted.case, kind="labour_relation").get()
    assert can(employer_user_a, material, "view") and can(worker, material, "view")
    documents = RecognitionDocument.objects.filter(application=accepted)
    assert restrict(worker, documents).count() == documents.count() > 0


def test_only_the_owner_changes_it_others_who_see_it_only_view(api_client, token_for, worker, accepted):
    auth = token_for(worker)  # the worker the employer's application is about
    assert api_client.get(f"{BASE}/{accepted.pk}", **auth).status_code == 200
    response = api_client.post(f"{BASE}/{accepted.pk}/withdraw", **auth)
    assert response.status_code == 403 and "不能修改、提交或撤回" in response.json()["message"]
    actions = allowed_actions(worker, accepted)
    assert "view" in actions and not actions & {"edit", "delete", "submit", "resubmit", "withdraw", "receive_decision"}
    assert RecognitionApplication.objects.get(pk=accepted.pk).status == "accepted"


def test_acceptance_decisions_are_the_assignees_or_a_reviewers(employer_user_a, draft, add_materials, intake,
                                                               reviewer, staff_factory):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    other = staff_factory("intake")
    for action in ("accept", "request_correction", "reject"):
        assert not can(other, app, action) and can(intake, app, action) and can(reviewer, app, action)
    assert "accept" not in allowed_actions(other, app)
    assert {"allocate", "accept", "request_correction", "reject"} <= allowed_actions(intake, app)


def test_a_draft_s_materials_stay_with_its_owner_until_it_is_submitted(client, worker, employer_user_a, draft):
    """The worker and the employer may each keep a draft on the same case (条例 第十七条第二款). The
    medical diagnosis in the worker's unsubmitted draft is not the employer's to read, though the
    employer's own draft is on the same case (the case's vault is shared, the draft is not)."""
    from gongshang.recognition.services import drafts
    from gongshang.recognition.services.materials import application_material_add

    mine = drafts.application_create(actor=worker, data={"circumstance": "art14_1"}, case=draft.case)
    diagnosis = application_material_add(actor=worker, application=mine, kind="medical_diagnosis",
                                         upload=pdf_upload("诊断证明.pdf"))
    assert diagnosis.pk not in restrict(employer_user_a, CaseDocument).values_list("pk", flat=True)
    client.force_login(employer_user_a)
    assert client.get(f"/recognition/{draft.pk}/materials/{diagnosis.pk}/").status_code == 404
    assert "诊断证明.pdf" not in client.get(f"/recognition/{draft.pk}/").content.decode()
