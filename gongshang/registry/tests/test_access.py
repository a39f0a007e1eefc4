"""Who reads what in the registry (inventory §7.1 items 3–6): the 受理员 of the jurisdiction works
the registry; other staff roles of the same 统筹区 get 403 where they used to get 200; another
employer's or another region's row answers 404."""

import pytest
from django.urls import reverse

from gongshang.accounts.access import allowed_actions, restrict
from gongshang.core.documents.services import document_issue
from gongshang.core.models import AuditEvent, IssuedDocument
from gongshang.registry.models import (
    ContributionRecord,
    Enrolment,
    EnrolmentChange,
    InsuredPerson,
    RosterImport,
)
from gongshang.registry.services.changes import change_confirm, change_submit
from gongshang.registry.tests.certificate_helpers import media  # noqa: F401 (fixture)
from gongshang.registry.tests.factories import ContributionRecordFactory, EnrolmentFactory, valid_id_number
from gongshang.registry.tests.imports_helpers import add_row, sheet_bytes, this_month, upload

pytestmark = pytest.mark.django_db

OTHER_ROLES = ("hotline", "system_admin", "benefits_reviewer")


def addition(n=7, name="王芳"):
    return {"kind": "add_new", "insurance_type": "injury", "effective_month": this_month(),
            "id_number": valid_id_number(n), "name": name}


@pytest.fixture
def change(employer_user_a):
    return change_submit(actor=employer_user_a, data=addition())


# --- item 6: registry API reads ---------------------------------------------------------------------

@pytest.mark.parametrize("role", OTHER_ROLES)
def test_api_reads_refuse_other_staff_roles(api_client, staff_factory, token_for, zhang_wei, change, role):
    headers = token_for(staff_factory(role))
    for url in (f"/api/v1/registry/persons/{zhang_wei.pk}", "/api/v1/registry/changes",
                f"/api/v1/registry/changes/{change.pk}"):
        assert api_client.get(url, **headers).status_code == 403, url


def test_api_reads_open_to_the_intake_desk_of_the_region(api_client, staff_factory, token_for, zhang_wei, change):
    headers = token_for(staff_factory("intake"))
    assert api_client.get(f"/api/v1/registry/persons/{zhang_wei.pk}", **headers).status_code == 200
    assert api_client.get(f"/api/v1/registry/changes/{change.pk}", **headers).status_code == 200
    assert [c["id"] for c in api_client.get("/api/v1/registry/changes", **headers).json()["items"]] == [change.pk]
    outsider = token_for(staff_factory("intake", jurisdiction="220100"))
    assert api_client.get(f"/api/v1/registry/changes/{change.pk}", **outsider).status_code == 404


def test_another_employers_change_is_404(api_client, employer_user_b, token_for, change):
    headers = token_for(employer_user_b)
    assert api_client.get(f"/api/v1/registry/changes/{change.pk}", **headers).status_code == 404
    assert api_client.get("/api/v1/registry/changes", **headers).json()["items"] == []


# --- item 5: roster imports and their error file ------------------------------------------------------

@pytest.fixture
def imported(client, employer_user_a):
    client.force_login(employer_user_a)
    client.post(reverse("registry:import_new"), {"kind": "add", "mode": "all_or_nothing",
                                                 "file": upload(sheet_bytes([add_row(1), add_row(2, 姓名="")]))})
    client.logout()
    roster_import = RosterImport.objects.get()
    assert roster_import.error_file_id is not None
    return roster_import


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_import_pages_and_api_refuse_other_staff_roles(client, api_client, staff_factory, token_for, imported,
                                                       role):
    staff = staff_factory(role)
    client.force_login(staff)
    for name in ("registry:import_detail", "registry:import_progress", "registry:import_error_file"):
        assert client.get(reverse(name, args=[imported.pk])).status_code == 403, name
    assert client.get(reverse("registry:import_list")).status_code == 403
    headers = token_for(staff)
    assert api_client.get(f"/api/v1/registry/roster-imports/{imported.pk}", **headers).status_code == 403
    assert api_client.get(f"/api/v1/registry/roster-imports/{imported.pk}/error-file",
                          **headers).status_code == 403


def test_intake_follows_progress_but_never_downloads_the_error_file(client, api_client, staff_factory, token_for,
                                                                   imported):
    intake = staff_factory("intake")
    client.force_login(intake)
    page = client.get(reverse("registry:import_detail", args=[imported.pk]))
    assert page.status_code == 200 and 'id="download-error-file"' not in page.content.decode()
    assert client.get(reverse("registry:import_error_file", args=[imported.pk])).status_code == 403
    headers = token_for(intake)
    assert api_client.get(f"/api/v1/registry/roster-imports/{imported.pk}", **headers).status_code == 200
    assert api_client.get(f"/api/v1/registry/roster-imports/{imported.pk}/error-file",
                          **headers).status_code == 403
    assert not AuditEvent.objects.filter(event_type="registry.import_error_file_downloaded").exists()


def test_the_uploading_employer_downloads_the_error_file(client, employer_user_a, imported):
    client.force_login(employer_user_a)
    page = client.get(reverse("registry:import_detail", args=[imported.pk])).content.decode()
    assert 'id="download-error-file"' in page
    assert client.get(reverse("registry:import_error_file", args=[imported.pk])).status_code == 200


# --- item 4: certificates pages and the person certificate ---------------------------------------------

@pytest.mark.parametrize("role", OTHER_ROLES)
def test_certificate_pages_and_person_api_refuse_other_staff_roles(client, api_client, staff_factory, token_for,
                                                                   zhang_wei, role):
    staff = staff_factory(role)
    client.force_login(staff)
    assert client.get("/registry/certificates/?q=张伟").status_code == 403
    assert client.post("/registry/certificates/person/", {"person_id": zhang_wei.pk}).status_code == 403
    response = api_client.get("/api/v1/registry/certificates/person/370202198803151237.pdf", **token_for(staff))
    assert response.status_code == 403
    assert not IssuedDocument.objects.exists()


def test_intake_searches_and_prints_a_person_certificate(client, staff_factory, zhang_wei):
    client.force_login(staff_factory("intake"))
    assert "张伟" in client.get("/registry/certificates/?q=张伟").content.decode()
    response = client.post("/registry/certificates/person/", {"person_id": zhang_wei.pk})
    document = IssuedDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse("registry:certificate_issued", args=[document.pk])


# --- item 3: issued documents of other kinds ---------------------------------------------------------------

def issue(kind, actor=None, region="370200"):
    return document_issue(actor=actor, kind=kind, title="测试文书", template_name="documents/plain_document.html",
                          context={"paragraphs": ["测试"]}, holder_summary="张*", region=region)


def test_certificate_pages_open_only_certificate_kinds(client, staff_factory):
    decision = issue("recognition.decision")
    certificate = issue("registry.person_certificate")
    client.force_login(staff_factory("intake", "investigator", "reviewer"))
    for name in ("registry:certificate_issued", "registry:certificate_file"):
        assert client.get(reverse(name, args=[decision.pk])).status_code == 404, name
        assert client.get(reverse(name, args=[certificate.pk])).status_code == 200, name


@pytest.mark.parametrize("role", OTHER_ROLES + ("reviewer",))
def test_certificates_refuse_other_staff_roles(client, staff_factory, role):
    certificate = issue("registry.person_certificate")
    client.force_login(staff_factory(role))
    for name in ("registry:certificate_issued", "registry:certificate_file"):
        assert client.get(reverse(name, args=[certificate.pk])).status_code == 403, name


def test_employer_opens_what_its_handlers_printed_only(client, employer_user_a, employer_user_b):
    own = issue("registry.employer_certificate", actor=employer_user_a)
    other = issue("registry.employer_certificate", actor=employer_user_b)
    decision = issue("recognition.decision", actor=employer_user_a)
    client.force_login(employer_user_a)
    assert client.get(reverse("registry:certificate_issued", args=[own.pk])).status_code == 200
    assert client.get(reverse("registry:certificate_issued", args=[other.pk])).status_code == 404
    assert client.get(reverse("registry:certificate_issued", args=[decision.pk])).status_code == 404


# --- scopes ---------------------------------------------------------------------------------------------

def test_person_scope_employer_reaches_people_it_has_ever_enrolled(employer_user_a, employer_user_b, zhang_wei,
                                                                    li_na, individual_user, staff_factory):
    Enrolment.objects.filter(person=zhang_wei).update(status="terminated")
    assert set(restrict(employer_user_a, InsuredPerson)) == {zhang_wei}
    assert set(restrict(employer_user_b, InsuredPerson)) == {li_na}
    individual_user.person = li_na
    individual_user.save()
    assert set(restrict(individual_user, InsuredPerson)) == {li_na}
    assert set(restrict(staff_factory("intake"), InsuredPerson)) == {zhang_wei, li_na}
    assert not restrict(staff_factory("hotline"), InsuredPerson).exists()
    assert not restrict(staff_factory("intake", jurisdiction="220100"), InsuredPerson).exists()


def test_enrolments_and_contributions_are_each_readers_own(employer_a, employer_b, employer_user_a, zhang_wei,
                                                           individual_user, staff_factory):
    EnrolmentFactory(person=zhang_wei, employer=employer_b)
    ContributionRecordFactory(person=zhang_wei, employer=employer_a)
    ContributionRecordFactory(person=zhang_wei, employer=employer_b)
    assert {e.employer_id for e in restrict(employer_user_a, Enrolment)} == {employer_a.pk}
    assert {c.employer_id for c in restrict(employer_user_a, ContributionRecord)} == {employer_a.pk}
    individual_user.person = zhang_wei
    individual_user.save()
    assert restrict(individual_user, Enrolment).count() == 2  # it used to be unfiltered (no branch)
    assert not restrict(staff_factory("benefits_reviewer"), Enrolment).exists()


def test_change_actions_follow_the_status(employer_user_a, staff_factory, change):
    intake = staff_factory("intake")
    assert {"edit", "withdraw"} <= allowed_actions(employer_user_a, change)
    assert {"confirm", "reject"} <= allowed_actions(intake, change)
    assert "confirm" not in allowed_actions(employer_user_a, change)
    change_confirm(actor=intake, change_id=change.pk)
    change.refresh_from_db()
    assert not allowed_actions(employer_user_a, change) & {"edit", "withdraw", "confirm", "reject"}
    assert allowed_actions(intake, change) == {"view"}
    assert EnrolmentChange.objects.get().status == "confirmed"


def test_hall_pages_by_role(client, staff_factory, zhang_wei):
    client.force_login(staff_factory("intake"))
    assert client.get(reverse("registry:person_detail", args=[zhang_wei.pk])).status_code == 200
    assert "张伟" in client.get(reverse("registry:person_search") + "?q=张伟").content.decode()
    for name in ("registry:employer_overview", "registry:roster", "registry:change_new"):
        assert client.get(reverse(name)).status_code == 403, name  # the employer's own pages
    client.force_login(staff_factory("hotline"))
    assert client.get(reverse("registry:person_detail", args=[zhang_wei.pk])).status_code == 403
    assert client.get(reverse("registry:person_search") + "?q=张伟").status_code == 403
