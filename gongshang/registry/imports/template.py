"""The xlsx template an employer fills in: a data sheet with the header row, drop-downs for the
coded columns, text-formatted ID/phone/month columns, and a 填写说明 sheet."""

import io

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongshang.registry.choices import ChangeDirection
from gongshang.registry.services.checks import effective_window

from .columns import DATA_SHEET_TITLES, INSTRUCTIONS_TITLE, KIND_EXAMPLES, choice_labels, columns_for

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True)
TEXT_FORMAT = "@"


def max_rows() -> int:
    return int(getattr(settings, "ROSTER_IMPORT_MAX_ROWS", 100000))


def template_filename(direction: str) -> str:
    return f"{'增员' if direction == ChangeDirection.ADD else '减员'}报盘模板.xlsx"


def style_header(sheet, columns, extra_headers=()) -> None:
    """Header row 1: required headers red and bold, frozen, with widths and text formats."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            # Column style: Excel applies it to every cell typed later, so 18-digit IDs stay text.
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
    for offset, _header in enumerate(extra_headers, start=len(columns) + 1):
        cell = sheet.cell(row=1, column=offset)
        cell.font = REQUIRED_FONT
        sheet.column_dimensions[get_column_letter(offset)].width = 60
    sheet.freeze_panes = "A2"


def _add_dropdowns(sheet, columns, direction: str) -> None:
    last_row = max_rows() + 1
    for index, column in enumerate(columns, start=1):
        labels = choice_labels(column.field, direction)
        if not labels:
            continue
        validation = DataValidation(
            type="list", formula1='"' + ",".join(labels) + '"', allow_blank=not column.required,
            showErrorMessage=True, errorTitle="填写有误",
            error=f"{column.header}请从下拉列表中选择：{'、'.join(labels)}",
            promptTitle=column.header, prompt="请从下拉列表中选择", showInputMessage=True)
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _instructions(book, columns, direction: str) -> None:
    sheet = book.create_sheet(INSTRUCTIONS_TITLE)
    earliest, latest = effective_window()
    label = "增员" if direction == ChangeDirection.ADD else "减员"
    lines = [
        (f"{label}批量报盘填写说明",),
        (f"1. 在“{DATA_SHEET_TITLES[direction]}”工作表第 2 行起每行填写一名人员的一个险种，第 1 行表头请勿修改；"
         "红色表头为必填列。",),
        ("2. 身份证号、手机号、生效月份三列已设为文本格式。请勿把身份证号改为数字格式，"
         "否则 Excel 只保留 15 位有效数字，后几位会丢失。",),
        (f"3. 生效月份按“年-月”填写（如 {latest:%Y-%m}），目前可填 {earliest:%Y-%m} 至 {latest:%Y-%m}。",),
        ("4. 同一人员、同一险种在表格中只能出现一次；已有待确认申报的人员请先修改或删除原申报。",),
        (f"5. 每个文件最多 {max_rows()} 行；文件大小不超过 {max_bytes() // (1024 * 1024)} MB，格式为 .xlsx。",),
        ("6. 导入方式：“全部正确才导入”时只要有一行错误就全部不导入；“只导入正确的行”时正确的行生成申报，"
         "错误的行列在结果中并可下载错误标注文件，改正后单独再次上传。",),
        ("7. 导入后生成的是待确认的异动申报，经办机构确认后花名册才变更。",),
        (),
        ("列名", "是否必填", "填写说明", "示例", "可选值"),
    ]
    for line in lines:
        sheet.append(line)
    for column in columns:
        example = KIND_EXAMPLES[direction] if column.field == "kind" else column.example
        sheet.append((column.header, "必填" if column.required else "选填", column.note, example,
                      "、".join(choice_labels(column.field, direction))))
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[len(lines)]:
        cell.font = OPTIONAL_FONT
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCDE", (16, 10, 60, 22, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=len(lines) + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        row[3].number_format = TEXT_FORMAT


def max_bytes() -> int:
    return int(getattr(settings, "ROSTER_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def build_template(direction: str) -> bytes:
    """The template workbook for `direction` (add/reduce) as xlsx bytes."""
    columns = columns_for(direction)
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET_TITLES[direction]
    sheet.append([column.header for column in columns])
    style_header(sheet, columns)
    _add_dropdowns(sheet, columns, direction)
    _instructions(book, columns, direction)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
