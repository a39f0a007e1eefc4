"""Services of the application part: creation rules, materials, submit, the staff's steps."""

from datetime import date

import pytest

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import OutboxMessage
from gongshang.recognition.models import RecognitionApplication

from ..models import AppraisalEvent, AppraisalPostponement
from ..services import applications as svc
from .factories_applications import make_conclusion, mp4, pdf, vault_add

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def create(actor, case, **data):
    data.setdefault("kind", "initial")
    data.setdefault("applicant_kind", {"employer": "employer", "staff": "agency"}.get(actor.kind, "worker"))
    return svc.application_create(actor=actor, case=case, data=data)


def errors_of(exc):
    return exc.value.errors


# --- creation ------------------------------------------------------------------------------------------

def test_create_initial_defaults_items_and_owner(worker, case):
    app = create(worker, case)
    assert app.status == "draft" and app.items == ["disability_grade", "self_care"]
    assert app.owner_key == f"user:{worker.pk}" and app.applicant_name == "张伟"


def test_case_without_recognised_decision_is_refused(worker, case):
    RecognitionApplication.objects.filter(case=case).update(decision_result="not_recognized")
    with pytest.raises(FieldErrors) as exc:
        create(worker, case)
    assert "case_number" in errors_of(exc)


def test_undecided_recognition_is_refused(worker, case):
    RecognitionApplication.objects.filter(case=case).update(status="accepted", decision_result="")
    with pytest.raises(FieldErrors) as exc:
        create(worker, case)
    assert "工伤" in errors_of(exc)["case_number"]


def test_deemed_recognition_is_enough(worker, case):
    RecognitionApplication.objects.filter(case=case).update(decision_result="deemed")
    assert create(worker, case).pk


def test_unknown_kind_and_wrong_items(worker, case):
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="nonsense")
    assert "kind" in errors_of(exc)
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="device", items=["disability_grade"])
    assert "items" in errors_of(exc)


def test_employer_account_applies_only_as_employer(employer_user_a, case):
    with pytest.raises(FieldErrors) as exc:
        create(employer_user_a, case, applicant_kind="worker")
    assert "用人单位" in errors_of(exc)["applicant_kind"]
    assert create(employer_user_a, case).owner_key.startswith("employer:")


def test_individual_cannot_apply_as_employer_and_relative_needs_name_and_relation(worker, case):
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, applicant_kind="employer")
    assert "applicant_kind" in errors_of(exc)
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, applicant_kind="relative")
    assert {"applicant_name", "applicant_relation"} <= set(errors_of(exc))
    app = create(worker, case, applicant_kind="relative", applicant_name="王芳", applicant_relation="配偶")
    assert app.applicant_relation == "配偶"


def test_agency_applies_only_for_review(apr, case, worker):
    with pytest.raises(FieldErrors) as exc:
        create(apr, case, kind="initial", applicant_kind="agency")
    assert "复查" in errors_of(exc)["applicant_kind"]
    previous = make_conclusion(case, worker, concluded_on=date(2025, 1, 10))
    app = create(apr, case, kind="review", applicant_kind="agency", previous_conclusion=previous.pk)
    assert app.applicant_kind == "agency"


def test_one_open_application_per_case_and_kind(worker, case, employer_user_a):
    create(worker, case)
    with pytest.raises(DomainError) as exc:
        create(worker, case)  # the applicant's own draft
    assert exc.value.status == 409 and exc.value.code == "appraisal_open_application_exists"
    assert create(worker, case, kind="device").kind == "device"  # another kind is fine


def test_another_applicants_draft_blocks_nothing_but_the_first_submission_wins(worker, case, employer_user_a):
    mine = create(worker, case)
    theirs = create(employer_user_a, case)  # the employer cannot see the worker's draft
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    svc.application_submit(actor=worker, application=mine)
    with pytest.raises(DomainError) as exc:
        svc.application_submit(actor=employer_user_a, application=theirs)
    assert exc.value.status == 409
    with pytest.raises(DomainError):
        create(worker, case)  # a submitted one is open for everyone


def test_withdrawn_application_frees_the_kind(worker, case, application_factory):
    application_factory(status="withdrawn")
    assert create(worker, case).pk


def test_second_needs_previous_conclusion_of_the_case(worker, case):
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="second")
    assert "previous_conclusion" in errors_of(exc)


def test_second_within_15_days_of_receipt(worker, case):
    ok = make_conclusion(case, worker, concluded_on=date(2026, 2, 1), received_on=date(2026, 2, 15))
    assert create(worker, case, kind="second", previous_conclusion=ok.pk).pk  # last day 2026-03-02


def test_second_after_15_days_refused(worker, case):
    late = make_conclusion(case, worker, concluded_on=date(2026, 2, 1), received_on=date(2026, 2, 14))
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="second", previous_conclusion=late.pk)
    assert "15日" in errors_of(exc)["previous_conclusion"]


def test_second_without_receipt_counts_from_last_delivery_day(worker, case):
    # concluded 2026-01-25 + 20 days delivery = 2026-02-14, + 15 = 2026-03-01 < today 03-02
    late = make_conclusion(case, worker, concluded_on=date(2026, 1, 25))
    with pytest.raises(FieldErrors):
        create(worker, case, kind="second", previous_conclusion=late.pk)
    RecognitionApplication.objects.none()
    ok = make_conclusion(case, worker, concluded_on=date(2026, 1, 26))
    assert svc.second_filing_last_day(ok) == date(2026, 3, 2)


def test_second_of_provincial_conclusion_refused(worker, case):
    final = make_conclusion(case, worker, concluded_on=date(2026, 2, 20), received_on=date(2026, 2, 25),
                            provincial=True)
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="second", previous_conclusion=final.pk)
    assert "最终结论" in errors_of(exc)["previous_conclusion"]


def test_conclusion_of_another_case_refused(worker, case, li_na, employer_b, employer_user_b):
    from .factories import recognised_case

    other = recognised_case(li_na, employer_b, employer_user_b)
    foreign = make_conclusion(other, employer_user_b, concluded_on=date(2026, 2, 20), received_on=date(2026, 2, 25))
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="second", previous_conclusion=foreign.pk)
    assert "不属于本案件" in errors_of(exc)["previous_conclusion"]


def test_review_not_before_one_year(worker, case):
    young = make_conclusion(case, worker, concluded_on=date(2025, 3, 3))
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="review", previous_conclusion=young.pk)
    assert "2026年03月03日" in errors_of(exc)["previous_conclusion"]


def test_review_on_the_anniversary(worker, case):
    old = make_conclusion(case, worker, concluded_on=date(2025, 3, 2))
    assert create(worker, case, kind="review", previous_conclusion=old.pk).previous_conclusion_id == old.pk


def test_dependant_needs_name_and_valid_id(worker, case):
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, kind="dependant", dependant_id_number="370202198803151230")
    assert {"dependant_name", "dependant_id_number"} <= set(errors_of(exc))
    app = create(worker, case, kind="dependant", dependant_name="张小", dependant_id_number="370211199207084569")
    assert app.dependant_id_number == "370211199207084569"


# --- materials and checklist ---------------------------------------------------------------------------

def test_checklist_reuses_vault_and_generated_form(worker, case):
    app = create(worker, case)
    vault_add(case, "injured_id")  # handed in for recognition
    rows = {r["kind"]: r for r in svc.checklist(app)["required"]}
    assert rows["appraisal_form"]["source"] == "generated"
    assert rows["id_card"]["source"] == "vault" and rows["id_card"]["source_label"] == "已有，无需再交"
    assert [m["kind"] for m in svc.checklist(app)["missing"]] == ["medical_records"]
    assert "recognition_decision" not in rows


def test_upload_kind_checked_and_counts(worker, case):
    app = create(worker, case)
    with pytest.raises(FieldErrors):
        svc.application_material_add(actor=worker, application=app, kind="daily_life_video", upload=mp4())
    svc.application_material_add(actor=worker, application=app, kind="medical_records", upload=pdf())
    assert "medical_records" not in [m["kind"] for m in svc.checklist(app)["missing"]]


def test_green_channel_video_must_be_a_small_video(worker, case):
    app = create(worker, case, green_channel=True)
    assert "daily_life_video" in [m["kind"] for m in svc.checklist(app)["missing"]]
    with pytest.raises(DomainError) as exc:
        svc.application_material_add(actor=worker, application=app, kind="daily_life_video", upload=pdf())
    assert exc.value.status == 415
    with pytest.raises(DomainError) as exc:
        svc.application_material_add(actor=worker, application=app, kind="daily_life_video",
                                     upload=mp4(size=31 * 1024 * 1024))
    assert exc.value.status == 413
    svc.application_material_add(actor=worker, application=app, kind="daily_life_video", upload=mp4())
    assert "daily_life_video" not in [m["kind"] for m in svc.checklist(app)["missing"]]


def test_only_owner_uploads(worker, case, employer_user_a):
    app = create(worker, case)
    with pytest.raises(DomainError):
        svc.application_material_add(actor=employer_user_a, application=app, kind="medical_records", upload=pdf())


# --- submit --------------------------------------------------------------------------------------------

def ready(worker, case, **data):
    app = create(worker, case, **data)
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    return app


def test_submit_lists_all_missing(worker, case):
    app = create(worker, case, green_channel=True)
    with pytest.raises(DomainError) as exc:
        svc.application_submit(actor=worker, application=app)
    assert exc.value.code == "materials_missing" and exc.value.status == 422
    assert {m["kind"] for m in exc.value.details["missing"]} == {"medical_records", "id_card", "daily_life_video"}


def test_submit_sets_receipt_and_completeness_due(worker, case):
    app = svc.application_submit(actor=worker, application=ready(worker, case))
    assert app.status == "submitted" and app.received_on == date(2026, 3, 2) and app.submitted_at
    assert app.completeness_due == date(2026, 3, 9)  # 5 working days
    assert app.due_on == app.completeness_due and app.conclusion_due is None
    assert case.documents.filter(kind="appraisal_form", source="issued").exists()


@pytest.mark.time_machine("2026-03-02 10:00 +08:00", tick=False)
def test_resubmission_restarts_completeness_and_keeps_first_submission(worker, case, apr, time_machine):
    app = svc.application_submit(actor=worker, application=ready(worker, case))
    first = app.submitted_at
    app = svc.application_request_correction(actor=apr, application=app, items=["medical_records", "补充住院病历"])
    assert app.status == "correction_requested" and app.correction_items == ["诊断证明及完整病历材料", "补充住院病历"]
    assert app.correction_notified_on == date(2026, 3, 2)
    time_machine.move_to("2026-03-10 10:00 +08:00")
    app = svc.application_submit(actor=worker, application=app)
    assert app.received_on == date(2026, 3, 10) and app.submitted_at == first
    assert app.completeness_due == date(2026, 3, 17)


def test_correction_needs_items(worker, case, apr):
    app = svc.application_submit(actor=worker, application=ready(worker, case))
    with pytest.raises(FieldErrors):
        svc.application_request_correction(actor=apr, application=app, items=["  "])


def test_accept_starts_conclusion_clock_and_notifies(worker, case, apr):
    app = svc.application_submit(actor=worker, application=ready(worker, case, applicant_mobile="13900000009"))
    before = OutboxMessage.objects.count()
    app = svc.application_accept(actor=apr, application=app)
    assert app.status == "accepted" and app.accepted_on == date(2026, 3, 2)
    # 60 days → 2026-05-01, 劳动节: the next working day (the workday engine)
    assert app.conclusion_due == date(2026, 5, 6) and app.due_on == app.conclusion_due
    assert OutboxMessage.objects.count() > before
    assert "13900000009" in [m.recipient for m in OutboxMessage.objects.filter(template="sms_appraisal_status")]


def test_correction_notifies(worker, case, apr):
    app = svc.application_submit(actor=worker, application=ready(worker, case, applicant_mobile="13900000009"))
    svc.application_request_correction(actor=apr, application=app, items=["medical_records"])
    assert "13900000009" in [m.recipient for m in OutboxMessage.objects.filter(template="sms_appraisal_status")]


def test_extend_once_with_reason(worker, case, apr):
    app = svc.application_accept(actor=apr, application=svc.application_submit(actor=worker,
                                                                                application=ready(worker, case)))
    with pytest.raises(FieldErrors):
        svc.application_extend(actor=apr, application=app, reason=" ")
    app = svc.application_extend(actor=apr, application=app, reason="需补充专科检查")
    # 90 days → 2026-05-31, a Sunday: Monday
    assert app.conclusion_due == date(2026, 6, 1) and app.extension_reason == "需补充专科检查"
    with pytest.raises(DomainError) as exc:
        svc.application_extend(actor=apr, application=app, reason="再延一次")
    assert exc.value.status == 409 and exc.value.code == "conclusion_already_extended"


def test_postpone_moves_the_deadline(worker, case, apr):
    app = svc.application_accept(actor=apr, application=svc.application_submit(actor=worker,
                                                                                application=ready(worker, case)))
    with pytest.raises(FieldErrors):
        svc.application_postpone(actor=apr, application=app, days=0, reason="")
    app = svc.application_postpone(actor=apr, application=app, days=10, reason="职工住院治疗")
    assert app.postponed_days == 10 and app.conclusion_due == date(2026, 5, 11)
    assert AppraisalPostponement.objects.filter(application=app, days=10).exists()


def test_accept_only_from_submitted(worker, case, apr):
    app = create(worker, case)
    with pytest.raises(DomainError) as exc:
        svc.application_accept(actor=apr, application=app)
    assert exc.value.status in (404, 409)  # a draft is not the staff's to see


def test_withdraw_by_owner_only(worker, case, employer_user_a):
    app = svc.application_submit(actor=worker, application=ready(worker, case))
    with pytest.raises(DomainError) as exc:
        svc.application_withdraw(actor=employer_user_a, application=app)
    assert exc.value.status == 403
    assert svc.application_withdraw(actor=worker, application=app, reason="伤情未稳定").status == "withdrawn"


def test_messages_both_ways(worker, case, apr):
    app = svc.application_submit(actor=worker, application=ready(worker, case))
    svc.message_add(actor=worker, application=app, text="请问何时鉴定？")
    staff = svc.message_add(actor=apr, application=app, text="受理后编入最近批次。")
    assert staff.from_staff
    assert AppraisalEvent.objects.filter(application=app, event_type="appraisal.message").count() == 2
    assert svc.messages_mark_read(actor=worker, application=app) == 1
    with pytest.raises(FieldErrors):
        svc.message_add(actor=worker, application=app, text="")


# --- review findings: deadlines of the staff's steps -----------------------------------------------------

def test_conclusion_clock_starts_at_receipt_of_the_complete_application_not_at_acceptance(case, worker, apr):
    from ..services.transition import refresh_due
    from .factories import make_application

    application = refresh_due(make_application(case=case, creator=worker, status="submitted",
                                               received_on=date(2026, 2, 20)))   # complete when received
    accepted_app = svc.application_accept(actor=apr, application=application)   # accepted late, 2 March
    # 条例第二十五条: 60 days from 20 February (the day the complete application was received) = 21 April
    assert accepted_app.accepted_on == date(2026, 3, 2)
    assert accepted_app.conclusion_due == date(2026, 4, 21)


def test_second_appraisal_drafted_in_time_cannot_be_submitted_after_the_15_days(case, worker, time_machine):
    earlier = make_conclusion(case, worker, concluded_on=date(2026, 2, 1), received_on=date(2026, 2, 15))
    draft = create(worker, case, kind="second", previous_conclusion=earlier.pk)   # last day 2 March
    for kind in ("injured_id", "medical_diagnosis", "medical_records", "id_card"):
        vault_add(case, kind)
    time_machine.move_to("2026-06-01 10:00 +08:00")
    with pytest.raises(FieldErrors) as exc:
        svc.application_submit(actor=worker, application=draft)
    assert "15日内" in errors_of(exc)["previous_conclusion"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_extension_refused_after_the_conclusion_period_has_run_out(case, worker, apr):
    from .factories_batches import accepted

    application = accepted(case, worker, accepted_on=date(2025, 12, 1))   # 60 days ran out on 30 January
    application.refresh_from_db()
    assert application.conclusion_due < date(2026, 3, 2)
    with pytest.raises(DomainError) as exc:
        svc.application_extend(actor=apr, application=application, reason="情况复杂需进一步检查")
    assert exc.value.status == 409 and "期限内" in exc.value.message
    application.refresh_from_db()
    assert application.extended_on is None


def test_items_of_another_kind_are_refused_in_chinese_labels_only(case, worker):
    with pytest.raises(FieldErrors) as exc:
        create(worker, case, items=["disability_grade", "self_care", "device"])
    message = errors_of(exc)["items"]
    assert "伤残等级、生活自理障碍程度" in message and "配置辅助器具" in message
    assert "disability_grade" not in message and "device" not in message and "self_care" not in message
