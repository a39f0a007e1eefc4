"""Review 5 fixes through pages: expired worker drafts in a staff queue, staff forms, 下载并签收,
agency-internal materials, masked ID with a logged reveal, date bounds on the form."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongshang.core.models import PiiAccessLog
from gongshang.core.tests import hostile_files as hostile
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.services import decision, drafts, submission
from gongshang.recognition.services import intake as intake_svc

from .conftest import pdf_upload
from .test_review_services import WORKER_DATA

pytestmark = pytest.mark.django_db


def _accepted(employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    return intake_svc.application_accept(actor=intake, application=app)


# 5. A worker after one year: refused, listed for staff, extension recorded on the page, then submitted.
def test_worker_after_one_year_is_handled_through_pages(client, worker, zhang_wei, add_materials, intake):
    app = drafts.application_create(actor=worker, data={**WORKER_DATA,
                                                        "accident_at": timezone.now() - timedelta(days=400)})
    add_materials(worker, app)
    client.force_login(worker)
    client.post(f"/recognition/{app.pk}/do/submit/")
    app.refresh_from_db()
    assert (app.status, app.period_status, app.region) == ("draft", "expired", "370200")
    client.force_login(intake)
    assert app.case.number in client.get("/recognition/staff/list/expired/").content.decode()
    page = client.get(f"/recognition/staff/{app.pk}/").content.decode()
    assert 'id="extension-form"' in page
    response = client.post(f"/recognition/staff/{app.pk}/extension/", {"reason": ""})
    assert response.status_code == 422 and "请填写准予延长的理由" in response.content.decode()
    client.post(f"/recognition/staff/{app.pk}/extension/", {"reason": "住院昏迷，不可抗力"})
    assert app.case.number not in client.get("/recognition/staff/list/expired/").content.decode()
    client.force_login(worker)
    client.post(f"/recognition/{app.pk}/do/submit/")
    app.refresh_from_db()
    assert (app.status, app.period_extension_reason) == ("submitted", "住院昏迷，不可抗力")


# 6 + 12. The decision form has no default basis; limits and errors beside the fields; no truncation.
def test_staff_forms_validate_and_show_errors(client, employer_user_a, draft, add_materials, intake, reviewer):
    app = _accepted(employer_user_a, draft, add_materials, intake)
    client.force_login(reviewer)
    page = client.get(f"/recognition/staff/{app.pk}/").content.decode()
    assert ('<input type="text" name="article" maxlength="200" required '
            'aria-describedby="id_decide_article_helptext" id="id_decide_article">') in page  # no value=
    assert page.count('id="id_suspend_reason"') == 1 and 'id="id_reason"' not in page
    response = client.post(f"/recognition/staff/{app.pk}/decide/", {"result": "deemed", "article": "第十五条",
                                                                    "reasoning": "x" * 4001})
    assert response.status_code == 422 and "4000" in response.content.decode()
    response = client.post(f"/recognition/staff/{app.pk}/decide/", {"result": "deemed", "reasoning": "事实清楚",
                                                                    "article": "《工伤保险条例》第十五条第（一）项"})
    assert response.status_code == 422 and "视同工伤仅适用于第十五条规定的情形" in response.content.decode()
    response = client.post(f"/recognition/staff/{app.pk}/suspend/", {"reason": "z" * 501})
    assert response.status_code == 422
    app.refresh_from_db()
    assert (app.status, app.decision_reasoning) == ("accepted", "")


# 13. Opening a decision is not its delivery; 下载并签收 is.
def test_only_download_and_sign_delivers(client, employer_user_a, draft, add_materials, intake, reviewer):
    app = _accepted(employer_user_a, draft, add_materials, intake)
    app = decision.application_decide(actor=reviewer, application=app, result="recognized", reasoning="事实清楚",
                                      article="《工伤保险条例》第十四条第（一）项")
    record = app.documents.get(kind="recognition.decision_recognized")
    client.force_login(employer_user_a)
    assert "下载并签收" in client.get(f"/recognition/{app.pk}/").content.decode()
    assert client.get(f"/recognition/{app.pk}/documents/{record.pk}/").status_code == 200
    assert client.get(f"/recognition/{app.pk}/documents/{record.pk}/receive/").status_code == 405
    app.refresh_from_db()
    assert (app.status, app.delivered_on) == ("decided", None)
    assert client.post(f"/recognition/{app.pk}/documents/{record.pk}/receive/").status_code == 200
    app.refresh_from_db()
    assert (app.status, app.delivered_on) == ("delivered", timezone.localdate())


# 14. The investigation report is the agency's.
def test_applicants_do_not_see_agency_internal_materials(client, employer_user_a, draft, add_materials, intake,
                                                         reviewer, staff_factory):
    app = _accepted(employer_user_a, draft, add_materials, intake)
    inv = staff_factory("investigator")
    app = decision.application_investigate(actor=reviewer, application=app,
                                           investigator_ids=[inv.pk, staff_factory("investigator").pk])
    report = decision.investigation_report_upload(actor=inv, application=app, upload=pdf_upload("report.pdf"))
    client.force_login(employer_user_a)
    assert "调查报告（经办）" not in client.get(f"/recognition/{app.pk}/").content.decode()
    assert client.get(f"/recognition/{app.pk}/materials/{report.pk}/").status_code == 404
    client.force_login(reviewer)
    assert "调查报告（经办）" in client.get(f"/recognition/staff/{app.pk}/").content.decode()
    assert client.get(f"/recognition/{app.pk}/materials/{report.pk}/").status_code == 200


# 15. Masked on the staff page; the reveal is logged.
def test_staff_page_masks_the_id_and_logs_the_reveal(client, employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    submission.application_submit(actor=employer_user_a, application=draft)
    client.force_login(intake)
    page = client.get(f"/recognition/staff/{draft.pk}/").content.decode()
    assert "370202198803151237" not in page and "370202********1237" in page and "查看完整身份证号" in page
    assert PiiAccessLog.objects.count() == 0
    page = client.post(f"/recognition/staff/{draft.pk}/reveal-id/").content.decode()
    assert "370202198803151237" in page
    log = PiiAccessLog.objects.get()
    assert (log.actor_id, log.field, log.target_id) == (intake.pk, "injured_id_number", str(draft.pk))


# 4. The page form never answers 500 for a date out of range.
@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1949-12-31T08:00"])
def test_form_dates_out_of_range_are_field_errors(client, employer_user_a, draft, value):
    client.force_login(employer_user_a)
    response = client.post(f"/recognition/{draft.pk}/edit/", {
        "circumstance": "art14_1", "treatments": ["outpatient"], "handling_region": "370200", "injured_name": "张伟",
        "injured_id_number": "370202198803151237", "accident_at": value})
    assert response.status_code == 422 and "受伤时间不能" in response.content.decode()
    assert RecognitionApplication.objects.get(pk=draft.pk).accident_at == draft.accident_at


# 8. The worker sees the case the employer is applying on, and may start its own application.
def test_worker_list_offers_the_case_with_an_employer_draft(client, worker, draft, quick_case):
    client.force_login(worker)
    assert quick_case.number in client.get("/recognition/").content.decode()
    assert client.post(f"/recognition/start/{quick_case.pk}/").status_code == 302
    assert RecognitionApplication.objects.filter(case=quick_case, status="draft").count() == 2


@pytest.fixture
def clock(time_machine):
    """Fixtures after this one are built on a fixed Monday, far from any year end."""
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def test_refused_investigation_report_is_explained_beside_the_field(clock, client, employer_user_a, draft,
                                                                    add_materials, intake, reviewer, staff_factory):
    app = _accepted(employer_user_a, draft, add_materials, intake)
    inv = staff_factory("investigator")
    decision.application_investigate(actor=reviewer, application=app,
                                     investigator_ids=[inv.pk, staff_factory("investigator").pk])
    client.force_login(inv)
    response = client.post(f"/recognition/staff/{app.pk}/report/",
                           {"file": SimpleUploadedFile("report.pdf", hostile.pdf_open_action_js())})
    assert response.status_code == 422
    page = response.content.decode()
    assert "调查报告文件含有脚本、自动动作或附件，请用“打印为 PDF”另存为普通 PDF 后上传。" in page
    app.refresh_from_db()
    assert app.investigation_report is None
