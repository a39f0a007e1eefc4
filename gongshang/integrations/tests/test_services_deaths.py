"""死亡信息 applied, confirmed, refuted; overpayments recovered or waived — against the real payroll:
a death stops the next payroll for that person and flags what was overpaid; a refutation loses no
month and pays none twice."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Entitlement, Payment, PayrollRun
from gongshang.benefits.services import bankfiles, payroll
from gongshang.cases.models import CaseEvent
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.registry.tests.factories import InsuredPersonFactory

from ..choices import DeathStatus, ExchangeEventType, Partner, RecoveryStatus
from ..fakes import civil
from ..models import DeathRecord, Overpayment
from ..services import deaths as services
from .factories_deaths import *  # noqa: F403 (the fixtures: reviewers, worker)
from .factories_deaths import death_of, dependant_entitlement, release, report

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
NOV, DEC, JAN, FEB = date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)


@pytest.fixture
def paid_to_december(reviewers, worker):
    """2025-11 and 2025-12 released; 2026-01 computed, not yet released. Returns the 2026-01 run."""
    maker, checker = reviewers
    release(maker, checker, "2025-11")
    release(maker, checker, "2025-12")
    return payroll.run_create(actor=maker, period="2026-01", background=False)


def allowance_payments(allowance) -> list[tuple]:
    return sorted(Payment.objects.filter(entitlement=allowance).values_list("period", "status", "attempts"))


def test_a_death_stops_the_next_payroll_and_flags_what_was_overpaid(reviewers, worker, paid_to_december,
                                                                    zhang_wei):
    maker, checker = reviewers
    case, allowance = worker
    january = paid_to_december
    before = payroll.run_totals(january)["all"]
    batch, outcome = report(death_of(zhang_wei, date(2025, 11, 20)))
    assert (outcome.total, outcome.accepted, outcome.duplicate, outcome.rejected) == (1, 1, 0, 0)
    death = DeathRecord.objects.get()
    assert death.status == DeathStatus.APPLIED and death.person == zhang_wei and death.source == Partner.CIVIL_AFFAIRS
    allowance.refresh_from_db()
    # Halted from the month after death: the last month is the death month, the status stays.
    assert (allowance.status, allowance.end_month) == ("active", NOV) and "2025-11-20 死亡（民政）" in allowance.note
    # The January payment left the unreleased run: its totals are what will be paid.
    assert allowance_payments(allowance) == [(NOV, "sent", 1), (DEC, "sent", 1)]
    after = payroll.run_totals(january)["all"]
    assert after["count"] == before["count"] - 1 and after["amount"] == before["amount"] - allowance.amount
    assert death.effects["withdrawn"] == [{
        "payment": death.effects["withdrawn"][0]["payment"], "run": january.pk, "run_period": "2026-01",
        "entitlement": allowance.pk, "period": "2026-01", "amount": f"{allowance.amount:.2f}",
        "benefit_type": "disability_allowance", "attempts": 1, "reissue_of": None}]
    # December was paid after the death month: an overpayment of that payment's amount.
    overpaid = Overpayment.objects.get()
    assert (overpaid.payment.period, overpaid.amount, overpaid.status) == (DEC, allowance.amount, RecoveryStatus.OPEN)
    assert death.effects["overpayments"] == {"count": 1, "amount": f"{allowance.amount:.2f}"}
    # The next payroll pays nothing more to him: no January arrears, no February.
    february = payroll.run_create(actor=maker, period="2026-02", background=False)
    assert not Payment.objects.filter(run=february, entitlement=allowance).exists()
    assert allowance_payments(allowance) == [(NOV, "sent", 1), (DEC, "sent", 1)]
    # 三级伤残: the next of kin may claim 丧葬补助金 and 供养亲属抚恤金 (第三十九条第三款).
    assert death.effects["routes"] == [{"case": case.pk, "case_number": case.number, "code": "grade_1_to_4",
                                        "grade": 3}]


def test_staff_are_told_the_family_is_not_and_the_trail_holds_counts_only(reviewers, worker, paid_to_december,
                                                                         zhang_wei):
    case, allowance = worker
    report(death_of(zhang_wei, date(2025, 11, 20)))
    death = DeathRecord.objects.get()
    sms = OutboxMessage.objects.filter(template=services.NOTICE_TEMPLATE)
    assert sorted(sms.values_list("recipient", flat=True)) == ["13700001001", "13700001002"]
    assert "民政部门报送的死亡信息中有1人" in sms.first().body and "张伟" not in sms.first().body
    assert not OutboxMessage.objects.filter(recipient=zhang_wei.mobile).exclude(template="sms_payment_issued").exists()
    event = AuditEvent.objects.get(event_type=ExchangeEventType.DEATH_APPLIED, target_id=str(death.pk),
                                   target_type="integrations.deathrecord")
    assert event.actor_label == services.LABEL and event.details == {
        "status": "applied", "source": "civil_affairs", "suspended": 1, "already_suspended": 0, "withdrawn": 1,
        "overpayments": 1, "routes": ["grade_1_to_4"]}
    run_event = AuditEvent.objects.get(event_type=ExchangeEventType.DEATH_APPLIED, target_type="benefits.payrollrun")
    assert run_event.details == {"death": death.pk, "withdrawn": 1, "amount": f"{allowance.amount:.2f}"}
    bound = AuditEvent.objects.get(event_type=ExchangeEventType.DEATH_APPLIED, target_id=str(allowance.pk),
                                   target_type="benefits.entitlement")
    assert bound.actor is None and bound.actor_label == services.LABEL
    assert (bound.details["end_month"], bound.details["previous_end_month"]) == ("2025-11", None)
    [note] = [e for e in CaseEvent.objects.filter(case=case, event_type="case.note") if e.details.get("exchange")]
    assert note.actor_label == services.LABEL and "待待遇审核员核实" in note.details["text"]


def test_confirm_stops_each_halted_entitlement_with_the_death_month(reviewers, worker, paid_to_december, zhang_wei):
    maker, checker = reviewers
    _case, allowance = worker
    report(death_of(zhang_wei, date(2025, 11, 20)))
    death = DeathRecord.objects.get()
    confirmed = services.death_confirm(actor=checker, death_id=death.pk, note="已核对火化证明")
    allowance.refresh_from_db()
    assert (allowance.status, allowance.stop_reason, allowance.end_month) == ("stopped", "death", NOV)
    assert (confirmed.status, confirmed.handled_by, confirmed.note) == (DeathStatus.CONFIRMED, checker, "已核对火化证明")
    assert confirmed.effects["confirmed"] == {"stopped": [allowance.pk]}
    assert AuditEvent.objects.filter(event_type=ExchangeEventType.DEATH_CONFIRMED, actor=checker).count() == 1
    february = payroll.run_create(actor=maker, period="2026-02", background=False)
    assert not Payment.objects.filter(run=february, entitlement=allowance).exists()
    assert Overpayment.objects.get().status == RecoveryStatus.OPEN  # recovery follows
    with pytest.raises(DomainError) as exc:
        services.death_refute(actor=checker, death_id=death.pk, note="重复提交")
    assert exc.value.status == 409 and DeathRecord.objects.get().status == DeathStatus.CONFIRMED


def test_refute_resumes_and_the_next_run_pays_each_month_once(reviewers, worker, paid_to_december, zhang_wei):
    maker, checker = reviewers
    _case, allowance = worker
    report(death_of(zhang_wei, date(2025, 11, 20)))
    death = DeathRecord.objects.get()
    with pytest.raises(FieldErrors) as exc:
        services.death_refute(actor=checker, death_id=death.pk, note="  ")
    assert "note" in exc.value.errors and DeathRecord.objects.get().status == DeathStatus.APPLIED
    refuted = services.death_refute(actor=checker, death_id=death.pk, note="经社区核实，本人健在")
    allowance.refresh_from_db()
    assert allowance.status == "active" and refuted.status == DeathStatus.REFUTED
    assert Overpayment.objects.get().status == RecoveryStatus.WAIVED
    assert Overpayment.objects.get().note == "死亡信息有误"
    # January's run is released without him; February pays January as arrears and February, once each.
    payroll.run_approve(actor=checker, run_id=paid_to_december.pk)
    payroll.run_release(actor=maker, run_id=paid_to_december.pk)
    february = payroll.run_create(actor=maker, period="2026-02", background=False)
    assert sorted(Payment.objects.filter(run=february, entitlement=allowance).values_list("period", flat=True)) == [
        JAN, FEB]
    assert allowance_payments(allowance) == [(NOV, "sent", 1), (DEC, "sent", 1), (JAN, "pending", 1),
                                             (FEB, "pending", 1)]
    assert refuted.effects["refuted"] == {"resumed": [allowance.pk], "not_resumed": [], "restored": [allowance.pk],
                                          "waived": [Overpayment.objects.get().pk]}
    assert allowance.end_month is None


def test_a_withdrawn_reissue_of_a_bank_failure_comes_back_after_a_refutation(reviewers, worker, zhang_wei):
    maker, checker = reviewers
    _case, allowance = worker
    release(maker, checker, "2025-11")
    december = release(maker, checker, "2025-12")
    failed = Payment.objects.get(run=december, entitlement=allowance)
    upload = SimpleUploadedFile("return.csv", f"支付流水号,金额,结果,失败原因\n{failed.pk},{failed.amount},失败,账户冻结\n"
                                .encode())
    bankfiles.bank_return_import(actor=maker, run_id=december.pk, upload=upload)
    january = payroll.run_create(actor=maker, period="2026-01", background=False)
    assert Payment.objects.filter(run=january, entitlement=allowance, reissue_of=failed).exists()
    report(death_of(zhang_wei, date(2025, 11, 20)))
    death = DeathRecord.objects.get()
    assert [(w["period"], w["reissue_of"]) for w in death.effects["withdrawn"]] == [
        ("2025-12", failed.pk), ("2026-01", None)]
    assert not Overpayment.objects.exists()  # the failed December never reached him
    services.death_refute(actor=checker, death_id=death.pk, note="公安户籍未注销，民政误报")
    february = payroll.run_create(actor=maker, period="2026-02", background=False)
    assert sorted(Payment.objects.filter(run=february, entitlement=allowance)
                  .values_list("period", "attempts", "reissue_of")) == [(DEC, 2, failed.pk), (JAN, 1, None),
                                                                        (FEB, 1, None)]


def test_the_same_death_again_is_a_duplicate_and_another_date_a_row_error(reviewers, worker, zhang_wei):
    _case, allowance = worker
    death = death_of(zhang_wei, date(2025, 11, 20))
    report(death)
    recorded = DeathRecord.objects.get()
    _batch, again = report(death, partner=Partner.PUBLIC_SECURITY)
    assert (again.total, again.accepted, again.duplicate, again.rejected) == (1, 0, 1, 0)
    _batch, other = report(death_of(zhang_wei, date(2025, 12, 2)))
    assert (other.accepted, other.duplicate, other.rejected) == (0, 0, 1)
    message = other.errors[0].message
    assert other.errors[0].row == 2 and "death_date（死亡日期）2025-12-02" in message and "2025-11-20" in message
    assert DeathRecord.objects.get().death_date == date(2025, 11, 20) == recorded.death_date
    assert OutboxMessage.objects.filter(template=services.NOTICE_TEMPLATE).count() == 2  # the first batch only


def test_a_dependant_who_dies_loses_only_her_own_pension(reviewers, worker):
    _case, allowance = worker
    case, _ = worker
    widow = civil.SUN_XIUYING
    pension = dependant_entitlement(case, name=widow.name, id_number=widow.id_number)
    _batch, outcome = report(civil.Death(widow.id_number, widow.name, date(2026, 1, 5)))
    death = DeathRecord.objects.get()
    pension.refresh_from_db()
    allowance.refresh_from_db()
    assert (death.status, death.person, pension.status, allowance.status) == (
        DeathStatus.APPLIED, None, "active", "active")
    assert (pension.end_month, allowance.end_month) == (JAN, None)
    assert death.effects["suspended"] == [pension.pk] and death.effects["routes"] == []
    assert death.effects["name_matches"] is True
    assert outcome.summary["暂停待遇、待核实的人数"] == 1


def test_nobody_to_stop_is_no_benefits_or_unmatched_and_tells_nobody(db):
    retiree = InsuredPersonFactory(name="赵德顺")
    stranger = civil.ZHOU_LIPING
    _batch, outcome = report(death_of(retiree, date(2026, 2, 1)),
                             civil.Death(stranger.id_number, stranger.name, date(2026, 2, 3)))
    statuses = dict(DeathRecord.objects.values_list("name", "status"))
    assert statuses == {"赵德顺": DeathStatus.NO_BENEFITS, "周立平": DeathStatus.UNMATCHED}
    assert outcome.summary == {"暂停待遇、待核实的人数": 0, "无在享待遇的人数": 1, "未匹配到参保人员的人数": 1}
    assert not OutboxMessage.objects.exists()
    with pytest.raises(DomainError) as exc:
        services.death_confirm(actor=_reviewer(), death_id=DeathRecord.objects.get(name="赵德顺").pk)
    assert exc.value.status == 409


def _reviewer():
    from gongshang.accounts.tests.factories import StaffUserFactory

    return StaffUserFactory(roles=[StaffRole.BENEFITS_REVIEWER])


def test_an_entitlement_suspended_before_is_stopped_on_confirm_and_left_alone_on_refute(reviewers, worker,
                                                                                      zhang_wei):
    maker, checker = reviewers
    case, allowance = worker
    from gongshang.benefits.services.entitlements import entitlement_suspend

    entitlement_suspend(actor=maker, entitlement_id=allowance.pk, reason="资格认证逾期")
    report(death_of(zhang_wei, date(2026, 1, 8)))
    death = DeathRecord.objects.get()
    assert (death.status, death.effects["suspended"], death.effects["already_suspended"]) == (
        DeathStatus.APPLIED, [], [allowance.pk])
    services.death_refute(actor=checker, death_id=death.pk, note="误报")
    allowance.refresh_from_db()
    assert (allowance.status, allowance.end_month) == ("suspended", None)  # its own reason still holds
    assert DeathRecord.objects.get().effects["refuted"]["resumed"] == []
    assert DeathRecord.objects.get().effects["refuted"]["restored"] == [allowance.pk]


def test_months_up_to_the_death_never_paid_are_shown(reviewers, worker, zhang_wei):
    """No run yet since 2025-11: November and December are owed (the death month is paid) but the
    payroll pays active items only, so the record lists them for staff."""
    _case, allowance = worker
    report(death_of(zhang_wei, date(2025, 12, 30)))
    assert DeathRecord.objects.get().effects["unpaid_through_death"] == [
        {"entitlement": allowance.pk, "months": ["2025-11", "2025-12"]}]


def test_routes_follow_the_case_conclusion(reviewers, zhang_wei, employer_a):
    from gongshang.benefits.tests.factories import approved_case

    maker, checker = reviewers
    case, _ = approved_case(zhang_wei, employer_a, maker, checker, grade=7)
    report(death_of(zhang_wei, date(2026, 1, 8)))
    death = DeathRecord.objects.get()
    assert death.status == DeathStatus.NO_BENEFITS  # 七级: no monthly item
    assert [r["code"] for r in death.effects["routes"]] == ["grade_5_to_10"]


# --- overpayments -------------------------------------------------------------------------------------

@pytest.fixture
def overpaid(reviewers, worker, paid_to_december, zhang_wei):
    report(death_of(zhang_wei, date(2025, 11, 20)))
    return Overpayment.objects.get()


def test_recovery_waits_for_the_confirmation_and_needs_a_note(reviewers, overpaid):
    _maker, checker = reviewers
    with pytest.raises(FieldErrors) as exc:
        services.overpayment_settle(actor=checker, overpayment_id=overpaid.pk, action="recover", note="")
    assert "note" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.overpayment_settle(actor=checker, overpayment_id=overpaid.pk, action="recover", note="已退回")
    assert (exc.value.status, exc.value.code) == (409, "exchange_death_unconfirmed")
    services.death_confirm(actor=checker, death_id=overpaid.death_id)
    row = services.overpayment_settle(actor=checker, overpayment_id=overpaid.pk, action="recover",
                                      note="2026-03-09 由银行退回")
    assert (row.status, row.handled_by, row.note) == (RecoveryStatus.RECOVERED, checker, "2026-03-09 由银行退回")
    event = AuditEvent.objects.get(event_type=ExchangeEventType.RECOVERY_RECORDED)
    assert event.details == {"from": "open", "to": "recovered", "action": "recover", "amount": f"{overpaid.amount:.2f}"}
    with pytest.raises(DomainError) as exc:
        services.overpayment_settle(actor=checker, overpayment_id=overpaid.pk, action="waive", note="再核销")
    assert exc.value.status == 409 and Overpayment.objects.get().status == RecoveryStatus.RECOVERED


def test_waive_with_a_reason_before_or_after_the_confirmation(reviewers, overpaid):
    _maker, checker = reviewers
    row = services.overpayment_settle(actor=checker, overpayment_id=overpaid.pk, action="waive", note="继承人无力偿还")
    assert (row.status, row.note) == (RecoveryStatus.WAIVED, "继承人无力偿还")


def test_other_roles_and_regions_are_refused(reviewers, overpaid, staff_factory):
    exchange = staff_factory(StaffRole.EXCHANGE)
    elsewhere = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370700")
    with pytest.raises(DomainError) as exc:
        services.death_confirm(actor=exchange, death_id=overpaid.death_id)
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        services.death_confirm(actor=elsewhere, death_id=overpaid.death_id)
    assert exc.value.status == 404
    with pytest.raises(DomainError) as exc:
        services.overpayment_settle(actor=elsewhere, overpayment_id=overpaid.pk, action="waive", note="x")
    assert exc.value.status == 404
    assert DeathRecord.objects.get().status == DeathStatus.APPLIED and Entitlement.objects.filter(
        status="active", end_month=NOV).count() == 1


def test_run_totals_and_bank_file_match_after_withdrawal(reviewers, worker, paid_to_december, zhang_wei):
    """The January run, released after the death, sends the bank exactly what its totals say."""
    maker, checker = reviewers
    report(death_of(zhang_wei, date(2025, 11, 20)))
    payroll.run_approve(actor=checker, run_id=paid_to_december.pk)
    payroll.run_release(actor=maker, run_id=paid_to_december.pk)
    totals = payroll.run_totals(PayrollRun.objects.get(pk=paid_to_december.pk))["all"]
    rows = list(bankfiles.export_rows(paid_to_december))
    assert len(rows) == totals["count"] and sum(Decimal(r[4]) for r in rows) == totals["amount"]


# --- the months up to the death are owed: paid as arrears once, nothing after -----------------------

def test_the_next_payroll_pays_every_unpaid_month_through_the_death_month_once(reviewers, worker, zhang_wei):
    """No run since the allowance started (2025-11); he died 2025-12-30. The January run pays
    November and December as arrears and not January; February pays him nothing."""
    maker, checker = reviewers
    _case, allowance = worker
    report(death_of(zhang_wei, date(2025, 12, 30)))
    allowance.refresh_from_db()
    assert (allowance.status, allowance.end_month) == ("active", DEC)  # halted from the month after death
    january = release(maker, checker, "2026-01")
    assert sorted(Payment.objects.filter(run=january, entitlement=allowance).values_list("period", flat=True)) == [
        NOV, DEC]
    february = payroll.run_create(actor=maker, period="2026-02", background=False)
    assert not Payment.objects.filter(run=february, entitlement=allowance).exists()
    assert [p for p, _s, _a in allowance_payments(allowance)] == [NOV, DEC]


def test_a_death_after_a_computed_run_keeps_the_death_month_payment(reviewers, worker, paid_to_december,
                                                                   zhang_wei):
    """Died 2026-01-08: January (computed, unreleased) is his last month and stays in the run."""
    maker, checker = reviewers
    _case, allowance = worker
    report(death_of(zhang_wei, date(2026, 1, 8)))
    death = DeathRecord.objects.get()
    assert death.effects["withdrawn"] == [] and not Overpayment.objects.exists()
    assert Payment.objects.filter(run=paid_to_december, entitlement=allowance, period=JAN).exists()
    payroll.run_approve(actor=checker, run_id=paid_to_december.pk)
    payroll.run_release(actor=maker, run_id=paid_to_december.pk)
    february = payroll.run_create(actor=maker, period="2026-02", background=False)
    assert not Payment.objects.filter(run=february, entitlement=allowance).exists()
    services.death_confirm(actor=checker, death_id=death.pk)
    allowance.refresh_from_db()
    assert (allowance.status, allowance.end_month) == ("stopped", JAN)


def test_confirm_waits_until_the_months_through_the_death_are_paid(reviewers, worker, zhang_wei):
    """Stopping first would lose November and December (payroll pays active items only): 409, then
    the run pays them, then the confirmation stops the allowance."""
    maker, checker = reviewers
    _case, allowance = worker
    report(death_of(zhang_wei, date(2025, 12, 30)))
    death = DeathRecord.objects.get()
    with pytest.raises(DomainError) as exc:
        services.death_confirm(actor=checker, death_id=death.pk)
    assert (exc.value.status, exc.value.code) == (409, "exchange_death_unpaid_months")
    assert "2025-11" in exc.value.message and "2025-12" in exc.value.message
    allowance.refresh_from_db()
    assert allowance.status == "active" and DeathRecord.objects.get().status == DeathStatus.APPLIED
    release(maker, checker, "2026-01")
    services.death_confirm(actor=checker, death_id=death.pk)
    allowance.refresh_from_db()
    assert (allowance.status, allowance.stop_reason, allowance.end_month) == ("stopped", "death", DEC)
    assert [p for p, _s, _a in allowance_payments(allowance)] == [NOV, DEC]


def test_refute_restores_the_end_month_it_set(reviewers, worker, zhang_wei):
    maker, checker = reviewers
    _case, allowance = worker
    Entitlement.objects.filter(pk=allowance.pk).update(end_month=date(2026, 6, 1))
    report(death_of(zhang_wei, date(2025, 12, 30)))
    allowance.refresh_from_db()
    assert allowance.end_month == DEC
    services.death_refute(actor=checker, death_id=DeathRecord.objects.get().pk, note="经社区核实，本人健在")
    allowance.refresh_from_db()
    assert (allowance.status, allowance.end_month) == ("active", date(2026, 6, 1))
    february = release(maker, checker, "2026-02")
    assert sorted(Payment.objects.filter(run=february, entitlement=allowance).values_list("period", flat=True)) == [
        NOV, DEC, JAN, FEB]


def test_end_to_end_through_the_batch_service(reviewers, worker, paid_to_december, zhang_wei):
    """The file drop's path: batch_receive → batch_process with the real adapter; the same file again
    is a duplicate batch, 公安's report of the same death a duplicate row; the SMS goes once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..choices import BatchStatus
    from ..services import batches

    _case, allowance = worker
    content = civil.deaths_file([death_of(zhang_wei, date(2025, 11, 20))])

    def receive(partner=Partner.CIVIL_AFFAIRS):
        batch = batches.batch_receive(actor=None, region="370200", partner=partner, kind="deaths",
                                      upload=SimpleUploadedFile("deaths.csv", content, content_type="text/csv"))
        if batch.status == BatchStatus.RECEIVED:
            batch = batches.batch_process(batch.pk)
        return batch

    first = receive()
    assert (first.status, first.total, first.accepted, first.rejected) == (BatchStatus.DONE, 1, 1, 0)
    assert first.summary["暂停待遇、待核实的人数"] == 1
    allowance.refresh_from_db()
    assert (allowance.status, allowance.end_month) == ("active", NOV)
    again = receive()
    assert again.pk != first.pk and again.status == BatchStatus.DUPLICATE and DeathRecord.objects.count() == 1
    police = receive(Partner.PUBLIC_SECURITY)
    assert (police.status, police.accepted, police.duplicate) == (BatchStatus.DONE, 0, 1)
    assert OutboxMessage.objects.filter(template=services.NOTICE_TEMPLATE).count() == 2  # one batch, two reviewers
    assert Overpayment.objects.count() == 1
