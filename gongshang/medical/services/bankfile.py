"""结算拨付银行文件 (报盘) of a released statement, CSV and xlsx, like the benefits payroll export:
institution, bank, account (in full: the bank needs it; the export is recorded in the audit log),
amount, period."""

import csv
import io

from gongshang.accounts.access import check
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError
from gongshang.core.money import fen_str

from ..choices import EventType
from ..errors import MedicalErrorCode
from ..models import InstitutionStatement
from ..rules.workflow import STATEMENT_WORKFLOW

HEADER = ["结算单号", "机构编码", "收款机构", "开户银行", "银行账号", "金额", "结算月份"]


def _exportable(actor, statement: InstitutionStatement, fmt: str) -> list[list[str]]:
    check(actor, statement, "export_bank_file")
    if not STATEMENT_WORKFLOW.can("export_bank_file", statement.status):
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION, "结算单拨付后才能导出银行文件。", status=409)
    inst = statement.institution
    if not inst.bank_account:
        raise DomainError(MedicalErrorCode.INVALID_TRANSITION,
                          f"{inst.name} 未登记开户银行账号，请先在协议机构信息中补充后再导出。", status=409)
    record_event(actor=actor, event_type=EventType.BANK_FILE_EXPORTED, target=statement, region=statement.region,
                 details={"format": fmt, "amount": fen_str(statement.payable)})
    return [[str(statement.pk), inst.code, inst.name, inst.bank_name, inst.bank_account, fen_str(statement.payable),
             f"{statement.period:%Y-%m}"]]


def export_csv(*, actor, statement: InstitutionStatement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(_exportable(actor, statement, "csv"))
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 CSV correctly


def export_xlsx(*, actor, statement: InstitutionStatement) -> bytes:
    from openpyxl import Workbook

    rows = _exportable(actor, statement, "xlsx")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{statement.period:%Y-%m}")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)  # text cells: account numbers exceed Excel's precision
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
