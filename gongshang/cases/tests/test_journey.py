"""我的工伤 (cases/journey.py): each stage's status, the current stage, what to do now and by when, the
latest payment; and the scope: another employer's or person's case never appears and answers 404."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.benefits.models import Payment, PayrollRun
from gongshang.benefits.services import entitlements as ent
from gongshang.benefits.services.entitlements import CreateInput
from gongshang.benefits.tests.factories import approved_case, make_case, record
from gongshang.cases import journey
from gongshang.core.errors import NotFound
from gongshang.quickreports.models import QuickReport
from gongshang.quickreports.services.staff import quick_report_message, quick_report_receive
from gongshang.recognition.services import decision, submission
from gongshang.recognition.services import intake as intake_svc

pytestmark = pytest.mark.django_db


def stage(view, key):
    return next(s for s in view.stages if s.key == key)


def submitted(employer_user_a, draft, add_materials):
    add_materials(employer_user_a, draft)
    return submission.application_submit(actor=employer_user_a, application=draft)


def test_stage_keys_in_order(employer_user_a, quick_case):
    view = journey.case_journey(actor=employer_user_a, case=quick_case)
    assert [s.key for s in view.stages] == ["quick_report", "recognition", "appraisal", "benefits", "payment"]
    assert [s.label for s in view.stages] == ["快报", "认定", "鉴定", "待遇", "发放"]


def test_fresh_quick_report_employer_is_asked_to_apply_by_the_30_day_date(employer_user_a, quick_case):
    view = journey.case_journey(actor=employer_user_a, case=quick_case)
    assert stage(view, "quick_report").status == journey.ACTIVE
    assert "等待经办机构接收" in stage(view, "quick_report").text
    recognition = stage(view, "recognition")
    assert recognition.status == journey.WAITING and view.current == "recognition"
    accident_day = timezone.localtime(quick_case.accident.occurred_at).date()
    assert accident_day + timedelta(days=30) <= recognition.due_date <= accident_day + timedelta(days=40)
    assert view.actions[0].text == "申请工伤认定"
    assert view.actions[0].url == f"/recognition/start/{quick_case.pk}/"
    assert stage(view, "appraisal").text == "待认定后申请"
    assert view.latest_payment is None


def test_the_worker_has_a_year_to_apply(worker, quick_case):
    view = journey.case_journey(actor=worker, case=quick_case)
    due = stage(view, "recognition").due_date
    accident_day = timezone.localtime(quick_case.accident.occurred_at).date()
    assert accident_day + timedelta(days=360) <= due <= accident_day + timedelta(days=375)


def test_a_passed_application_period_is_told_not_offered(worker, employer_user_a, quick_case):
    """A card used to say "可以提出工伤认定申请，申请时限 <a day gone by>" once the period had passed: the
    reader is told what lateness means (the employer bears the costs; the worker needs a 正当理由)."""
    accident = quick_case.accident
    accident.occurred_at -= timedelta(days=45)
    accident.save()
    employer = stage(journey.case_journey(actor=employer_user_a, case=quick_case), "recognition")
    assert employer.due_date < timezone.localdate() and employer.due_label == "申请时限（已过）"
    assert "可以提出" not in employer.next_text and "由该用人单位负担" in employer.next_text
    assert "可以提出" in stage(journey.case_journey(actor=worker, case=quick_case), "recognition").next_text
    accident.occurred_at -= timedelta(days=400)
    accident.save()
    late = journey.case_journey(actor=worker, case=quick_case)
    recognition = stage(late, "recognition")
    assert recognition.due_date < timezone.localdate() and recognition.due_label == "申请时限（已过）"
    assert "可以提出" not in recognition.next_text and "正当理由" in recognition.next_text


def test_submitted_application_shows_the_stored_acceptance_due_date(employer_user_a, draft, add_materials):
    application = submitted(employer_user_a, draft, add_materials)
    view = journey.case_journey(actor=employer_user_a, case=application.case)
    recognition = stage(view, "recognition")
    assert recognition.status == journey.ACTIVE and view.current == "recognition"
    assert recognition.due_date == application.due_on and recognition.due_label
    assert "等待经办机构受理" in recognition.text
    assert view.actions == []
    assert "受理" in view.next_action and f"{application.due_on:%Y年%m月%d日}" in view.next_action


def test_correction_is_the_owners_task_and_news_for_the_worker(employer_user_a, worker, draft, add_materials, intake):
    application = submitted(employer_user_a, draft, add_materials)
    application = intake_svc.application_allocate(actor=intake, application=application, assignee_id=intake.pk)
    intake_svc.application_request_correction(actor=intake, application=application, items=["证人证言"])
    owner = journey.case_journey(actor=employer_user_a, case=application.case)
    assert stage(owner, "recognition").status == journey.WAITING
    assert owner.actions[0].text == "补正材料后重新提交：证人证言"
    assert owner.actions[0].url == f"/recognition/{application.pk}/"
    told = journey.case_journey(actor=worker, case=application.case)
    assert stage(told, "recognition").status == journey.ACTIVE
    assert stage(told, "recognition").text == "经办机构要求补正材料"
    assert told.actions == []


def test_decision_to_sign_for_then_appraisal_next(employer_user_a, worker, draft, add_materials, intake, reviewer):
    application = submitted(employer_user_a, draft, add_materials)
    application = intake_svc.application_allocate(actor=intake, application=application, assignee_id=intake.pk)
    application = intake_svc.application_accept(actor=intake, application=application, simple=True)
    decision.application_decide(actor=reviewer, application=application, result="recognized",
                                article="《工伤保险条例》第十四条第（一）项", reasoning="事实清楚。")
    application.refresh_from_db()
    owner = journey.case_journey(actor=employer_user_a, case=application.case)
    assert owner.actions[0].text == "下载并签收认定决定书"
    assert stage(owner, "recognition").due_date == application.due_on
    assert "认定为工伤" in stage(owner, "recognition").text
    assert stage(owner, "appraisal").text == "可以申请劳动能力鉴定"
    told = journey.case_journey(actor=worker, case=application.case)
    assert told.actions == [] and stage(told, "recognition").status == journey.ACTIVE


def test_not_accepted_closes_the_chain(employer_user_a, draft, add_materials, intake):
    application = submitted(employer_user_a, draft, add_materials)
    application = intake_svc.application_allocate(actor=intake, application=application, assignee_id=intake.pk)
    intake_svc.application_reject(actor=intake, application=application, reason="不属于本统筹区管辖")
    view = journey.case_journey(actor=employer_user_a, case=application.case)
    assert stage(view, "recognition").status == journey.CLOSED and view.current == "recognition"
    assert "不予受理：不属于本统筹区管辖" == stage(view, "recognition").text
    assert stage(view, "appraisal").text == "不适用"


def test_a_staff_message_is_a_message_to_answer(employer_user_a, worker, quick_case, intake):
    report = QuickReport.objects.get(accident=quick_case.accident)
    report = quick_report_receive(actor=intake, report=report)
    quick_report_message(actor=intake, report=report, text="请补充现场照片")
    for actor in (worker, employer_user_a):
        view = journey.case_journey(actor=actor, case=quick_case)
        texts = [a.text for a in view.actions]
        assert "回复经办机构留言：请补充现场照片（通过快报补充）" in texts
    assert "已接收" in stage(view, "quick_report").text
    assert journey.case_journey(actor=intake, case=quick_case).actions == []  # staff wrote it: nothing to answer


@pytest.fixture
def paid_case(staff_factory, zhang_wei, employer_a):
    maker, checker = staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)
    case, rows = approved_case(zhang_wei, employer_a, maker, checker)
    monthly = next(e for e in rows if e.period_kind == "monthly")
    run = PayrollRun.objects.create(region="370200", period=date(2025, 11, 1), created_by=maker, status="released")
    Payment.objects.create(run=run, entitlement=monthly, period=date(2025, 10, 1), region="370200",
                           benefit_type=monthly.benefit_type, payer=monthly.payer, amount=Decimal("4800.00"),
                           status="paid", paid_on=date(2025, 11, 12))
    Payment.objects.create(run=run, entitlement=monthly, period=date(2025, 11, 1), region="370200",
                           benefit_type=monthly.benefit_type, payer=monthly.payer, amount=Decimal("4800.00"),
                           status="sent")
    return case


def test_conclusion_entitlements_and_the_latest_payment(worker, employer_user_a, paid_case):
    view = journey.case_journey(actor=worker, case=paid_case)
    assert stage(view, "recognition").status == journey.DONE
    assert stage(view, "appraisal").text.startswith("鉴定结论：伤残三级")
    assert stage(view, "benefits").status == journey.DONE and "已核定" in stage(view, "benefits").text
    assert view.latest_payment["period"] == "2025-11" and view.latest_payment["amount"] == "4800.00"
    assert view.latest_payment["status_label"] == "已报盘"
    assert view.current == "payment" and "最近一笔" in stage(view, "payment").text
    employer_view = journey.case_journey(actor=employer_user_a, case=paid_case)
    assert employer_view.latest_payment is None  # payments are the worker's own
    assert "单位支付的项目由单位" in stage(employer_view, "payment").text


def test_employer_payment_stage_runs_while_benefits_run_and_ends_with_them(employer_user_a, paid_case):
    """The employer's card said 发放 已完成 while the monthly 伤残津贴 was still being paid, and 未开始 once
    every benefit had ended."""
    from gongshang.benefits.models import Entitlement

    assert stage(journey.case_journey(actor=employer_user_a, case=paid_case), "payment").status == journey.ACTIVE
    Entitlement.objects.filter(case=paid_case).update(status="stopped")
    ended = stage(journey.case_journey(actor=employer_user_a, case=paid_case), "payment")
    assert ended.status == journey.DONE and "待遇已结束" in ended.text


def test_pending_entitlements_are_under_review(worker, staff_factory, zhang_wei, employer_a):
    from gongshang.benefits.demo import seed_parameters

    seed_parameters()
    maker = staff_factory(StaffRole.BENEFITS_REVIEWER)
    case = make_case(zhang_wei, employer_a)
    record(maker, case, grade=3)
    ent.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    view = journey.case_journey(actor=worker, case=case)
    assert stage(view, "benefits").status == journey.ACTIVE and "待经办机构复核" in stage(view, "benefits").text
    assert view.current == "benefits"


def test_scope_another_employer_or_person_never_sees_the_case(quick_case, employer_user_a, employer_user_b, worker,
                                                               li_na):
    assert list(journey.my_cases(actor=employer_user_a)) == [quick_case]
    assert list(journey.my_cases(actor=worker)) == [quick_case]
    stranger = IndividualUserFactory(person=li_na)
    for outsider in (employer_user_b, stranger, IndividualUserFactory()):
        assert not journey.my_cases(actor=outsider).exists()
        with pytest.raises(NotFound):
            journey.case_for(actor=outsider, case_id=quick_case.pk)


def test_worker_quick_reports_link_to_the_case(worker, quick_case):
    rows = journey.quick_report_rows(actor=worker)
    assert len(rows) == 1 and rows[0]["cases"] == [{"number": quick_case.number, "url": f"/cases/{quick_case.pk}/"}]


def test_the_card_tells_the_latest_payment_once(client, worker, paid_case):
    """On the 发放 stage the stage line names the latest payment; the card adds no second line."""
    view = journey.case_journey(actor=worker, case=paid_case)
    assert view.current == "payment" and view.payment_line is None
    client.force_login(worker)
    page = client.get("/me/").content.decode()
    assert page.count("4800.00") == 1


@pytest.mark.time_machine("2026-03-02 10:00 +08:00")
def test_delivered_not_graded_conclusion_is_shown_with_its_periods(zhang_wei, employer_a, employer_user_a,
                                                                    staff_factory, settings, tmp_path):
    """After a 未达级 conclusion is delivered the case page shows it (result, 文号) and the periods that
    follow — 再次鉴定 within 15 days of receipt (第二十六条), 复查 from one year after (第二十八条) —
    not "可以申请劳动能力鉴定" as if nothing had been concluded."""
    from gongshang.appraisal.services import conclusions
    from gongshang.appraisal.tests.factories import recognised_case
    from gongshang.appraisal.tests.factories_conclusions import examined

    settings.MEDIA_ROOT = str(tmp_path / "media")
    case = recognised_case(zhang_wei, employer_a, employer_user_a)
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")
    apr = staff_factory("appraisal_admin", display_name="郑鉴定")
    application = examined(case=case, creator=worker, apr=apr, grade=0, items=())
    concluded = conclusions.conclusion_create(actor=apr, application=application, data={})
    conclusions.conclusion_deliver(actor=apr, application=application, method="post", tracking_number="SF1")
    concluded.refresh_from_db()
    appraisal = stage(journey.case_journey(actor=worker, case=case), "appraisal")
    assert "未达级" in appraisal.text and concluded.number in appraisal.text
    assert appraisal.text != "可以申请劳动能力鉴定" and appraisal.status == journey.DONE
    last = appraisal.due_date
    assert appraisal.due_label == "申请再次鉴定期限" and last is not None and last >= date(2026, 3, 2)
    assert f"{last:%Y-%m-%d}前" in appraisal.next_text and "再次鉴定" in appraisal.next_text
    assert f"{concluded.concluded_on.replace(year=concluded.concluded_on.year + 1):%Y-%m-%d}起" in appraisal.next_text
    assert "复查鉴定" in appraisal.next_text
