"""API: status, body and database for each path; another employer's application and staff outside
the jurisdiction answer 404."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.cases.models import CaseDocument
from gongshang.core.models import StoredFile
from gongshang.core.tests import hostile_files as hostile
from gongshang.recognition.models import RecognitionApplication

from .conftest import COMPLETE, jpeg_upload, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/recognition/applications"


def test_create_from_case_then_materials_submit(api_client, token_for, employer_user_a, quick_case, intake,
                                                 reviewer):
    auth = token_for(employer_user_a)
    r = api_client.post(BASE, {"case_id": quick_case.pk, **COMPLETE}, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft" and len(body["checklist"]["missing"]) == 5
    pk = body["id"]
    r = api_client.post(f"{BASE}/{pk}/submit", **auth)
    assert r.status_code == 422 and r.json()["code"] == "materials_missing"
    assert len(r.json()["details"]["missing"]) == 5
    for kind in ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record"):
        r = api_client.post(f"{BASE}/{pk}/materials", {"kind": kind, "file": pdf_upload()}, **auth)
        assert r.status_code == 201, r.content
    assert api_client.get(f"{BASE}/{pk}/checklist", **auth).json()["missing"] == []
    r = api_client.post(f"{BASE}/{pk}/submit", **auth)
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert r.json()["deadlines"]["acceptance_due"]
    staff = token_for(intake)
    assert api_client.post(f"{BASE}/{pk}/allocate", {"assignee": intake.pk}, content_type="application/json",
                           **staff).status_code == 200
    assert api_client.post(f"{BASE}/{pk}/accept", **staff).json()["status"] == "accepted"
    decider = token_for(reviewer)
    r = api_client.post(f"{BASE}/{pk}/decide", {"result": "deemed", "article": "", "reasoning": ""},
                        content_type="application/json", **decider)
    assert r.status_code == 422
    r = api_client.post(f"{BASE}/{pk}/decide", {"result": "recognized", "article": "《工伤保险条例》第十四条第（一）项",
                                                 "reasoning": "事实清楚"}, content_type="application/json",
                        **decider)
    assert r.status_code == 200 and r.json()["status"] == "decided"
    body = api_client.get(f"{BASE}/{pk}", **auth).json()
    assert body["deadlines"]["decision_due"] and body["timeline"][0]["type"] == "recognition.created"
    assert RecognitionApplication.objects.get(pk=pk).decision_result == "recognized"


@pytest.fixture
def on_2027_01_20(time_machine):
    """Listed first, so the fixtures after it are made on that day too."""
    time_machine.move_to(datetime(2027, 1, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def test_deadlines_in_a_year_not_entered_carry_both_candidates(on_2027_01_20, api_client, token_for,
                                                                employer_user_a, draft):
    # Received Monday 2027-01-25: 15 days end Tuesday 02-09, the first estimated 补假 day after 春节
    # (第六条): 02-11 counting 02-09/10 as rest days, 02-09 if they turn out working days.
    RecognitionApplication.objects.filter(pk=draft.pk).update(
        received_on=date(2027, 1, 25), accident_at=datetime(2027, 1, 18, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    body = api_client.get(f"{BASE}/{draft.pk}", **token_for(employer_user_a)).json()["deadlines"]
    assert body["acceptance_due"] == "2027-02-11" and body["provisional"] is True
    assert (body["acceptance"]["due"], body["acceptance"]["earliest"]) == ("2027-02-11", "2027-02-09")
    # Employer's 30 days from 01-18 end on Wednesday 02-17: provisional, one candidate.
    assert body["application_period"] == {
        "due": "2027-02-17", "status": "in_time", "basis": "条例第十七条第一款：用人单位30日", "provisional": True,
        "earliest": None, "message": body["application_period"]["message"]}
    assert "（暂定：2027年放假安排尚未录入" in body["application_period"]["message"]


def test_the_agencys_own_deadline_counts_down_to_the_earlier_candidate(on_2027_01_20, draft):
    """Staff must never be told they have days that the year's holiday notice may take away."""
    from gongshang.recognition import deadlines
    from gongshang.recognition.services.transition import refresh_due

    RecognitionApplication.objects.filter(pk=draft.pk).update(
        status="submitted", received_on=date(2027, 1, 25),
        accident_at=datetime(2027, 1, 18, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    draft.refresh_from_db()
    due = deadlines.acceptance_due(draft)
    assert (due.due, due.earliest, due.days_left) == (date(2027, 2, 11), date(2027, 2, 9), 20)  # 01-20 → 02-09
    assert refresh_due(draft).due_on == date(2027, 2, 9)


def test_other_employer_and_other_jurisdiction_get_404(api_client, token_for, draft, employer_user_b,
                                                         staff_factory):
    assert api_client.get(f"{BASE}/{draft.pk}", **token_for(employer_user_b)).status_code == 404
    assert api_client.put(f"{BASE}/{draft.pk}", {"body_part": "x"}, content_type="application/json",
                          **token_for(employer_user_b)).status_code == 404
    outsider = staff_factory("intake", "reviewer", jurisdiction="370100")
    assert api_client.post(f"{BASE}/{draft.pk}/accept", **token_for(outsider)).status_code == 404


def test_bad_input_answers_422_naming_the_field(api_client, token_for, employer_user_a, draft):
    auth = token_for(employer_user_a)
    r = api_client.put(f"{BASE}/{draft.pk}", {"injured_mobile": "123", "circumstance": "zz",
                                              "accident_at": "not-a-date"}, content_type="application/json", **auth)
    assert r.status_code == 422
    r = api_client.put(f"{BASE}/{draft.pk}", {"injured_mobile": "123", "circumstance": "zz"},
                       content_type="application/json", **auth)
    fields = {d["field"] for d in r.json()["details"]}
    assert r.status_code == 422 and {"injured_mobile", "circumstance"} <= fields
    r = api_client.post(f"{BASE}/{draft.pk}/materials", {"kind": "bogus", "file": pdf_upload()}, **auth)
    assert r.status_code == 422


@pytest.mark.time_machine(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai")))  # after the accident
def test_draft_conflict_and_employee_check(api_client, token_for, employer_user_a, draft):
    auth = token_for(employer_user_a)
    data = {"injured_id_number": "370202198803151237", "injured_name": "张伟", "accident_at": "2026-11-20T09:00:00+08:00"}
    r = api_client.post(BASE, data, content_type="application/json", **auth)
    assert r.status_code == 409 and r.json()["code"] == "draft_exists"
    r = api_client.post(BASE, {**data, "replace_draft": True}, content_type="application/json", **auth)
    assert r.status_code == 201
    r = api_client.post("/api/v1/recognition/employee-check", {"id_number": "370202198803151237", "name": "张伟"},
                        content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["fields"]["employer_uscc"] == "91370200MA3C5UWK4C"
    r = api_client.post("/api/v1/recognition/employee-check", {"id_number": "370211199207084569", "name": "李娜"},
                        content_type="application/json", **auth)
    assert r.status_code == 404 and "没有该人员" in r.json()["message"] and "增减员申报" in r.json()["message"]


def test_withdraw_before_decision(api_client, token_for, employer_user_a, draft, add_materials):
    add_materials(employer_user_a, draft)
    auth = token_for(employer_user_a)
    api_client.post(f"{BASE}/{draft.pk}/submit", **auth)
    r = api_client.post(f"{BASE}/{draft.pk}/withdraw", **auth)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


@pytest.fixture
def clock(time_machine):
    """Fixtures after this one are built on a fixed Monday, far from any year end."""
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


HOSTILE = [
    ("evil.html", hostile.polyglot_jpeg(), "file_active_content"),
    ("photo.jpg", hostile.magic_then_page(), "file_damaged"),
    ("scan.png", hostile.png_bomb(), "file_too_many_pixels"),
    ("diagnosis.pdf", hostile.pdf_open_action_js(), "file_active_content"),
]


@pytest.mark.parametrize(("name", "data", "code"), HOSTILE,
                         ids=["jpeg-html-polyglot", "ffd8ffe0-then-html", "png-30000x30000", "pdf-openaction-js"])
def test_hostile_material_is_422_naming_the_file_field_and_nothing_is_kept(clock, api_client, token_for,
                                                                            employer_user_a, draft, name, data, code):
    files_before = StoredFile.objects.count()
    r = api_client.post(f"{BASE}/{draft.pk}/materials",
                        {"kind": "medical_diagnosis", "file": SimpleUploadedFile(name, data)}, **token_for(employer_user_a))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["code"] == code and body["message"].startswith("材料文件")
    assert body["details"] == [{"field": "file", "message": body["message"]}]
    assert not CaseDocument.objects.filter(case=draft.case, kind="medical_diagnosis").exists()
    assert StoredFile.objects.count() == files_before


@pytest.mark.parametrize(("name", "data", "mime", "extension"), [
    ("诊断证明.pdf", pdf_bytes(), "application/pdf", "pdf"),
    ("身份证.jpeg", jpeg_upload().read(), "image/jpeg", "jpg"),
    ("labour.html", hostile.clean_pdf(), "application/pdf", "pdf"),  # the content decides, not the name
])
def test_clean_material_is_stored_under_a_server_chosen_name(clock, api_client, token_for, employer_user_a, draft,
                                                             name, data, mime, extension):
    r = api_client.post(f"{BASE}/{draft.pk}/materials",
                        {"kind": "injured_id", "file": SimpleUploadedFile(name, data, content_type="text/html")},
                        **token_for(employer_user_a))
    assert r.status_code == 201, r.content
    stored = CaseDocument.objects.get(pk=r.json()["id"]).file
    assert (stored.content_type, stored.extension) == (mime, extension)
    assert re.fullmatch(rf"materials/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", stored.storage_path)
    assert stored.original_name == f"{name.rsplit('.', 1)[0]}.{extension}"
    assert "injured_id" not in r.json()["checklist"]["missing"]


def test_investigation_report_with_a_script_is_refused(clock, api_client, token_for, employer_user_a, draft,
                                                       add_materials, intake, reviewer, staff_factory):
    from gongshang.recognition.services import decision, submission
    from gongshang.recognition.services import intake as intake_svc

    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    inv = staff_factory("investigator")
    decision.application_investigate(actor=reviewer, application=app,
                                     investigator_ids=[inv.pk, staff_factory("investigator").pk])
    url, auth = f"{BASE}/{app.pk}/investigation-report", token_for(inv)  # one TOTP code: the clock stands still
    r = api_client.post(url, {"file": SimpleUploadedFile("report.pdf", hostile.pdf_named_js())}, **auth)
    assert r.status_code == 422 and r.json()["code"] == "file_active_content"
    assert r.json()["message"].startswith("调查报告文件含有脚本") and r.json()["details"][0]["field"] == "file"
    app.refresh_from_db()
    assert app.investigation_report is None
    r = api_client.post(url, {"file": pdf_upload("report.pdf")}, **auth)
    assert r.status_code == 201


@pytest.mark.parametrize(("query", "field"), [("offset=9223372036854775808", "offset"), ("offset=10000001", "offset"),
                                              ("offset=-1", "offset"), ("limit=0", "limit"), ("limit=201", "limit")])
def test_list_and_queue_bounds_answer_422_naming_the_parameter(api_client, token_for, employer_user_a, intake,
                                                                query, field):
    for url, user in ((BASE, employer_user_a), ("/api/v1/recognition/queue", intake)):
        response = api_client.get(f"{url}?{query}", **token_for(user))
        assert response.status_code == 422, (url, response.content)
        assert [d["field"] for d in response.json()["details"]] == [field]


def test_unknown_status_filter_answers_422_naming_it(api_client, token_for, employer_user_a):
    response = api_client.get(f"{BASE}?status=submited", **token_for(employer_user_a))
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "status"
    assert api_client.get(f"{BASE}?status=submitted", **token_for(employer_user_a)).status_code == 200


@pytest.mark.parametrize(("body", "field"), [("[]", "body"), ("{\"reasn\": \"x\"}", "reasn"),
                                             ("{\"reason\": 5}", "reason")])
def test_optional_action_bodies_are_checked_like_the_others(api_client, token_for, employer_user_a, draft, body,
                                                            field):
    r = api_client.post(f"{BASE}/{draft.pk}/withdraw", body, content_type="application/json",
                        **token_for(employer_user_a))
    assert r.status_code == 422 and [d["field"] for d in r.json()["details"]] == [field]
    assert RecognitionApplication.objects.get(pk=draft.pk).status == "draft"


def _as_sent(value):
    """A presenter's dict as an untyped route sent it (ninja's encoder), to compare with the answer."""
    import json

    from ninja.responses import NinjaJSONEncoder

    return json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def test_every_route_answers_the_presenters_body_through_its_schema(clock, api_client, token_for, employer_user_a,
                                                                    quick_case, staff_factory, add_materials):
    """Each route's response schema passes the presenter's body through unchanged (a wrong field type
    would be a 500, a missing field a silently dropped key)."""
    from gongshang.recognition import presenters
    from gongshang.recognition.services import drafts

    auth, reviewer = token_for(employer_user_a), staff_factory("reviewer")
    staff = token_for(reviewer)
    investigators = [staff_factory("investigator").pk for _ in range(2)]
    draft = drafts.application_create(actor=employer_user_a, data=dict(COMPLETE), case=quick_case)
    add_materials(employer_user_a, draft)

    def detail(pk, for_staff=True, **extra):
        application = RecognitionApplication.objects.get(pk=pk)
        return _as_sent({**presenters.application_dict(application, for_staff=for_staff), **extra})

    def post(path, body=None, who=staff, status=200):
        r = (api_client.post(f"{BASE}/{draft.pk}/{path}", body, content_type="application/json", **who) if body
             else api_client.post(f"{BASE}/{draft.pk}/{path}", **who))
        assert r.status_code == status, (path, r.content.decode())
        return r.json()

    form = post("form", who=auth, status=201)
    assert form == _as_sent(presenters.document_dict(draft.documents.get(pk=form["id"])))
    assert post("submit", who=auth) == detail(draft.pk, for_staff=False)
    for view in ("unallocated", "mine", "overdue", "open", "expired"):
        r = api_client.get(f"/api/v1/recognition/queue?view={view}", **staff)
        assert r.status_code == 200 and r.json()["view"] == view, r.content
    row = api_client.get("/api/v1/recognition/queue?view=unallocated", **staff).json()["items"][0]
    assert row == _as_sent(presenters.row_dict(RecognitionApplication.objects.get(pk=draft.pk)))
    assert post("allocate", {"assignee": reviewer.pk}) == detail(draft.pk, allocated=1)
    assert post("accept") == detail(draft.pk)
    assert post("investigate", {"investigators": investigators}) == detail(draft.pk)
    assert set(post("notes", {"text": "询问现场证人"}, status=201)) == {"id"}
    assert set(post("suspend", {"reason": "等待司法鉴定结论"})) == set(detail(draft.pk))
    assert post("resume") == detail(draft.pk)
    RecognitionApplication.objects.filter(pk=draft.pk).update(period_status="employer_late")  # filed late
    assert post("period-extension", {"reason": "不可抗力"}) == {
        "id": draft.pk, "period_extension_reason": "不可抗力"}
    decided = post("decide", {"result": "recognized", "article": "《工伤保险条例》第十四条第（一）项",
                              "reasoning": "事实清楚"})
    assert decided == detail(draft.pk) and decided["documents"] and decided["deadlines"]["delivery_due"]
    assert post("deliver", {"method": "portal"}) == detail(draft.pk)

    other = drafts.application_create(actor=employer_user_a, data={
        **COMPLETE, "injured_name": "张伟", "injured_id_number": "370202198803151237",
        "accident_at": datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))})
    add_materials(employer_user_a, other)
    material = other.case.documents.filter(kind="outpatient_record").first()
    r = api_client.delete(f"{BASE}/{other.pk}/materials/{material.pk}", **auth)
    assert r.status_code == 200 and r.json()["missing"][0]["kind"] == "outpatient_record", r.content
    r = api_client.delete(f"{BASE}/{other.pk}", **auth)
    assert r.status_code == 200 and r.json() == {"id": other.pk, "status": "deleted"}, r.content

    draft = drafts.application_create(actor=employer_user_a, data={
        **COMPLETE, "injured_name": "张伟", "injured_id_number": "370202198803151237",
        "accident_at": datetime(2026, 6, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), "accident_place": "车间",
        "description": "搬运时扭伤", "body_part": "腰部"})
    add_materials(employer_user_a, draft)
    post("submit", who=auth)
    post("allocate", {"assignee": reviewer.pk})
    assert post("request-correction", {"items": ["injured_id", "补充事故经过"]}) == detail(draft.pk)
    post("submit", who=auth)
    assert post("reject", {"reason": "不属于本统筹区管辖"}) == detail(draft.pk)
