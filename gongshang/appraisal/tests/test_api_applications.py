"""API of the application part: shapes, errors, access."""

from datetime import date

import pytest

from gongshang.accounts.tests.factories import IndividualUserFactory

from ..models import AppraisalApplication
from ..services import applications as svc
from .factories import recognised_case
from .factories_applications import mp4, pdf, vault_add

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
API = "/api/v1/appraisal/applications"


@pytest.fixture
def as_worker(token_for, worker):
    return token_for(worker)


@pytest.fixture
def as_apr(token_for, apr):
    return token_for(apr)


def post(client, url, headers, body=None):
    return client.post(url, body or {}, content_type="application/json", **headers)


def upload(client, url, headers, kind, file):
    return client.post(url, {"kind": kind, "file": file}, **headers)


def new(client, headers, case, **body):
    body = {"kind": "initial", "case_number": case.number, "applicant_kind": "worker", "items": [],
            "green_channel": False, **body}
    return post(client, API, headers, body)


def test_create_upload_checklist_submit(api_client, as_worker, case):
    created = new(api_client, as_worker, case, green_channel=True)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    checklist = api_client.get(f"{API}/{pk}/checklist", **as_worker).json()
    assert {m["kind"] for m in checklist["missing"]} == {"medical_records", "id_card", "daily_life_video"}
    refused = post(api_client, f"{API}/{pk}/submit", as_worker)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "materials_missing"
    assert {m["kind"] for m in body["details"]["missing"]} == {"medical_records", "id_card", "daily_life_video"}
    for kind, file in (("medical_records", pdf()), ("id_card", pdf()), ("daily_life_video", mp4())):
        answer = upload(api_client, f"{API}/{pk}/materials", as_worker, kind, file)
        assert answer.status_code == 201, answer.content
    assert answer.json()["checklist"]["missing"] == []
    submitted = post(api_client, f"{API}/{pk}/submit", as_worker)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json() == {"id": pk, "status": "submitted",
                                "deadlines": {"completeness_due": "2026-03-09", "conclusion_due": None}}


def test_create_errors_name_fields(api_client, as_worker, case):
    answer = new(api_client, as_worker, case, kind="dependant")
    assert answer.status_code == 422
    fields = {d["field"] for d in answer.json()["details"]}
    assert {"dependant_name", "dependant_id_number"} <= fields
    assert new(api_client, as_worker, case, kind="bogus").status_code == 422


def test_unknown_or_foreign_case_is_a_field_error(api_client, as_worker, token_for, case, employer_user_b):
    answer = new(api_client, as_worker, case, case_number="NOPE")
    assert answer.status_code == 422 and answer.json()["details"][0]["field"] == "case_number"
    foreign = new(api_client, token_for(employer_user_b), case, applicant_kind="employer")
    assert foreign.status_code == 422 and foreign.json()["details"][0]["field"] == "case_number"


def test_upload_wrong_kind_422(api_client, as_worker, case):
    pk = new(api_client, as_worker, case).json()["id"]
    answer = upload(api_client, f"{API}/{pk}/materials", as_worker, "recognition_decision", pdf())
    assert answer.status_code == 422 and answer.json()["details"][0]["field"] == "kind"


def submitted_app(worker, case):
    app = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"})
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    return svc.application_submit(actor=worker, application=app)


def test_staff_flow_and_detail(api_client, as_apr, as_worker, worker, case):
    app = submitted_app(worker, case)
    detail = api_client.get(f"{API}/{app.pk}", **as_apr).json()
    assert set(detail["allowed_actions"]) >= {"accept", "request_correction"}
    assert detail["deadlines"][0]["key"] == "completeness" and "第九条" in detail["deadlines"][0]["basis"]
    assert "accept" not in api_client.get(f"{API}/{app.pk}", **as_worker).json()["allowed_actions"]
    corrected = post(api_client, f"{API}/{app.pk}/request-correction", as_apr, {"items": ["medical_records", "住院病历"]})
    assert corrected.status_code == 200 and corrected.json()["correction_items"] == ["诊断证明及完整病历材料", "住院病历"]
    assert "submit" in api_client.get(f"{API}/{app.pk}", **as_worker).json()["allowed_actions"]
    assert post(api_client, f"{API}/{app.pk}/submit", as_worker).status_code == 200
    accepted = post(api_client, f"{API}/{app.pk}/accept", as_apr)
    assert accepted.status_code == 200 and accepted.json()["conclusion_due"] == "2026-05-06"
    assert post(api_client, f"{API}/{app.pk}/extend", as_apr, {"reason": ""}).status_code == 422
    assert post(api_client, f"{API}/{app.pk}/extend", as_apr, {"reason": "复杂"}).status_code == 200
    again = post(api_client, f"{API}/{app.pk}/extend", as_apr, {"reason": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "conclusion_already_extended"
    postponed = post(api_client, f"{API}/{app.pk}/postpone", as_apr, {"days": 5, "reason": "住院"})
    assert postponed.status_code == 200 and postponed.json()["postponed_days"] == 5
    assert "extend" not in postponed.json()["allowed_actions"]


def test_queue_filters_and_sorting(api_client, as_apr, worker, case, application_factory):
    application_factory(kind="device", status="submitted", due_on=date(2026, 3, 5), received_on=date(2026, 2, 26))
    application_factory(kind="relapse", status="submitted", due_on=date(2026, 2, 27), received_on=date(2026, 2, 20))
    application_factory(kind="rehabilitation", status="correction_requested")
    application_factory(kind="initial", status="draft")
    pending = api_client.get(f"{API}?view=pending", **as_apr).json()
    assert [r["kind"] for r in pending["items"]] == ["relapse", "device"]
    overdue = api_client.get(f"{API}?view=overdue", **as_apr).json()
    assert [r["kind"] for r in overdue["items"]] == ["relapse"] and overdue["items"][0]["urgency"] == "overdue"
    assert [r["kind"] for r in api_client.get(f"{API}?overdue=true", **as_apr).json()["items"]] == ["relapse"]
    assert [r["kind"] for r in api_client.get(f"{API}?view=correction", **as_apr).json()["items"]] == ["rehabilitation"]
    by_status = api_client.get(f"{API}?status=correction_requested", **as_apr).json()["items"]
    assert [r["kind"] for r in by_status] == ["rehabilitation"]
    assert api_client.get(f"{API}?view=nonsense", **as_apr).status_code == 422


def test_applicant_list_is_own(api_client, token_for, worker, case, application_factory, li_na, employer_b,
                               employer_user_b):
    mine = application_factory(status="draft")
    other_case = recognised_case(li_na, employer_b, employer_user_b)
    application_factory(case=other_case, creator=employer_user_b, status="submitted")
    listed = api_client.get(API, **token_for(worker)).json()
    assert [r["id"] for r in listed["items"]] == [mine.pk]


def test_access_other_employer_and_other_worker_404(api_client, token_for, worker, case, employer_user_b):
    app = submitted_app(worker, case)
    assert api_client.get(f"{API}/{app.pk}", **token_for(employer_user_b)).status_code == 404
    stranger = IndividualUserFactory()
    assert api_client.get(f"{API}/{app.pk}", **token_for(stranger)).status_code == 404
    assert post(api_client, f"{API}/{app.pk}/messages", token_for(stranger), {"text": "x"}).status_code == 404


def test_employer_of_case_sees_but_cannot_withdraw(api_client, token_for, worker, case, employer_user_a):
    app = submitted_app(worker, case)
    headers = token_for(employer_user_a)
    assert api_client.get(f"{API}/{app.pk}", **headers).status_code == 200
    assert post(api_client, f"{API}/{app.pk}/withdraw", headers).status_code == 403


def test_expert_not_on_panel_404(api_client, token_for, staff_factory, worker, case):
    app = submitted_app(worker, case)
    expert = staff_factory("appraisal_expert")
    assert api_client.get(f"{API}/{app.pk}", **token_for(expert)).status_code == 404


def test_benefits_reviewer_views_but_cannot_accept(api_client, token_for, staff_factory, worker, case):
    app = submitted_app(worker, case)
    headers = token_for(staff_factory("benefits_reviewer"))
    assert api_client.get(f"{API}/{app.pk}", **headers).status_code == 200
    assert post(api_client, f"{API}/{app.pk}/accept", headers).status_code == 403
    assert AppraisalApplication.objects.get(pk=app.pk).status == "submitted"


def test_messages_thread(api_client, as_worker, as_apr, worker, case):
    app = submitted_app(worker, case)
    assert post(api_client, f"{API}/{app.pk}/messages", as_worker, {"text": "请问何时鉴定？"}).status_code == 201
    sent = post(api_client, f"{API}/{app.pk}/messages", as_apr, {"text": "受理后通知。"})
    assert sent.status_code == 201 and sent.json()["from_staff"]
    thread = api_client.get(f"{API}/{app.pk}/messages", **as_worker).json()["items"]
    assert [m["text"] for m in thread] == ["请问何时鉴定？", "受理后通知。"]
    assert thread[1]["author"] == "经办机构"


def test_withdraw(api_client, as_worker, worker, case):
    app = submitted_app(worker, case)
    answer = post(api_client, f"{API}/{app.pk}/withdraw", as_worker, {"reason": "伤情未稳定"})
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"


def test_withdraw_without_body_and_bad_body(api_client, as_worker, worker, case):
    app = submitted_app(worker, case)
    bad = api_client.post(f"{API}/{app.pk}/withdraw", {"reason": "x" * 600}, content_type="application/json",
                          **as_worker)
    assert bad.status_code == 422
    answer = api_client.post(f"{API}/{app.pk}/withdraw", **as_worker)
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"


def test_detail_of_a_concluded_application_shows_the_applicants_periods(api_client, as_worker, worker, case):
    from .factories_applications import make_conclusion

    conclusion = make_conclusion(case, worker, concluded_on=date(2026, 2, 20), received_on=date(2026, 2, 25))
    periods = api_client.get(f"{API}/{conclusion.application_id}", **as_worker).json()["filing_periods"]
    assert [(p["key"], p["due"]) for p in periods] == [("second_filing", "2026-03-12"),
                                                       ("review_earliest", "2027-02-20")]
    assert "第二十六条" in periods[0]["basis"] and "第二十八条" in periods[1]["basis"]


def test_mailing_address_only_for_owner_and_appraisal_staff(api_client, token_for, as_apr, worker, case,
                                                            employer_user_a):
    app = svc.application_create(actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker",
                                                                "mailing_address": "青岛市市南区某路 1 号"})
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    svc.application_submit(actor=worker, application=app)
    assert api_client.get(f"{API}/{app.pk}", **token_for(worker)).json()["mailing_address"] == "青岛市市南区某路 1 号"
    assert api_client.get(f"{API}/{app.pk}", **as_apr).json()["mailing_address"] == "青岛市市南区某路 1 号"
    assert api_client.get(f"{API}/{app.pk}", **token_for(employer_user_a)).json()["mailing_address"] == ""


def _with_expert(case, worker, apr, **fields):
    from .factories_access import scheduled_with
    from .factories_batches import expert_with_login

    expert = expert_with_login("李专家")
    return scheduled_with(case, worker, apr, expert, **fields), expert


def test_expert_detail_masks_names_and_leaves_out_reasons_and_actors(api_client, token_for, case, worker, apr):
    from ..models import AppraisalEvent

    application, expert = _with_expert(case, worker, apr)
    AppraisalApplication.objects.filter(pk=application.pk).update(
        applicant_name="张伟", dependant_name="张小明", reason="伤情加重，住院中",
        extension_reason="需进一步检查张伟的肌电图")
    application.refresh_from_db()
    application.dependant_id_number = "370202201001011234"
    application.save(update_fields=["dependant_id_number"])
    AppraisalEvent.objects.create(application=application, event_type="appraisal.submitted", status="submitted",
                                  actor=worker, actor_label="张伟")
    AppraisalEvent.objects.create(application=application, event_type="appraisal.accepted", status="accepted",
                                  actor=apr, actor_label="郑鉴定")
    r = api_client.get(f"{API}/{application.pk}", **token_for(expert.user))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["injured_name"] == "张*" and body["applicant_name"] == "张*" and body["dependant_name"] == "张**"
    assert body["dependant_id_number"] == "" and body["reason"] == "" and body["extension_reason"] == ""
    assert [e["by"] for e in body["timeline"]] == ["申请人", "经办机构"]
    text = r.content.decode()
    assert "张伟" not in text and "郑鉴定" not in text and "住院" not in text
    # the 鉴定管理员 still reads the whole file
    staff = api_client.get(f"{API}/{application.pk}", **token_for(apr)).json()
    assert staff["applicant_name"] == "张伟" and staff["reason"] == "伤情加重，住院中"


def test_messages_are_between_the_applicant_and_the_appraisal_admin(api_client, token_for, case, worker, apr,
                                                                    staff_factory, employer_user_a):
    from ..models import AppraisalMessage

    application, expert = _with_expert(case, worker, apr)
    mine = AppraisalMessage.objects.create(application=application, author=worker, from_staff=False,
                                           text="我的电话 13900000001，住院中")
    answer = AppraisalMessage.objects.create(application=application, author=apr, from_staff=True, text="已收到。")
    url = f"{API}/{application.pk}/messages"
    for reader in (expert.user, staff_factory("benefits_reviewer")):
        headers = token_for(reader)
        assert api_client.get(url, **headers).status_code == 403
        assert post(api_client, url, headers, {"text": "专家留言"}).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None and AppraisalMessage.objects.count() == 2
    # the employer of the case follows the worker's application but does not read the worker's thread
    assert api_client.get(url, **token_for(employer_user_a)).status_code == 403
    assert post(api_client, url, token_for(employer_user_a), {"text": "单位留言"}).status_code == 403
    answer.refresh_from_db()
    assert answer.read_at is None
    assert api_client.get(url, **token_for(worker)).status_code == 200
    answer.refresh_from_db()
    assert answer.read_at is not None
    assert api_client.get(url, **token_for(apr)).status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None
