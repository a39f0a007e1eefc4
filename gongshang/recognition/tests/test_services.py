from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongshang.cases.models import CaseDocument
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.recognition import deadlines
from gongshang.recognition.models import JurisdictionSetting, RecognitionApplication
from gongshang.recognition.services import decision, drafts, submission
from gongshang.recognition.services import intake as intake_svc

pytestmark = pytest.mark.django_db
ARTICLE = "《工伤保险条例》第十四条第（一）项"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_from_quick_report_prefills_and_attaches_evidence(draft, quick_case):
    assert draft.injured_name == "张伟" and draft.employer_name and draft.accident_place
    assert draft.from_quick_report and draft.person_id
    assert CaseDocument.objects.filter(case=quick_case, kind="scene_photo", source="quick_report").count() == 1


def test_one_draft_per_employee_asks_then_replaces(employer_user_a, draft):
    data = {"injured_id_number": "370202198803151237", "injured_name": "张伟",
            "accident_at": timezone.now() - timedelta(days=1)}
    with pytest.raises(DomainError) as exc:
        drafts.application_create(actor=employer_user_a, data=data)
    assert exc.value.code == "draft_exists" and exc.value.status == 409
    new = drafts.application_create(actor=employer_user_a, data=data, replace_draft=True)
    draft.refresh_from_db()
    assert draft.status == "deleted" and new.status == "draft"


def test_a_case_with_a_decided_application_refuses_a_new_draft_naming_it(employer_user_a, worker, draft, quick_case):
    RecognitionApplication.objects.filter(pk=draft.pk).update(status="decided")
    with pytest.raises(DomainError) as own:
        drafts.application_create(actor=employer_user_a, data={}, case=quick_case, replace_draft=True)
    assert own.value.code == "case_has_application" and own.value.status == 409
    assert own.value.details["existing_id"] == draft.pk
    assert f"案件 {quick_case.number} 已有您提出的工伤认定申请（已作出认定）" in own.value.message
    with pytest.raises(DomainError) as other:
        drafts.application_create(actor=worker, data={}, case=quick_case)
    assert other.value.code == "case_applied_by_other" and other.value.status == 409
    assert f"案件 {quick_case.number} 已有用人单位提出的工伤认定申请（已作出认定）" in other.value.message
    assert RecognitionApplication.objects.count() == 1


def test_own_draft_on_the_case_is_named_not_replaced(employer_user_a, draft, quick_case):
    with pytest.raises(DomainError) as exc:
        drafts.application_create(actor=employer_user_a, data={}, case=quick_case, replace_draft=True)
    assert exc.value.code == "case_has_application" and "（草稿）" in exc.value.message
    draft.refresh_from_db()
    assert draft.status == "draft" and RecognitionApplication.objects.count() == 1


def test_submit_refuses_with_every_missing_material(employer_user_a, draft):
    with pytest.raises(DomainError) as exc:
        submission.application_submit(actor=employer_user_a, application=draft)
    assert exc.value.code == "materials_missing"
    assert len(exc.value.details["missing"]) == 5
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_full_path_with_documents_sms_and_audit(employer_user_a, draft, add_materials, intake, reviewer):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    assert app.status == "submitted" and app.received_on == timezone.localdate() and app.due_on
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    app.case.refresh_from_db()
    assert app.case.status == "opened"
    app = decision.application_decide(actor=reviewer, application=app, result="recognized", article=ARTICLE,
                                      reasoning="事实清楚")
    app = decision.application_deliver(actor=intake, application=app, method="in_person")
    assert app.status == "delivered"
    kinds = list(app.documents.values_list("kind", flat=True))
    assert kinds == ["recognition.acceptance_notice", "recognition.decision_recognized"]
    assert OutboxMessage.objects.filter(template="sms_recognition_document").count() >= 2
    assert AuditEvent.objects.filter(event_type="recognition.decided", target_id=str(app.pk)).exists()


def test_correction_one_notice_then_resubmit(employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_request_correction(actor=intake, application=app, items=["witness_statement", "说明"])
    assert app.correction_items == ["证人证言（附证人身份证复印件）", "说明"]
    assert app.documents.get().kind == "recognition.correction_notice"
    app = submission.application_submit(actor=employer_user_a, application=app)
    assert app.status == "allocated" and app.assignee_id == intake.pk


def test_decision_requires_basis_and_investigation_for_death(employer_user_a, draft, add_materials, intake,
                                                              reviewer, staff_factory):
    drafts.application_update(actor=employer_user_a, application=draft, data={"serious_injury": True})
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    with pytest.raises(FieldErrors):
        decision.application_decide(actor=reviewer, application=app, result="recognized", article="", reasoning="")
    with pytest.raises(DomainError) as exc:
        decision.application_decide(actor=reviewer, application=app, result="recognized", article=ARTICLE,
                                    reasoning="r")
    assert exc.value.code == "investigation_required"
    a, b = staff_factory("investigator"), staff_factory("investigator")
    app = decision.application_investigate(actor=a, application=app, investigator_ids=[a.pk, b.pk])
    decision.investigation_note_add(actor=a, application=app, text="走访两名证人")
    from .conftest import pdf_upload

    decision.investigation_report_upload(actor=b, application=app, upload=pdf_upload())
    app = decision.application_decide(actor=reviewer, application=app, result="recognized", article=ARTICLE,
                                      reasoning="r")
    assert app.status == "decided"


# A Wednesday in a year the calendar knows: accepted Sun 06-07, 60 days end on Thu 08-06, a workday.
@pytest.mark.time_machine(datetime(2026, 6, 17, 10, tzinfo=SHANGHAI))
def test_suspension_pauses_and_resume_extends(employer_user_a, draft, add_materials, intake, reviewer):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    app = intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)
    app = intake_svc.application_accept(actor=intake, application=app)
    RecognitionApplication.objects.filter(pk=app.pk).update(accepted_on=date(2026, 6, 7))
    app.refresh_from_db()
    before = deadlines.decision_due(app)
    assert (before.due, before.provisional) == (date(2026, 8, 6), False)
    app = decision.application_suspend(actor=reviewer, application=app, reason="等待交警责任认定")
    assert deadlines.decision_due(app).paused and app.due_on is None
    app.suspensions.update(started_on=date(2026, 6, 12))
    app = decision.application_resume(actor=reviewer, application=app)
    assert app.status == "accepted"
    assert list(app.suspensions.values_list("started_on", "ended_on")) == [(date(2026, 6, 12), date(2026, 6, 16))]
    # The five suspended days (06-12 … 06-16) do not count: 08-06 + 5 = Tue 08-11.
    assert (deadlines.decision_due(app).due, app.due_on) == (date(2026, 8, 11), date(2026, 8, 11))


def test_worker_after_one_year_refused_until_extension(worker, zhang_wei, add_materials, intake):
    data = {"injured_id_number": "370202198803151237", "injured_name": "张伟", "circumstance": "art14_1",
            "accident_at": timezone.now() - timedelta(days=400), "accident_place": "车间", "description": "砸伤",
            "body_part": "左足", "diagnosis": "骨折", "treatments": ["outpatient"], "handling_region": "370200",
            "employer_name": "青岛海川机械制造有限公司", "employer_uscc": "91370200MA3C5UWK4C"}
    app = drafts.application_create(actor=worker, data=data)
    add_materials(worker, app)
    with pytest.raises(DomainError) as exc:
        submission.application_submit(actor=worker, application=app)
    assert exc.value.code == "application_period_expired"
    submission.application_period_extension_record(actor=intake, application=app, reason="不可抗力（住院昏迷）")
    app = submission.application_submit(actor=worker, application=RecognitionApplication.objects.get(pk=app.pk))
    assert app.status == "submitted"


def _worker_application(worker, add_materials, accident_at):
    data = {"injured_id_number": "370202198803151237", "injured_name": "张伟", "circumstance": "art14_1",
            "accident_at": accident_at, "accident_place": "车间", "description": "砸伤",
            "body_part": "左足", "diagnosis": "骨折", "treatments": ["outpatient"], "handling_region": "370200",
            "employer_name": "青岛海川机械制造有限公司", "employer_uscc": "91370200MA3C5UWK4C"}
    app = drafts.application_create(actor=worker, data=data)
    add_materials(worker, app)
    return app


SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def on_2027_02_10(time_machine):
    """Listed first: every fixture after it is made on that day (2027's notice not entered)."""
    time_machine.move_to(datetime(2027, 2, 10, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def on_2027_02_12(time_machine):
    time_machine.move_to(datetime(2027, 2, 12, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def on_2027_02_16(time_machine):
    time_machine.move_to(datetime(2027, 2, 16, 10, tzinfo=SHANGHAI), tick=False)


def test_worker_period_ending_on_a_provisional_date_is_held_open(on_2027_02_10, worker, zhang_wei, add_materials):
    # Accident 2026-02-05; the year ends on 除夕 2027-02-05 and 2027's notice is not entered: rest through
    # 初三 02-08, then 02-09 (earlier candidate) or 02-11 (with the estimated 补假 02-09/10). Filed on
    # 02-10, after the earlier candidate: not refused. (Before: 2027 weekdays all worked → due 02-05.)
    app = _worker_application(worker, add_materials, datetime(2026, 2, 5, 9, tzinfo=SHANGHAI))
    app = submission.application_submit(actor=worker, application=app)
    assert app.status == "submitted"
    assert (app.period_status, app.period_due) == ("in_time", date(2027, 2, 11))
    period = deadlines.application_period(app)
    assert period.provisional and period.earliest == date(2027, 2, 9)
    assert "暂定" in period.message


def test_worker_after_the_later_candidate_is_held_open_while_tiaoxiu_could_move_it(on_2027_02_12, worker, zhang_wei,
                                                                                      add_materials):
    """2027's notice may join 02-11..02-13 to 春节 by 调休 (as 2026's did: nine days), which would end
    the period on 02-15: filed 02-12, the application is not refused as late on a guess."""
    app = _worker_application(worker, add_materials, datetime(2026, 2, 5, 9, tzinfo=SHANGHAI))
    app = submission.application_submit(actor=worker, application=app)
    assert app.status == "submitted" and app.period_status == "in_time"
    period = deadlines.application_period(app)
    assert (period.due, period.latest, period.status) == (date(2027, 2, 11), date(2027, 2, 15), "in_time")
    assert "调休可能使时限延至 2027年02月15日" in period.message


def test_worker_after_the_latest_provisional_date_is_refused(on_2027_02_16, worker, zhang_wei, add_materials):
    app = _worker_application(worker, add_materials, datetime(2026, 2, 5, 9, tzinfo=SHANGHAI))
    with pytest.raises(DomainError) as exc:
        submission.application_submit(actor=worker, application=app)
    assert exc.value.code == "application_period_expired"
    assert exc.value.details["period_due"] == "2027-02-11"


def test_qufu_local_promise(employer_user_a, draft):
    JurisdictionSetting.objects.create(region="370881", name="曲阜市", acceptance_days=3, simple_decision_days=7,
                                       valid_from=date(2023, 1, 1), source="seed 004")
    draft.handling_region, draft.received_on = "370881", date(2026, 11, 23)
    assert deadlines.acceptance_due(draft).due == date(2026, 11, 26)


def test_withdraw_and_delete_rules(employer_user_a, draft, employer_user_b):
    with pytest.raises(DomainError):
        submission.application_withdraw(actor=employer_user_b, application=draft)
    drafts.application_delete(actor=employer_user_a, application=draft)
    draft.refresh_from_db()
    assert draft.status == "deleted"
