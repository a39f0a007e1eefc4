"""月度发放: exactly once per (entitlement, month), resumable after a crash, two-person release,
bank file export and return reconciliation to the fen, failed payments re-issued, arrears."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Payment, PayrollRun
from gongshang.benefits.permissions import SECOND_PERSON
from gongshang.benefits.services import bankfiles, payroll, payroll_sql
from gongshang.benefits.services import entitlements as ent
from gongshang.benefits.services.entitlements import CreateInput
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import OutboxMessage

from .factories import make_case, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def two_cases(people, zhang_wei, li_na, employer_a, employer_b, parameters):
    maker, checker = people
    cases = [make_case(zhang_wei, employer_a), make_case(li_na, employer_b, wage=D("9000"))]
    record(maker, cases[0], grade=3)
    record(maker, cases[1], grade=1, nursing="full")
    for case in cases:
        ent.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行",
                                                                               bank_account="6222000011112222"))
        ent.entitlements_approve(actor=checker, case_id=case.pk)
    return cases


def snapshot(run):
    return sorted(Payment.objects.filter(run=run).values_list("entitlement_id", "period", "amount"))


def test_run_computes_every_payment_due_once(people, two_cases):
    maker, _ = people
    run = payroll.run_create(actor=maker, period="2025-11")
    assert run.status == "computed"
    totals = payroll.run_totals(run)
    assert totals["all"] == {"count": 5, "amount": D("138000") + D("4800") + D("243000") + D("8100") + D("4000")}
    # 一级: 27 × 9,000 = 243,000; 90% × 9,000 = 8,100; 护理 50% × 8,000 = 4,000
    assert {(t["benefit_type"], t["payer"]) for t in totals["by_type"]} == {
        ("one_time_disability_subsidy", "fund"), ("disability_allowance", "fund"), ("nursing_allowance", "fund")}
    with pytest.raises(DomainError) as exc:
        payroll.run_create(actor=maker, period="2025-11")
    assert exc.value.status == 409
    payment = Payment.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(run=run, entitlement=payment.entitlement, period=payment.period, region="370200",
                               benefit_type=payment.benefit_type, payer="fund", amount=1)


def test_crash_mid_run_then_resume_has_no_duplicate_and_no_gap(people, two_cases, monkeypatch, django_db_blocker):
    maker, _ = people
    calls = {"n": 0}
    real = payroll_sql.insert_once

    def crash_on_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("断电")
        return real(**kwargs)

    monkeypatch.setattr(payroll_sql, "insert_once", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        payroll.run_create(actor=maker, period="2025-11", chunk=2)
    run = PayrollRun.objects.get()
    first = run.payments.order_by("entitlement_id").first()
    assert run.status == "computing" and first and run.cursor == first.entitlement_id + 1
    partial = Payment.objects.count()
    assert 0 < partial < 5
    monkeypatch.setattr(payroll_sql, "insert_once", real)
    resumed = payroll.run_create(actor=maker, period="2025-11", chunk=2)
    assert resumed.pk == run.pk and resumed.status == "computed"
    assert Payment.objects.count() == 5
    # the same as a clean run: recompute everything and nothing is added
    for lo in range(first.entitlement_id - 1, run.max_entitlement):
        payroll_sql.insert_monthly(run_id=run.pk, region="370200", period=date(2025, 11, 1), lo=lo, hi=lo + 1,
                                   adjusted=True)
        payroll_sql.insert_once(run_id=run.pk, region="370200", period=date(2025, 11, 1), lo=lo, hi=lo + 1)
    assert Payment.objects.count() == 5


def test_two_person_release_export_and_reconcile(people, two_cases, staff_factory):
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    with pytest.raises(DomainError) as exc:
        payroll.run_approve(actor=maker, run_id=run.pk)
    assert (exc.value.status, exc.value.message) == (403, SECOND_PERSON)  # four eyes: PayrollRun.access
    for call in (lambda: payroll.run_release(actor=checker, run_id=run.pk),  # not approved yet
                 lambda: payroll.run_approve(actor=checker, run_id=run.pk) and payroll.run_release(
                     actor=checker, run_id=run.pk),  # the approver cannot also release
                 lambda: bankfiles.export_csv(actor=maker, run_id=run.pk)):  # not released
        with pytest.raises(DomainError):
            call()
    run = payroll.run_release(actor=maker, run_id=run.pk)
    assert set(Payment.objects.values_list("status", flat=True)) == {"sent"}
    rows = list(csv.reader(io.StringIO(bankfiles.export_csv(actor=maker, run_id=run.pk).lstrip("\ufeff"))))
    assert rows[0] == bankfiles.HEADER and len(rows) == 6 and rows[1][3] == "6222000011112222"
    assert bankfiles.export_xlsx(actor=maker, run_id=run.pk)[:2] == b"PK"

    ids = [int(r[0]) for r in rows[1:]]
    amounts = {int(r[0]): r[4] for r in rows[1:]}
    lines = ["支付流水号,金额,结果,失败原因", f"{ids[0]},{amounts[ids[0]]},成功,", f"{ids[1]},{amounts[ids[1]]},失败,账户已销户",
             f"{ids[2]},{D(amounts[ids[2]]) + D('0.01')},成功,", "abc,1,成功,", "999999,1.00,成功,"]
    upload = SimpleUploadedFile("return.csv", "\n".join(lines).encode(), content_type="text/csv")
    result = bankfiles.bank_return_import(actor=maker, run_id=run.pk, upload=upload)
    assert (result.paid_count, result.failed_count) == (1, 1)
    assert result.paid_total == D(amounts[ids[0]]) and result.failed_total == D(amounts[ids[1]])
    assert len(result.rejected) == 3 and "不一致" in result.rejected[0]["reason"]
    run.refresh_from_db()
    assert run.status == "released"  # three still outstanding
    sms = OutboxMessage.objects.order_by("pk")
    assert [m.template for m in sms] == ["sms_payment_issued", "sms_payment_failed"]
    assert "账户已销户" in sms[1].body and "2222" in sms[0].body
    rest = ["支付流水号,金额,结果,失败原因"] + [f"{i},{amounts[i]},成功," for i in ids[2:]]
    bankfiles.bank_return_import(actor=maker, run_id=run.pk,
                                 upload=SimpleUploadedFile("r2.csv", "\n".join(rest).encode()))
    run.refresh_from_db()
    assert run.status == "reconciled"
    paid = sum(p.amount for p in Payment.objects.filter(status="paid"))
    failed = Payment.objects.get(status="failed")
    assert paid + failed.amount == payroll.run_totals(run)["all"]["amount"]

    november_totals = payroll.run_totals(run)
    december = payroll.run_create(actor=checker, period="2025-12")
    failed.refresh_from_db()
    assert (failed.run_id, failed.status, failed.attempts, failed.period) == (run.pk, "failed", 1, date(2025, 11, 1))
    reissue = Payment.objects.get(reissue_of=failed)
    assert (reissue.run_id, reissue.status, reissue.attempts, reissue.period, reissue.amount) == (
        december.pk, "pending", 2, date(2025, 11, 1), failed.amount)
    assert payroll.run_totals(run) == november_totals
    assert Payment.objects.filter(run=december, period=date(2025, 12, 1)).count() == 3  # monthly items only
    assert payroll.run_totals(december)["by_kind"]["reissue"] == {"count": 1, "amount": failed.amount}


def test_bad_return_files(people, two_cases):
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    payroll.run_approve(actor=checker, run_id=run.pk)
    payroll.run_release(actor=maker, run_id=run.pk)
    for content in (b"\xff\xfe\x00garbage", b"a,b\n1,2", b"PK\x03\x04broken"):
        with pytest.raises(DomainError) as exc:
            bankfiles.bank_return_import(actor=maker, run_id=run.pk, upload=SimpleUploadedFile("x.csv", content))
        assert exc.value.status == 422


def test_hostile_return_workbooks_are_refused_before_openpyxl(people, two_cases):
    """A 20 KB xlsx that inflates to megabytes of XML (or carries a megabyte-long cell) is refused by
    the zip-layer bounds, before openpyxl inflates it."""
    import os
    from unittest import mock

    from gongshang.registry.tests.imports_helpers import header_row, raw_xlsx

    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    payroll.run_approve(actor=checker, run_id=run.pk)
    payroll.run_release(actor=maker, run_id=run.pk)
    bomb = raw_xlsx(header_row() + " " * (3 * 1024 * 1024))
    long_cell = raw_xlsx(f'<row r="2"><c r="A2" t="inlineStr"><is><t>{os.urandom(600_000).hex()}</t></is></c></row>')
    for content in (bomb, long_cell):
        with mock.patch("openpyxl.load_workbook") as load, pytest.raises(DomainError) as exc:
            bankfiles.bank_return_import(actor=maker, run_id=run.pk, upload=SimpleUploadedFile("r.xlsx", content))
        load.assert_not_called()
        assert exc.value.status == 422 and "结构异常" in exc.value.message


def test_arrears_for_entitlement_approved_after_a_run(people, two_cases, zhang_wei, employer_a):
    maker, checker = people
    payroll.run_create(actor=maker, period="2025-11")
    late = make_case(zhang_wei, employer_a, injured_on=date(2025, 7, 1))
    record(maker, late, grade=5, concluded_on=date(2025, 9, 20))  # monthly allowance from 2025-10 (employer)
    record(maker, late, grade=2, concluded_on=date(2025, 9, 20))  # re-appraisal supersedes: fund pays
    ent.entitlements_create(actor=maker, case_id=late.pk, data=CreateInput())
    ent.entitlements_approve(actor=checker, case_id=late.pk)
    december = payroll.run_create(actor=checker, period="2025-12")
    allowance = late.entitlements.get(benefit_type="disability_allowance")
    assert sorted(allowance.payments.values_list("period", flat=True)) == [date(2025, 10, 1), date(2025, 11, 1),
                                                                         date(2025, 12, 1)]
    assert allowance.payments.filter(run=december).count() == 3


def test_suspended_and_stopped_not_paid_and_period_checked(people, two_cases):
    maker, _ = people
    allowance = two_cases[0].entitlements.get(benefit_type="disability_allowance")
    ent.entitlement_suspend(actor=maker, entitlement_id=allowance.pk, reason="未认证")
    run = payroll.run_create(actor=maker, period="2025-11")
    assert not allowance.payments.exists() and Payment.objects.filter(run=run).count() == 4
    with pytest.raises(FieldErrors):
        payroll.run_create(actor=maker, period="2025-13")
    with pytest.raises(FieldErrors):
        payroll.run_create(actor=maker, period="2030-01")


def test_large_run_goes_to_the_task_queue(people, two_cases, monkeypatch):
    from gongshang.benefits import tasks

    maker, _ = people
    queued = []
    assert payroll.enqueue(0) is True  # the configured backend accepts it
    monkeypatch.setattr(payroll, "enqueue", lambda run_id: queued.append(run_id) or True)
    run = payroll.run_create(actor=maker, period="2025-11", background=True)
    assert run.status == "computing" and queued == [run.pk] and not Payment.objects.exists()
    assert tasks.compute_payroll_run.func(run.pk) == "computed"
    assert Payment.objects.count() == 5


def test_approve_and_release_sent_at_once_by_one_person_keep_four_eyes(people, two_cases, monkeypatch):
    """The checker sends 复核 and 发放 at once (two tabs, or the API): the release request loaded
    the run before the approval committed, then waited for the lock. The releaser is still checked
    against the approver on the locked row: 403, nothing released."""
    from gongshang.core.errors import Forbidden

    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    loaded_before_approval = PayrollRun.objects.get(pk=run.pk)
    payroll.run_approve(actor=checker, run_id=run.pk)
    monkeypatch.setattr(payroll.selectors, "run_get", lambda **kwargs: loaded_before_approval)
    with pytest.raises(Forbidden):
        payroll.run_release(actor=checker, run_id=run.pk)
    assert PayrollRun.objects.get(pk=run.pk).status == "approved"
    assert set(Payment.objects.values_list("status", flat=True)) == {"pending"}
