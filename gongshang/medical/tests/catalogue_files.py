"""Catalogue files for the tests: CSV text in any encoding, xlsx written with openpyxl."""

import io

HEADER = ["医保编码", "名称", "规格", "计价单位", "最高限价", "价格类别", "工伤专用(是/否)", "限用数量", "限用周期(日)",
          "最低使用年限(月)", "生效日期", "失效日期"]


def row(code="003111000010000", name="大换药", cap="45.00", valid_from="2025-01-01", **fields) -> list:
    """One data row; `fields` by header name (e.g. **{"失效日期": "2025-12-31"})."""
    values = {"规格": "", "计价单位": "次", "价格类别": "换药", "工伤专用(是/否)": "否", "限用数量": "1", "限用周期(日)": "1",
              "最低使用年限(月)": "", "失效日期": ""}
    values.update(fields)
    return [code, name, values["规格"], values["计价单位"], cap, values["价格类别"], values["工伤专用(是/否)"],
            values["限用数量"], values["限用周期(日)"], values["最低使用年限(月)"], valid_from, values["失效日期"]]


def csv_bytes(rows, *, encoding="utf-8", header=HEADER) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER, title="诊疗项目") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
