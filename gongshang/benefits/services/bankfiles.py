"""Bank payment file (报盘) export, CSV and xlsx, and the bank's return file (回盘) import that
reconciles every payment to the fen: paid, failed (the outcome recorded on the payment, which
stays in its run; the next run re-issues it as a new row), or refused as mismatched — a line that
cannot be read is refused with its line number and field, never a 500."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError
from gongshang.core.money import fen_str, to_fen
from gongshang.core.notifications.services import enqueue_messages
from gongshang.core.validators import ascii_digits
from gongshang.core.workflow import transition

from .. import selectors
from ..choices import BenefitType, EventType, PaymentStatus
from ..errors import BenefitsErrorCode
from ..models import BankReturn, BankReturnLine, Payment, PayrollRun
from ..rules.workflows import PAYMENT_WORKFLOW, PAYROLL_RUN_WORKFLOW

HEADER = ["支付流水号", "收款人", "开户银行", "银行账号", "金额", "待遇项目", "所属月份"]
RETURN_HEADER = ["支付流水号", "金额", "结果", "失败原因"]
OK_WORDS = {"成功", "paid", "success", "ok", "1"}
FAIL_WORDS = {"失败", "failed", "fail", "0"}
MAX_RETURN_BYTES = 50 * 1024 * 1024


def export_rows(run: PayrollRun):
    """Every payment of this released run — the same file before and after the bank's return, so
    the run's totals match its bank file forever (payments never move between runs). Bank accounts
    in full: the bank needs them (the export is recorded in the audit log)."""
    names = dict(BenefitType.choices)
    payments = (Payment.objects.filter(run=run).exclude(status=PaymentStatus.PENDING).select_related("entitlement")
                .order_by("pk").iterator(chunk_size=2000))
    for p in payments:
        e = p.entitlement
        yield [str(p.pk), e.beneficiary_name, e.bank_name, e.bank_account, fen_str(p.amount),
               str(names.get(p.benefit_type, p.benefit_type)), f"{p.period:%Y-%m}"]


def _exportable(actor, run_id: int, fmt: str) -> PayrollRun:
    run = selectors.run_get(actor=actor, run_id=run_id, action="export_bank_file")
    if not PAYROLL_RUN_WORKFLOW.can("export_bank_file", run.status):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, "发放批次放行后才能导出银行报盘文件。", status=409)
    record_event(actor=actor, event_type=EventType.BANK_FILE_EXPORTED, target=run, region=run.region,
                 details={"format": fmt})
    return run


def export_csv(*, actor, run_id: int) -> str:
    run = _exportable(actor, run_id, "csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(export_rows(run))
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 CSV correctly


def export_xlsx(*, actor, run_id: int) -> bytes:
    from openpyxl import Workbook

    run = _exportable(actor, run_id, "xlsx")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{run.period:%Y-%m}")
    sheet.append(HEADER)
    for row in export_rows(run):
        sheet.append(row)  # every cell text: account numbers exceed Excel's precision
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BANK_XLSX_REFUSED = ("银行回盘文件的结构异常（解压后过大、压缩率异常或含有超长内容），系统未读取。"
                     "请上传银行返回的原始回盘文件，或另存为 CSV 后上传。")


def _check_xlsx_bounds(content: bytes) -> None:
    """The roster import's zip-layer bounds (declared sizes, compression ratio, token length) before
    openpyxl inflates anything: a small hostile .xlsx must not take the server's memory."""
    from gongshang.registry.imports.problems import SheetProblem
    from gongshang.registry.imports.xlsxzip import Workbook

    try:
        workbook = Workbook(content)
        for path in workbook.members:
            for _chunk in workbook.chunks(path):
                pass
    except SheetProblem as exc:
        raise DomainError(BenefitsErrorCode.BANK_FILE, BANK_XLSX_REFUSED, status=422,
                          details=[{"field": "file", "message": BANK_XLSX_REFUSED}]) from exc


def _read_rows(name: str, content: bytes) -> list[list[str]]:
    if content[:2] == b"PK":
        from openpyxl import load_workbook

        _check_xlsx_bounds(content)
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # any corrupt workbook: the person gets a message, never a 500
            raise DomainError(BenefitsErrorCode.BANK_FILE, status=422) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DomainError(BenefitsErrorCode.BANK_FILE, status=422) from exc
    return [row for row in csv.reader(io.StringIO(text))]


MAX_LINE_AMOUNT = Decimal("100000000")  # no single benefit payment reaches 1 亿元


def _parse_amount(text: str) -> Decimal | None:
    """A finite amount in yuan with at most two decimals; None for Infinity, NaN, 1E+40, "abc"."""
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    if not amount.is_finite() or not 0 <= amount < MAX_LINE_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount


def _parse_line(row: list[str]):
    """(payment id, amount, succeeded, reason) or (field, error message)."""
    cells = [c.strip() for c in row] + ["", "", "", ""]
    if not ascii_digits(cells[0]) or len(cells[0]) > 18:
        return "支付流水号", "流水号应为数字"
    amount = _parse_amount(cells[1])
    if amount is None:
        return "金额", f"金额“{cells[1][:30]}”无法识别（应为 0 至 1 亿元、最多两位小数的数字）"
    result = cells[2].lower()
    if result not in OK_WORDS | FAIL_WORDS:
        return "结果", "结果应为“成功”或“失败”"
    return int(cells[0]), amount, result in OK_WORDS, cells[3][:200]


def _match(run, rows) -> tuple[list[tuple], list[dict]]:
    """Read every line once, in file order, against the run's 已报盘 payments (one query for their
    ids and amounts): (matched lines as (payment id, amount, succeeded, reason), rejected lines).
    A payment matches its first line with the right amount; a line with a wrong amount leaves it
    open for a later line; any other line naming it is refused as already reconciled."""
    rejected, matched = [], []
    sent = dict(Payment.objects.filter(run=run, status=PaymentStatus.SENT).order_by()
                .values_list("pk", "amount").iterator(chunk_size=20000))
    for number, row in enumerate(rows, start=2):
        parsed = _parse_line(row)
        if len(parsed) == 2:
            rejected.append({"line": number, "field": parsed[0], "reason": f"第 {number} 行{parsed[0]}：{parsed[1]}"})
            continue
        pid, amount, ok, reason = parsed
        expected = sent.pop(pid, None)
        if expected is None:
            rejected.append({"line": number, "field": "支付流水号",
                             "reason": f"第 {number} 行：流水号 {pid} 不属于本批次待回盘的支付，或已对账"})
        elif amount != expected:
            sent[pid] = expected
            rejected.append({"line": number, "field": "金额",
                             "reason": f"第 {number} 行：金额 {amount} 与报盘金额 {fen_str(expected)} 不一致"})
        else:
            matched.append((pid, amount, ok, reason))
    return matched, rejected


def _apply(run, rows, bank_return) -> list[dict]:
    """Set-based: the matched lines go in with one multi-row insert (COPY on PostgreSQL), then one
    UPDATE … FROM moves the run's payments named by this return's lines, checked against the
    Payment table (record_paid / record_failed start from 已报盘 only). If the
    UPDATEs do not move exactly the matched payments (one left 已报盘 in between), nothing is kept."""
    from gongshang.registry.imports.bulkinsert import insert_rows

    matched, rejected = _match(run, rows)
    if not matched:
        return rejected
    insert_rows(BankReturnLine, matched, variables=("payment_id", "amount", "succeeded", "reason"),
                constants={"bank_return_id": bank_return.pk}, batch_size=2000)
    moved = _record_outcomes(run, bank_return)
    if moved != len(matched):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, status=409,
                          details={"status": PaymentStatus.SENT, "expected": len(matched), "moved": moved})
    _notify_all(bank_return)
    return rejected


def _record_outcomes(run, bank_return) -> int:
    """One UPDATE … FROM (PostgreSQL, SQLite ≥ 3.33) moving the run's 已报盘 payments named by this
    return's lines to the target of record_paid / record_failed in the Payment table (checked, as
    bulk_transition does: a payment in any other status is not touched). Returns the rows moved."""
    targets = []
    for action in ("record_paid", "record_failed"):
        if not PAYMENT_WORKFLOW.can(action, PaymentStatus.SENT):
            raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, status=409,
                              details={"status": PaymentStatus.SENT, "action": action})
        targets.append(PAYMENT_WORKFLOW.target_of(action, PaymentStatus.SENT))
    payments, lines = connection.ops.quote_name(Payment._meta.db_table), connection.ops.quote_name(
        BankReturnLine._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {lines}")  # rows just copied in: the join is planned on real counts
        # Identifiers from _meta, quoted; every value a bound parameter.
        cursor.execute(
            f"UPDATE {payments} SET status = CASE WHEN l.succeeded THEN %s ELSE %s END, "  # noqa: S608
            f"failure_reason = CASE WHEN l.succeeded THEN '' ELSE COALESCE(NULLIF(l.reason, ''), %s) END, "
            f"paid_on = CASE WHEN l.succeeded THEN %s ELSE NULL END "
            f"FROM {lines} l WHERE l.bank_return_id = %s AND l.payment_id = {payments}.id "
            f"AND {payments}.run_id = %s AND {payments}.status = %s",
            [*targets, "银行退回", connection.ops.adapt_datefield_value(timezone.localdate(bank_return.imported_at)),
             bank_return.pk, run.pk, PaymentStatus.SENT])
        return cursor.rowcount


def _notify_all(bank_return) -> None:
    """One SMS per reconciled payment whose beneficiary has a mobile, in the file's order, queued
    with multi-row inserts (enqueue_messages)."""
    payments = (Payment.objects.filter(bank_lines__bank_return=bank_return, entitlement__person__isnull=False)
                .select_related("entitlement__person").order_by("bank_lines__id"))
    enqueue_messages(spec for spec in (_message(p) for p in payments.iterator(chunk_size=2000)) if spec)


def _message(payment: Payment) -> dict | None:
    person = payment.entitlement.person
    if person is None or not person.mobile:
        return None
    params = {"month": f"{payment.period:%Y年%m月}", "amount": fen_str(payment.amount)}
    if payment.status == PaymentStatus.PAID:
        account = payment.entitlement.bank_account or ""
        return {"channel": "sms", "recipient": person.mobile, "template": "sms_payment_issued",
                "params": {**params, "account_tail": account[-4:] or "—"}, "region": payment.region}
    return {"channel": "sms", "recipient": person.mobile, "template": "sms_payment_failed",
            "params": {**params, "reason": payment.failure_reason[:40]}, "region": payment.region}


@transaction.atomic
def bank_return_import(*, actor, run_id: int, upload) -> BankReturn:
    run = selectors.run_get(actor=actor, run_id=run_id, action="import_bank_return")
    run = PayrollRun.objects.select_for_update().get(pk=run.pk)
    if not PAYROLL_RUN_WORKFLOW.can("import_bank_return", run.status):
        raise DomainError(BenefitsErrorCode.INVALID_TRANSITION, "只有已发放（报盘）的批次可以导入回盘。", status=409)
    if upload is None or upload.size > MAX_RETURN_BYTES:
        raise DomainError(BenefitsErrorCode.BANK_FILE, "请上传 50MB 以内的回盘文件（CSV 或 xlsx）。", status=422)
    rows = _read_rows(upload.name, upload.read())
    if not rows or [c.strip() for c in rows[0][:2]] != RETURN_HEADER[:2]:
        raise DomainError(BenefitsErrorCode.BANK_FILE, "回盘文件首行应为：" + "、".join(RETURN_HEADER), status=422)
    bank_return = BankReturn.objects.create(run=run, original_name=upload.name[:255], imported_by=actor)
    bank_return.rejected = _apply(run, [r for r in rows[1:] if any(c.strip() for c in r)], bank_return)
    lines = bank_return.lines.values("succeeded").annotate(n=Count("id"), s=Sum("amount"))
    for line in lines:
        prefix = "paid" if line["succeeded"] else "failed"
        setattr(bank_return, f"{prefix}_count", line["n"])
        setattr(bank_return, f"{prefix}_total", to_fen(line["s"] or 0))  # SQLite sums decimals as floats
    bank_return.save()
    if not Payment.objects.filter(run=run, status=PaymentStatus.SENT).exists():
        transition(actor, run, "reconcile", event_type=EventType.RUN_RECONCILED,
                   details={"period": f"{run.period:%Y-%m}"})
    record_event(actor=actor, event_type=EventType.BANK_RETURN_IMPORTED, target=run, region=run.region, details={"paid": bank_return.paid_count, "failed": bank_return.failed_count,
                                             "paid_total": str(bank_return.paid_total),
                                             "failed_total": str(bank_return.failed_total),
                                             "rejected": len(bank_return.rejected)})
    return bank_return
