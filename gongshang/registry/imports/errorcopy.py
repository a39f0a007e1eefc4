"""The annotated copy of an uploaded sheet: its rows as uploaded plus an 错误说明 column.

All-or-nothing imports get every row back (nothing was imported: fix and upload the whole
sheet again); valid-rows imports get only the rejected rows with their 原行号 (the others are
already declared, so the copy can be fixed and uploaded on its own). Written in openpyxl's
write-only mode so memory stays flat for 100,000 rows.
"""

import tempfile

from django.core.files import File
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from gongshang.core.files.storage import open_stored, store_upload

from . import reader
from .columns import DATA_SHEET_TITLES, ERROR_HEADER, SOURCE_ROW_HEADER

XLSX_TYPES = frozenset({"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
ERROR_FILL = PatternFill("solid", fgColor="FCE4D6")
ERROR_FONT = Font(color="C00000")
MAX_ERROR_COPY_BYTES = 200 * 1024 * 1024


def _cell(sheet, value, *, text=False, error=False):
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    cell = WriteOnlyCell(sheet, value=value if value != "" else None)
    if isinstance(value, str) and value:
        cell.data_type = "s"  # "=HYPERLINK(...)" typed into a sheet comes back as text, never a formula
    if text:
        cell.number_format = "@"
    if error:
        cell.font, cell.fill = ERROR_FONT, ERROR_FILL
    return cell


def _header(sheet, cells, with_source_row: bool) -> list:
    header = [_cell(sheet, value, text=isinstance(value, str)) for value in cells]
    if with_source_row:
        header.append(_cell(sheet, SOURCE_ROW_HEADER))
    header.append(_cell(sheet, ERROR_HEADER, error=True))
    for cell in header:
        cell.font = Font(bold=True, color=cell.font.color)
    return header


def _write_rows(book, parsed, messages: dict, only_rejected: bool, direction: str) -> None:
    sheet = book.create_sheet(DATA_SHEET_TITLES.get(direction, "名单"))
    text_columns = {parsed.positions[f] for f in ("id_number", "mobile") if f in parsed.positions}
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, parsed.header_cells, only_rejected))
    for excel_row, cells in parsed.rows:
        message = messages.get(excel_row, "")
        if only_rejected and not message:
            continue
        out = [_cell(sheet, v, text=i in text_columns and v != "") for i, v in enumerate(cells)]
        if only_rejected:
            out.append(_cell(sheet, excel_row))
        out.append(_cell(sheet, message, error=bool(message)))
        sheet.append(out)


def build_error_copy(roster_import, messages: dict) -> object:
    """Store the annotated copy and return its StoredFile. `messages`: {excel row: text}."""
    from gongshang.registry.choices import ImportMode

    only_rejected = roster_import.mode == ImportMode.VALID_ROWS
    with open_stored(roster_import.source_file) as source:
        parsed = reader.open_sheet(source, roster_import.direction)
    book = Workbook(write_only=True)
    _write_rows(book, parsed, messages, only_rejected, roster_import.direction)
    stem = roster_import.original_name.rsplit(".", 1)[0] or "报盘"
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        book.save(handle)
        handle.seek(0)
        upload = File(handle, name=f"{stem}-错误说明.xlsx"[-255:])
        return store_upload(upload, allowed_types=XLSX_TYPES, max_bytes=MAX_ERROR_COPY_BYTES,
                            prefix="roster-imports/errors")
