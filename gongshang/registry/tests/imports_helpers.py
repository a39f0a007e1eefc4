"""Builders for roster sheets in tests: rows as dicts of Chinese headers, written with openpyxl."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from gongshang.registry.imports.columns import DATA_SHEET_TITLES, columns_for
from gongshang.registry.tests.factories import valid_id_number


def chinese_number(n: int) -> str:
    """Names may not contain digits: 职工12 is written 职工一二."""
    return "".join("零一二三四五六七八九"[int(digit)] for digit in str(n))


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def add_row(n: int, **overrides) -> dict:
    """A valid 新参保 row for a person not in the registry (n picks the ID number)."""
    row = {"异动类型": "新参保", "险种": "工伤保险", "生效月份": this_month(), "身份证号": valid_id_number(n),
           "姓名": f"职工{chinese_number(n)}", "手机号": f"139{n:08d}", "户口性质": "城镇户口", "参保身份": "在职职工",
           "申报缴费工资": "6800"}
    row.update(overrides)
    return row


def reduce_row(id_number: str, name: str, **overrides) -> dict:
    row = {"异动类型": "终止参保", "险种": "工伤保险", "生效月份": this_month(), "身份证号": id_number, "姓名": name}
    row.update(overrides)
    return row


def sheet_bytes(rows, *, direction="add", headers=None, title=None, leading_rows=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title or DATA_SHEET_TITLES[direction]
    headers = headers or [c.header for c in columns_for(direction)]
    for line in leading_rows:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "增员名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
