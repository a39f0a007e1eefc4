from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.core.tests import hostile_files as hostile
from gongshang.recognition.models import RecognitionApplication

from .conftest import jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db


def test_applicant_pages_render(client, employer_user_a, draft):
    client.force_login(employer_user_a)
    for url in ("/recognition/", "/recognition/new/", f"/recognition/{draft.pk}/", f"/recognition/{draft.pk}/edit/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "还缺 5 项材料" in page and "受理时限" not in page


@pytest.fixture
def on_2026_12_05(time_machine):
    """Listed first, so the fixtures after it (the draft and its quick report) are made on that day too."""
    time_machine.move_to(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def test_application_period_in_a_year_not_entered_is_shown_provisional(on_2026_12_05, client, employer_user_a,
                                                                         draft):
    # The tester's case: accident 2026-12-02, employer 30 days end on 元旦 2027 (第二条) → Monday 01-04.
    RecognitionApplication.objects.filter(pk=draft.pk).update(
        accident_at=datetime(2026, 12, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    client.force_login(employer_user_a)
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "申请时限至 2027年01月04日（条例第十七条第一款：用人单位30日）（暂定：2027年放假安排尚未录入" in page
    assert "2027年01月01日" not in page


def test_agency_deadline_shows_the_date_its_days_count_to(time_machine, client, employer_user_a, draft):
    time_machine.move_to(datetime(2027, 1, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    RecognitionApplication.objects.filter(pk=draft.pk).update(
        status="submitted", received_on=date(2027, 1, 25),
        accident_at=datetime(2027, 1, 18, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    client.force_login(employer_user_a)
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "2027-02-09，剩余 20 天" in page and "可延至 2027-02-11" in page


@pytest.mark.time_machine(datetime(2026, 7, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_a_met_deadline_says_done_instead_of_counting_down(client, employer_user_a, draft):
    RecognitionApplication.objects.filter(pk=draft.pk).update(
        status="decided", received_on=date(2026, 6, 17), accepted_on=date(2026, 6, 19), decided_on=date(2026, 6, 30))
    client.force_login(employer_user_a)
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "2026-07-02，已按时办结（2026-06-19）" in page  # 受理时限 met
    assert "已按时办结（2026-06-30）" in page  # 认定时限 met
    assert page.count("剩余") == 1  # only 送达时限 still counts


def test_form_sections_are_numbered_in_order(client, employer_user_a):
    client.force_login(employer_user_a)
    page = client.get("/recognition/new/").content.decode()
    positions = [page.index(f"<h2>{n}、") for n in "一二三四五六"]
    assert positions == sorted(positions)
    assert page.index("hx-post=\"/recognition/checklist/\"") < page.index("<h2>六、经办人信息")


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


def test_start_from_case_is_not_offered_on_a_case_already_applied_for(client, worker, draft, quick_case):
    client.force_login(worker)
    assert "从该案件申请认定" in client.get("/recognition/").content.decode()  # the employer's draft only
    RecognitionApplication.objects.filter(pk=draft.pk).update(status="decided")
    assert "从该案件申请认定" not in client.get("/recognition/").content.decode()
    response = client.post(f"/recognition/start/{quick_case.pk}/", follow=True)
    assert "已有用人单位提出的工伤认定申请（已作出认定）" in response.content.decode()
    assert RecognitionApplication.objects.count() == 1


def test_generated_application_form_says_a_signed_scan_is_expected(client, employer_user_a, draft):
    client.force_login(employer_user_a)
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "本身不计入材料清单" in page and "签名（单位申请的加盖单位公章）后，扫描或拍照作为“工伤认定申请表”上传" in page
    client.post(f"/recognition/{draft.pk}/do/form/")
    page = client.get(f"/recognition/{draft.pk}/").content.decode()
    assert "《工伤认定申请表》第 1 版" in page and "（预填表，不计入材料：签名（单位盖章）后扫描" in page
    assert "✗ 缺少 工伤认定申请表" in page  # the generated PDF does not count: the signed scan does


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


@pytest.fixture
def clock(time_machine):
    """Fixtures after this one are built on a fixed Monday, far from any year end."""
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def test_material_page_refuses_a_polyglot_and_says_why(clock, client, employer_user_a, draft):
    client.force_login(employer_user_a)
    response = client.post(f"/recognition/{draft.pk}/materials/", {
        "kind": "injured_id", "file": SimpleUploadedFile("evil.html", hostile.polyglot_jpeg())}, follow=True)
    assert "材料文件中夹带了网页代码或脚本，请用相机或扫描仪重新生成图片后上传。" in response.content.decode()
    assert not draft.case.documents.filter(kind="injured_id").exists()


def test_materials_are_served_as_sandboxed_attachments(clock, client, employer_user_a, draft, intake):
    from gongshang.recognition.services.materials import application_material_add

    document = application_material_add(actor=employer_user_a, application=draft, kind="injured_id",
                                        upload=SimpleUploadedFile("身份证.html", jpeg_upload().read()))
    url = f"/recognition/{draft.pk}/materials/{document.pk}/"
    client.force_login(employer_user_a)
    assert f'href="{url}" download' in client.get(f"/recognition/{draft.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"file.jpg\"; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81.jpg")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"] == "sandbox"


def test_generated_documents_may_open_inline(clock, client, employer_user_a, draft):
    from gongshang.recognition.services.documents import application_form_generate

    record = application_form_generate(actor=employer_user_a, application=draft)
    client.force_login(employer_user_a)
    url = f"/recognition/{draft.pk}/documents/{record.pk}/"
    shown, saved = client.get(url), client.get(url + "?download=1")
    assert shown["Content-Type"] == saved["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline; ") and saved["Content-Disposition"].startswith("attachment; ")
    assert "filename*=UTF-8''%E5%B7%A5%E4%BC%A4" in saved["Content-Disposition"]  # 工伤认定申请表-<code>.pdf
    # Our own PDF is not sandboxed (the browser's PDF viewer must run); the site-wide policy still applies.
    assert shown["X-Content-Type-Options"] == "nosniff" and "sandbox" not in shown["Content-Security-Policy"]


def test_checklist_names_no_other_city_and_no_internal_note(client, employer_user_a):
    from gongshang.recognition.rules import codes

    client.force_login(employer_user_a)
    for circumstance in codes.CIRCUMSTANCES:
        body = client.post("/recognition/checklist/", {
            "circumstance": circumstance, "treatments": list(codes.TREATMENTS), "died": "on",
            "applicant_kind": "relative", "by_agent": "on"}).content.decode()
        for word in ("seed", "RULES.md", "长春", "吉林"):
            assert word not in body, (circumstance, word)
