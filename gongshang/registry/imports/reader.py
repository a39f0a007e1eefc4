"""Reading an uploaded roster sheet with python-calamine, row by row.

Whole-file problems (not a workbook, password, no data, wrong headers, too many rows or columns,
overlong cells) raise SheetProblem with a Chinese message saying what to do; row problems are left
to the caller. Every file passes inspection.inspect_workbook before calamine sees it. Excel row
numbers are kept exactly as the handler sees them in Excel.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from python_calamine import CalamineWorkbook

from gongshang.core.validators import is_valid_id_number

from .columns import HEADER_SEARCH_ROWS, data_sheet_name, header_positions
from .inspection import inspect_workbook
from .problems import NOT_A_WORKBOOK, SheetProblem
from .template import max_rows

# An encrypted (password-protected) .xlsx is an OLE2 compound file, like the old binary .xls.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
# Excel keeps 15 significant digits of a number; an 18-digit ID typed as a number loses its tail.
EXCEL_DIGITS = 15

FLOAT_ID_MESSAGE = ("身份证号被存成了数字格式，Excel 只保留 15 位有效数字，后几位已经丢失。请把该列设置为“文本”格式后"
                    "重新输入完整号码（或在号码前加英文单引号 '）。")


def check_workbook_bytes(head: bytes, whole=None) -> None:
    """Recognise files that are not an .xlsx at all before anything is stored."""
    if not head:
        raise SheetProblem("上传的文件是空的（0 字节），请选择填写好的 .xlsx 表格文件。")
    if head.startswith(OLE2_MAGIC):
        data = whole() if whole else head
        if ENCRYPTED_MARK in data:
            raise SheetProblem("该表格设置了打开密码，系统无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿→"
                               "用密码进行加密，清空密码）后另存为 .xlsx 再上传。")
        raise SheetProblem("该文件是旧版 Excel 97-2003 格式（.xls）。请在 Excel 中“另存为”Excel 工作簿（.xlsx）后上传，"
                           "或直接使用下载的模板填写。")


def open_workbook(source, direction: str) -> CalamineWorkbook:
    """A calamine workbook from a file object, once inspection has bounded what calamine will
    read for the `direction`'s data sheet; SheetProblem when it is not a readable workbook."""
    try:
        data = source.read()
    except OSError as exc:
        raise SheetProblem("上传的文件无法读取，请重新上传。") from exc
    check_workbook_bytes(data[:8], lambda: data)
    inspect_workbook(data, direction)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine raises several types for damaged or foreign zips
        _reraise_unless_reader_failure(exc)
        raise SheetProblem(NOT_A_WORKBOOK) from exc


def _reraise_unless_reader_failure(exc: BaseException) -> None:
    """calamine's Rust panics surface as pyo3's PanicException, a BaseException that `except
    Exception` misses: a damaged file must still be a SheetProblem, never a 500 or a dead worker."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def _guarded(rows, name: str):
    """Rows of a calamine sheet; a failure while reading one becomes a SheetProblem naming the sheet."""
    try:
        yield from rows
    except BaseException as exc:
        _reraise_unless_reader_failure(exc)
        raise SheetProblem(f"工作表“{name}”无法读取，可能已损坏。请使用下载的模板重新填写。") from exc


@dataclass
class Sheet:
    """The data sheet of an upload: header positions and a stream of (excel row, cells)."""

    title: str
    header_row: int  # Excel row number of the header
    header_cells: list
    positions: dict
    estimated_rows: int
    rows: object = field(repr=False)  # iterator of (excel_row, cells)


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def open_sheet(source, direction: str) -> Sheet:
    """Open the data sheet of `source` (a file object) and locate its header row."""
    book = open_workbook(source, direction)
    name = data_sheet_name(list(book.sheet_names), direction)
    try:
        sheet = book.get_sheet_by_name(name)
        first_row = (sheet.start or (0, 0))[0]
        rows = _guarded(enumerate(sheet.iter_rows(), start=first_row + 1), name)
        height = sheet.height
    except BaseException as exc:
        _reraise_unless_reader_failure(exc)
        raise SheetProblem(f"工作表“{name}”无法读取，可能已损坏。请使用下载的模板重新填写。") from exc
    best = (0, None, None, None)
    for excel_row, cells in rows:
        positions, missing = header_positions(cells, direction)
        if not missing:
            return Sheet(name, excel_row, list(cells), positions, max(height - (excel_row - first_row), 0),
                         _data_rows(rows))
        if len(positions) > best[0]:
            best = (len(positions), excel_row, positions, missing)
        if excel_row - first_row >= HEADER_SEARCH_ROWS:
            break
    raise _header_problem(name, best, height)


def _header_problem(name, best, height) -> SheetProblem:
    matched, excel_row, _positions, missing = best
    if height == 0 or excel_row is None:
        return SheetProblem(f"工作表“{name}”是空的，没有表头和数据。请在模板中填写人员后上传。")
    return SheetProblem(f"工作表“{name}”第 {excel_row} 行的表头缺少必填列：{'、'.join(missing)}。"
                        "请使用下载的模板，不要修改或删除表头。", row=excel_row)


def _data_rows(rows):
    """Non-blank rows after the header, stopping with SheetProblem past the row limit."""
    limit = max_rows()
    count = 0
    for excel_row, cells in rows:
        if _is_blank(cells):
            continue
        count += 1
        if count > limit:
            raise SheetProblem(f"表格超过单次导入上限 {limit} 行（第 {excel_row} 行起超出），请拆分为多个文件分批上传。",
                               row=excel_row)
        yield excel_row, cells


def _integral_text(value: float) -> str | None:
    if value.is_integer():
        return str(int(value))
    return None


def _id_text(value):
    """(text, problem). An ID number read as a float is accepted only when it is exactly the
    15-significant-digit number Excel kept and still a valid ID; otherwise digits were lost."""
    if isinstance(value, float):
        if not value.is_integer():
            return "", FLOAT_ID_MESSAGE
        digits = str(int(Decimal(format(value, f".{EXCEL_DIGITS}g"))))
        if float(digits) != value or not is_valid_id_number(digits):
            return "", FLOAT_ID_MESSAGE
        return digits, None
    if isinstance(value, int):
        return str(value), None
    return _text(value), None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        whole = _integral_text(value)
        return whole if whole is not None else repr(value)
    if isinstance(value, datetime | time):
        return value.isoformat()
    return str(value).strip()


def _month(value):
    if isinstance(value, date):  # a date-formatted cell (datetime is a date too)
        return value
    return _text(value)


def raw_values(cells, positions: dict) -> tuple[dict, list]:
    """The raw dict for validation.clean_change_input, and reader problems [(field, message)]."""
    raw, problems = {}, []
    width = len(cells)
    for field_name, index in positions.items():
        value = cells[index] if index < width else None
        if field_name == "id_number":
            raw[field_name], problem = _id_text(value)
            if problem:
                problems.append((field_name, problem))
        elif field_name == "effective_month":
            raw[field_name] = _month(value)
        else:
            raw[field_name] = _text(value)
    return raw, problems
