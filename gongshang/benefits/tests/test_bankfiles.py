"""银行回盘, set-based: the file read once, lines matched in one pass, the payments moved
by one UPDATE per outcome checked against the Payment table — the same outcome and messages as the
line-by-line import, a second import of the same file changing nothing."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.benefits.models import BankReturn, BankReturnLine, Payment
from gongshang.benefits.services import bankfiles, payroll
from gongshang.core.errors import DomainError
from gongshang.core.models import OutboxMessage

from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

HEAD = "支付流水号,金额,结果,失败原因"


@pytest.fixture
def released(people, two_cases):  # noqa: F811
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    payroll.run_approve(actor=checker, run_id=run.pk)
    payroll.run_release(actor=maker, run_id=run.pk)
    rows = list(csv.reader(io.StringIO(bankfiles.export_csv(actor=maker, run_id=run.pk).lstrip("\ufeff"))))[1:]
    return maker, run, [(int(r[0]), r[4]) for r in rows]


def _import(maker, run, lines):
    return bankfiles.bank_return_import(actor=maker, run_id=run.pk,
                                        upload=SimpleUploadedFile("r.csv", "\n".join([HEAD, *lines]).encode()))


def _state(run):
    return (sorted(Payment.objects.filter(run=run).values_list("pk", "status", "failure_reason", "paid_on")),
            BankReturnLine.objects.count(), OutboxMessage.objects.count())


def test_second_import_of_the_same_file_changes_nothing(released):
    maker, run, payments = released
    lines = [f"{pk},{amount},{'失败' if i == 0 else '成功'}," for i, (pk, amount) in enumerate(payments[:-1])]
    first = _import(maker, run, lines)
    assert (first.paid_count, first.failed_count, first.rejected) == (len(payments) - 2, 1, [])
    assert Payment.objects.get(pk=payments[0][0]).failure_reason == "银行退回"  # no reason given
    before = _state(run)
    again = _import(maker, run, lines)
    assert (again.paid_count, again.failed_count, again.paid_total, again.failed_total) == (0, 0, 0, 0)
    assert [r["reason"] for r in again.rejected] == [
        f"第 {n} 行：流水号 {pk} 不属于本批次待回盘的支付，或已对账" for n, (pk, _) in enumerate(payments[:-1], start=2)]
    assert _state(run) == before
    run.refresh_from_db()
    assert run.status == "released"  # the last payment is still 已报盘
    last = _import(maker, run, [f"{payments[-1][0]},{payments[-1][1]},成功,"])
    run.refresh_from_db()
    assert (last.paid_count, run.status) == (1, "reconciled")
    reconciled = _state(run)
    with pytest.raises(DomainError) as exc:  # a reconciled run takes no return file at all
        _import(maker, run, lines)
    assert exc.value.status == 409 and _state(run) == reconciled


def test_lines_read_in_file_order_like_the_line_by_line_import(released):
    """A wrong amount leaves the payment open for a later line; once matched, any other line naming
    it is refused as already reconciled; the failure reason is the bank's."""
    maker, run, payments = released
    (pk, amount), (other, other_amount) = payments[0], payments[1]
    wrong = Decimal(amount) + Decimal("0.01")
    result = _import(maker, run, [f"{pk},{wrong},成功,", f"{pk},{amount},失败,账户已销户", f"{pk},{amount},成功,",
                                  f"{other},{other_amount},maybe,", f"{other},{other_amount},1,"])
    assert [(r["line"], r["field"]) for r in result.rejected] == [(2, "金额"), (4, "支付流水号"), (5, "结果")]
    assert result.rejected[0]["reason"] == f"第 2 行：金额 {wrong} 与报盘金额 {amount} 不一致"
    assert (result.paid_count, result.failed_count) == (1, 1)
    assert Payment.objects.get(pk=pk).failure_reason == "账户已销户"
    assert Payment.objects.get(pk=other).status == "paid" and Payment.objects.get(pk=other).paid_on
    assert [m.template for m in OutboxMessage.objects.order_by("pk")] == ["sms_payment_failed",
                                                                           "sms_payment_issued"]


def test_bulk_path_refuses_a_payment_not_in_sent(released, monkeypatch):
    maker, run, payments = released
    for source in ("pending", "paid", "failed"):  # the Payment table: record_paid / record_failed start from sent
        for action in ("record_paid", "record_failed"):
            with pytest.raises(DomainError) as exc:
                payroll.bulk_transition(Payment.objects.filter(run=run), action, source)
            assert exc.value.status == 409
    # A payment matched as 已报盘 but no longer so when the UPDATE runs: nothing of the file is kept.
    real = bankfiles._match

    def paid_meanwhile(run_, rows):
        matched = real(run_, rows)
        Payment.objects.filter(pk=payments[0][0]).update(status="paid")
        return matched

    monkeypatch.setattr(bankfiles, "_match", paid_meanwhile)
    before = _state(run)
    with pytest.raises(DomainError) as exc:
        _import(maker, run, [f"{pk},{amount},成功," for pk, amount in payments])
    assert exc.value.status == 409
    assert _state(run) == before and not BankReturn.objects.exists()
    assert set(Payment.objects.filter(run=run).values_list("status", flat=True)) == {"sent"}


def test_the_update_is_checked_against_the_payment_table(released, monkeypatch):
    """The bulk write asks the Payment table, not a hard-coded sent → paid/failed: a table without
    record_failed from 已报盘 refuses the whole file."""
    from gongshang.benefits.rules import workflows
    from gongshang.core.workflow import Workflow, step

    maker, run, payments = released
    table = Workflow(kind="payment", statuses=workflows.PAYMENT_WORKFLOW.statuses,
                     steps={"release": step("pending", "sent"), "record_paid": step("sent", "paid")})
    monkeypatch.setattr(bankfiles, "PAYMENT_WORKFLOW", table)
    before = _state(run)
    with pytest.raises(DomainError) as exc:
        _import(maker, run, [f"{pk},{amount},成功," for pk, amount in payments])
    assert exc.value.status == 409 and exc.value.details == {"status": "sent", "action": "record_failed"}
    assert _state(run) == before and not BankReturn.objects.exists()
