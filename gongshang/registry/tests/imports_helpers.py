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


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def raw_xlsx(sheet_data: str = "", *, dimension: str | None = None, shared: list[str] | None = None,
             title: str = "增员名单", sheet_xml: str | None = None, extra: dict | None = None) -> bytes:
    """A minimal workbook written by hand, for files no spreadsheet program would write.

    `sheet_data` goes inside <sheetData>; `shared` are raw <si> bodies of xl/sharedStrings.xml;
    `sheet_xml` replaces the whole sheet part; `extra` adds or replaces members {path: text}.
    """
    import zipfile

    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = sheet_xml if sheet_xml is not None else (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{SHEET_NS}">{dim}'
        f"<sheetData>{sheet_data}</sheetData></worksheet>")
    members = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                               'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                               "</Types>",
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{REL_NS}"><Relationship Id="rId1" '
                       f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{SHEET_NS}" xmlns:r="{REL_NS}"><sheets>'
                           f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{REL_NS}"><Relationship Id="rId1" '
                                      f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        items = "".join(f"<si>{body}</si>" for body in shared)
        members["xl/sharedStrings.xml"] = (f'<?xml version="1.0"?><sst xmlns="{SHEET_NS}" count="{len(shared)}">'
                                           f"{items}</sst>")
    members.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in members.items():
            archive.writestr(path, text)
    return buffer.getvalue()


def inline_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    """Row 1 of an additions sheet: the template's headers as inline strings."""
    cells = "".join(inline_cell(f"{chr(65 + i)}1", c.header) for i, c in enumerate(columns_for("add")))
    return f'<row r="1">{cells}</row>'
