from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from gongshang.recognition.models import RecognitionApplication

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_applicant_pages_render(client, employer_user_a, draft):
    client.force_login(employer_user_a)
    for url in ("/recognition/", "/recognition/new/", f"/recognition/{draft.pk}/", f"/recognition/{draft.pk}/edit/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "还缺 5 项材料" in page and "受理时限" not in page


def test_live_checklist(client, employer_user_a):
    client.force_login(employer_user_a)
    body = client.post("/recognition/checklist/", {"circumstance": "art14_6", "treatments": ["inpatient"]}).content
    assert "交通事故责任认定书" in body.decode() and "入院记录" in body.decode()


def test_employee_check_fills_the_form(client, employer_user_a, zhang_wei):
    client.force_login(employer_user_a)
    page = client.post("/recognition/new/", {"action": "check", "injured_id_number": "370202198803151237",
                                             "injured_name": "张伟"}).content.decode()
    assert "91370200MA3C5UWK4C" in page
    page = client.post("/recognition/new/", {"action": "check", "injured_id_number": "370211199207084569"}).content
    assert "没有该人员" in page.decode()


def test_start_from_case_and_submit_refusal_lists_missing(client, employer_user_a, quick_case):
    client.force_login(employer_user_a)
    response = client.post(f"/recognition/start/{quick_case.pk}/")
    application = RecognitionApplication.objects.get()
    assert response.status_code == 302 and application.from_quick_report
    client.post(f"/recognition/{application.pk}/materials/", {"kind": "labour_relation", "file": pdf_upload()})
    assert application.case.documents.filter(kind="labour_relation").exists()


def test_other_employer_gets_404(client, employer_user_b, draft):
    client.force_login(employer_user_b)
    assert client.get(f"/recognition/{draft.pk}/").status_code == 404


# Received Wed 2026-06-17: 15 days end on Thu 07-02, a workday, so the list says 剩 15 天 (on a day
# whose 15th day is a rest day the period runs to the next workday and the list shows more).
@pytest.mark.time_machine(datetime(2026, 6, 17, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_staff_lists_and_decision_form(client, employer_user_a, draft, add_materials, intake, reviewer,
                                       staff_factory):
    from gongshang.recognition.services import submission

    add_materials(employer_user_a, draft)
    submission.application_submit(actor=employer_user_a, application=draft)
    client.force_login(intake)
    page = client.get("/recognition/staff/").content.decode()
    assert draft.case.number in page and "剩 15 天" in page
    client.post("/recognition/staff/allocate/", {"ids": [draft.pk], "assignee": intake.pk})
    client.post(f"/recognition/staff/{draft.pk}/accept/")
    assert draft.case.number in client.get("/recognition/staff/mine/").content.decode()
    client.force_login(reviewer)
    client.post(f"/recognition/staff/{draft.pk}/decide/", {"result": "recognized", "article": "", "reasoning": ""})
    draft.refresh_from_db()
    assert draft.status == "accepted"
    client.post(f"/recognition/staff/{draft.pk}/decide/", {"result": "recognized", "reasoning": "事实清楚",
                                                           "article": "《工伤保险条例》第十四条第（一）项"})
    draft.refresh_from_db()
    assert draft.status == "decided"
    outsider = staff_factory("intake", jurisdiction="370100")
    client.force_login(outsider)
    assert client.get(f"/recognition/staff/{draft.pk}/").status_code == 404
    client.force_login(employer_user_a)
    record = draft.documents.get(kind="recognition.decision_recognized")
    response = client.get(f"/recognition/{draft.pk}/documents/{record.pk}/?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    draft.refresh_from_db()
    assert draft.status == "decided"  # opening the file is not a delivery
    response = client.post(f"/recognition/{draft.pk}/documents/{record.pk}/receive/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    draft.refresh_from_db()
    assert draft.status == "delivered" and draft.delivered_on == date(2026, 6, 17)  # 下载并签收
