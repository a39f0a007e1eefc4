"""Reading an uploaded catalogue file: xlsx (python-calamine) or CSV (UTF-8 with or without BOM, or
GBK/GB18030), into (row number, raw cells by field).

The xlsx path reuses the roster import's safety checks (registry/imports): the zip layer is bounded
(xlsxzip), encrypted and old .xls files are named, and the data sheet is streamed through the same
expat scan before calamine reads it, with this import's row and column limits, so a hostile sheet
(a cell at XFD1048576, a zip bomb, a 200 MB cell) is refused instead of exhausting memory. Formula
cells yield their saved value; text that would run as a formula is refused row by row
(rules/catalogue_rows.py). Whole-file problems raise SheetProblem with a Chinese message.
"""

import csv
import io

from django.conf import settings

from gongshang.registry.imports import inspection as roster_inspection
from gongshang.registry.imports.problems import NOT_A_WORKBOOK, SheetProblem, SheetTooLarge
from gongshang.registry.imports.reader import _reraise_unless_reader_failure, check_workbook_bytes
from gongshang.registry.imports.xlsxzip import MB, Workbook

from .rules.catalogue_rows import header_positions

HEADER_SEARCH_ROWS = 10
# The agency's files carry many other columns (剂型, 生产企业, 批准文号, 备注 …), ignored; the bound
# only keeps a hostile sheet from exhausting memory.
MAX_COLUMNS = 64
INSTRUCTIONS_TITLE = "填写说明"
ZIP_MAGIC = b"PK\x03\x04"
COLUMN_LIST = "医保编码、名称、生效日期"


def max_rows() -> int:
    return int(getattr(settings, "MEDICAL_CATALOGUE_MAX_ROWS", 50_000))


def max_bytes() -> int:
    return int(getattr(settings, "MEDICAL_CATALOGUE_MAX_BYTES", 20 * MB))


class _CatalogueSheetScan(roster_inspection._SheetScan):
    """The roster's sheet scan with this import's bounds and wording."""

    def __init__(self, name, shared):
        super().__init__(name, "add", shared)
        self.max_row = max_rows() + HEADER_SEARCH_ROWS
        self.max_column = MAX_COLUMNS

    def _check_extent(self, row: int, column: int, *, where: str) -> None:
        if row < self.max_row and column < self.max_column:
            return
        raise SheetTooLarge(f"工作表“{self.name}”{where}超出单次导入的范围：最多 {max_rows()} 行目录数据、"
                            f"{self.max_column} 列。请删除多余的行和列（包括看似空白但填过内容的单元格），"
                            "或拆分为多个文件分批导入。")


def _sheet_name(names: list[str]) -> str:
    candidates = [name for name in names if name != INSTRUCTIONS_TITLE]
    if not candidates:
        raise SheetProblem("表格中没有可导入的工作表，请在第一个工作表中填写目录。")
    return candidates[0]


def _inspect_xlsx(data: bytes) -> None:
    workbook = Workbook(data)
    for part in (roster_inspection.WORKBOOK, roster_inspection.RELATIONSHIPS, roster_inspection.STYLES):
        if workbook.size(part) > roster_inspection.MAX_PART_BYTES:
            raise SheetTooLarge("该文件的结构部分过大，不是正常的目录表格，请另存为普通 .xlsx 后导入。")
    shared = roster_inspection._scan(workbook, roster_inspection.SHARED_STRINGS, roster_inspection._SharedStrings())
    roster_inspection._drain(workbook, roster_inspection.STYLES)
    sheet = roster_inspection._data_sheet(workbook, "add")  # the first sheet that is not the instructions
    if sheet is None:
        return
    name, paths = sheet
    found = [path for path in paths if workbook.has(path)]
    if not found:
        raise SheetProblem(NOT_A_WORKBOOK)
    for path in found:
        roster_inspection._scan(workbook, path, _CatalogueSheetScan(name, shared))


def _xlsx_rows(data: bytes):
    from python_calamine import CalamineWorkbook

    _inspect_xlsx(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = _sheet_name(list(book.sheet_names))
        sheet = book.get_sheet_by_name(name)
        first = (sheet.start or (0, 0))[0]
        return list(enumerate(sheet.iter_rows(), start=first + 1))
    except SheetProblem:
        raise
    except BaseException as exc:
        _reraise_unless_reader_failure(exc)
        raise SheetProblem(NOT_A_WORKBOOK) from exc


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SheetProblem("文件标明为 UTF-8 编码，但内容不是有效的 UTF-8，请重新另存为 CSV（UTF-8）后导入。") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # GBK's superset: what Excel's "CSV（逗号分隔）" writes on Chinese Windows
    except UnicodeDecodeError as exc:
        raise SheetProblem("无法识别文件的文字编码。请另存为 CSV（UTF-8）或 Excel 工作簿（.xlsx）后导入。") from exc


def _csv_rows(data: bytes):
    text = _decode(data)
    if "\x00" in text:
        raise SheetProblem("文件中含有不可见的控制字符，不是正常的 CSV 文件，请另存为 CSV（UTF-8）后导入。")
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if len(cells) > MAX_COLUMNS:
                raise SheetTooLarge(f"第 {number} 行有 {len(cells)} 列，超过上限 {MAX_COLUMNS} 列，请删除多余的列后导入。")
            if any(len(cell) > roster_inspection.MAX_CELL_CHARS for cell in cells):
                raise SheetTooLarge(f"第 {number} 行有单元格超过 32767 个字符，无法导入，请检查是否误粘贴了大段内容。")
            rows.append((number, cells))
            if len(rows) > max_rows() + HEADER_SEARCH_ROWS:
                raise SheetTooLarge(f"文件超过单次导入上限 {max_rows()} 行，请拆分为多个文件分批导入。")
    except csv.Error as exc:
        raise SheetProblem(f"CSV 文件格式有误（{str(exc)[:60]}），请用 Excel 另存为 CSV 后导入。") from exc
    return rows


def _blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_catalogue(data: bytes) -> tuple[list[tuple[int, dict]], str]:
    """([(row number, {field: raw value})], file format) of the data rows below the header."""
    if not data:
        raise SheetProblem("上传的文件是空的（0 字节），请选择目录文件（.xlsx 或 .csv）。")
    if len(data) > max_bytes():
        raise SheetTooLarge(f"文件超过 {max_bytes() // MB} MB 的上限，请拆分为多个文件分批导入。")
    check_workbook_bytes(data[:8], lambda: data)
    if data.startswith(ZIP_MAGIC):
        rows, fmt = _xlsx_rows(data), "xlsx"
    else:
        rows, fmt = _csv_rows(data), "csv"
    iterator = iter(rows)
    positions = None
    best_missing = None
    for number, cells in iterator:
        found, missing = header_positions(cells)
        if not missing:
            positions = found
            break
        if found and (best_missing is None or len(missing) < len(best_missing)):
            best_missing = (number, missing)
        if number >= HEADER_SEARCH_ROWS:
            break
    if positions is None:
        if best_missing:
            raise SheetProblem(f"第 {best_missing[0]} 行的表头缺少必填列：{'、'.join(best_missing[1])}。"
                               "请按说明使用中文表头，不要修改或删除。")
        raise SheetProblem(f"没有找到表头行（须含 {COLUMN_LIST} 等列），或文件中没有数据。")
    result = []
    for number, cells in iterator:
        if _blank(cells):
            continue
        width = len(cells)
        result.append((number, {field: cells[index] if index < width else None
                                for field, index in positions.items()}))
        if len(result) > max_rows():
            raise SheetTooLarge(f"文件超过单次导入上限 {max_rows()} 行（第 {number} 行起超出），请拆分为多个文件分批导入。")
    if not result:
        raise SheetProblem("文件只有表头，没有目录数据。")
    return result, fmt
