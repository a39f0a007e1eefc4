"""inspection / xlsxzip: hostile workbooks are refused before calamine reads them, quickly and
with little memory; real workbooks pass. Every hostile file is built here, small, by hand."""

import io
import os
import zipfile
from unittest import mock

import pytest
from python_calamine import CalamineWorkbook

from gongshang.registry.imports import inspection, xlsxzip
from gongshang.registry.imports.inspection import inspect_workbook
from gongshang.registry.imports.problems import CellTooLong, SheetProblem, SheetTooLarge
from gongshang.registry.imports.template import build_template
from gongshang.registry.tests.imports_helpers import (
    add_row,
    header_row,
    inline_cell,
    raw_xlsx,
    sheet_bytes,
)


def refused(data: bytes, kind=SheetProblem, direction="add") -> SheetProblem:
    """The refusal, with calamine never opened (no timed assertion: the machine's load is not ours)."""
    with mock.patch("python_calamine.CalamineWorkbook.from_filelike", side_effect=AssertionError("calamine opened")), \
            pytest.raises(kind) as caught:
        inspect_workbook(data, direction)
    return caught.value


def test_the_template_and_a_filled_sheet_pass():
    inspect_workbook(build_template("add"), "add")
    inspect_workbook(build_template("reduce"), "reduce")
    inspect_workbook(sheet_bytes([add_row(i) for i in range(50)]), "add")


def test_a_sheet_whose_only_cell_is_xfd1048576_is_refused():
    problem = refused(raw_xlsx('<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>"), SheetTooLarge)
    assert problem.code == "sheet_too_large" and problem.status == 422
    assert "XFD1048576" in problem.message
    assert "最多 100000 行人员数据" in problem.message and "14 列" in problem.message


def test_a_dimension_that_understates_the_cells_does_not_hide_them():
    """calamine would allocate 1,048,576 × 16,384 cells for A1 and XFD1048576 (512 GiB)."""
    data = raw_xlsx(header_row() + '<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>", dimension="A1:I1")
    assert "单元格 XFD1048576" in refused(data, SheetTooLarge).message


def test_a_declared_dimension_beyond_the_limits_is_refused():
    data = raw_xlsx(header_row(), dimension="A1:XFD1048576")
    assert "声明的使用区域（A1:XFD1048576）" in refused(data, SheetTooLarge).message


def test_row_and_column_limits_are_exact(settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 5  # data rows; the header area adds 10
    inspect_workbook(raw_xlsx(header_row() + '<row r="15">' + inline_cell("N15", "备注") + "</row>"), "add")
    assert "第 15 行" in refused(raw_xlsx('<row r="16">' + inline_cell("A16", "x") + "</row>"), SheetTooLarge).message
    assert "到 N 列" in refused(raw_xlsx('<row r="2">' + inline_cell("O2", "x") + "</row>"), SheetTooLarge).message
    # A reduction template has 5 columns: J is its last.
    inspect_workbook(raw_xlsx('<row r="2">' + inline_cell("J2", "x") + "</row>", title="减员名单"), "reduce")
    refused(raw_xlsx('<row r="2">' + inline_cell("K2", "x") + "</row>", title="减员名单"), SheetTooLarge, "reduce")


def test_styled_empty_cells_far_away_do_not_count():
    """calamine skips cells without a value, so a formatted but empty area is harmless."""
    inspect_workbook(raw_xlsx(header_row() + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'), "add")


def test_cells_without_references_are_placed_like_calamine_places_them():
    """A cell's own r="A1" moves the column only: the next cell is in row 1048576, column B."""
    data = raw_xlsx('<row r="1048576"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
                    '<c t="inlineStr"><is><t>b</t></is></c></row>')
    assert "单元格 B1048576" in refused(data, SheetTooLarge).message


def test_a_cell_of_40000_characters_is_refused_naming_the_cell_and_the_limit():
    problem = refused(raw_xlsx(header_row() + '<row r="2">' + inline_cell("D2", "长" * 40_000) + "</row>"),
                      CellTooLong)
    assert problem.code == "cell_too_long" and problem.status == 422
    assert "单元格 D2" in problem.message and "32767" in problem.message
    inspect_workbook(raw_xlsx('<row r="2">' + inline_cell("D2", "长" * 32_767) + "</row>"), "add")


def test_a_shared_string_of_40000_characters_is_refused_without_a_cell_using_it():
    data = raw_xlsx(header_row(), shared=["<t>短</t>", "<t>" + "x" * 40_000 + "</t>"])
    assert "32767" in refused(data, CellTooLong).message


def test_text_multiplied_by_shared_string_references_is_counted(monkeypatch):
    """calamine copies a shared string into every cell using it: 1,000,000 references to one
    32,767-character string would be 32 billion characters."""
    monkeypatch.setattr(inspection, "MAX_TEXT_CHARS", 100_000)
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 6))
    data = raw_xlsx(cells, shared=["<t>" + "y" * 30_000 + "</t>"])
    assert "文字总量" in refused(data, SheetTooLarge).message
    inspect_workbook(raw_xlsx(cells[:cells.index("<row r=\"5\">")], shared=["<t>" + "y" * 30_000 + "</t>"]), "add")


def test_shared_string_indexes_are_counted_in_both_numberings_of_calamine(monkeypatch):
    """python-calamine 0.9 keeps an <si> without text as ""; newer calamine skips it, so there
    index 0 is the long string. Both numberings are counted."""
    monkeypatch.setattr(inspection, "MAX_TEXT_CHARS", 50_000)
    shared = ["<rPh><t>ｘ</t></rPh>", "<t>" + "z" * 30_000 + "</t>"]
    data = raw_xlsx('<row r="2"><c r="A2" t="s"><v>1</v></c></row>', shared=shared)
    assert CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("增员名单").to_python() == [["z" * 30_000]]
    inspect_workbook(data, "add")
    refused(raw_xlsx('<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>1</v></c></row>', shared=shared),
            SheetTooLarge)
    refused(raw_xlsx('<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>0</v></c></row>', shared=shared),
            SheetTooLarge)


def test_a_highly_compressed_member_is_refused_before_it_is_read():
    padding = " " * (3 * 1024 * 1024)  # 3 MiB of spaces compress ~1000:1
    data = raw_xlsx(header_row() + padding)
    assert len(data) < 20_000
    with mock.patch.object(xlsxzip.Workbook, "chunks") as chunks:
        problem = refused(data, SheetTooLarge)
    chunks.assert_not_called()
    assert "解压后" in problem.message


def test_total_and_member_sizes_are_capped(monkeypatch):
    monkeypatch.setattr(xlsxzip, "MAX_TOTAL_BYTES", 1000)
    assert "共 " in refused(raw_xlsx(header_row()), SheetTooLarge).message
    monkeypatch.setattr(xlsxzip, "MAX_MEMBER_BYTES", 500)
    refused(raw_xlsx(header_row()), SheetTooLarge)


def test_a_token_longer_than_a_megabyte_is_refused():
    """expat and quick-xml hold a whole tag in memory: a 1.2 MB attribute never reaches them."""
    noise = os.urandom(600_000).hex()  # random: it does not compress, so the ratio check passes
    data = raw_xlsx(f'<row r="2"><c r="A2" t="inlineStr" x="{noise}"><is><t>a</t></is></c></row>')
    assert "超过 1 MB" in refused(data, SheetTooLarge).message


@pytest.mark.parametrize("markup", ["<!-- note -->", '<!DOCTYPE x [<!ENTITY a "aaaa">]>', "<?pi data?>",
                                    "<![CDATA[x]]>"])
def test_comments_dtds_and_instructions_are_refused(markup):
    sheet = (f'<?xml version="1.0"?><worksheet xmlns="urn:x">{markup}'
             "<sheetData/></worksheet>")
    assert "不是有效的 Excel 工作簿" in refused(raw_xlsx(sheet_xml=sheet)).message


def test_members_compressed_other_than_by_deflate_are_refused():
    """zipfile inflates bzip2 without an output bound: a few KB can become gigabytes at once."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw_xlsx(header_row()))) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    assert refused(buffer.getvalue()).code == "import_file_invalid"


def test_utf16_parts_and_duplicate_member_names_are_refused():
    sheet = '<?xml version="1.0" encoding="UTF-16"?><worksheet><sheetData/></worksheet>'.encode("utf-16")
    refused(raw_xlsx(extra={"xl/worksheets/sheet1.xml": sheet}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("XL/Workbook.xml", "<workbook/>")
    refused(buffer.getvalue())


def test_the_sheet_is_found_through_the_relationships_like_calamine_does():
    """The hostile cell sits in the part the workbook points at, under another name."""
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="/xl/worksheets/other.xml"/></Relationships>')
    far = ('<?xml version="1.0"?><worksheet><sheetData><row r="2">' + inline_cell("XFD2", "x")
           + "</row></sheetData></worksheet>")
    data = raw_xlsx(header_row(), extra={"xl/_rels/workbook.xml.rels": rels, "xl/worksheets/other.xml": far})
    assert "XFD2" in refused(data, SheetTooLarge).message


def test_not_a_zip_and_a_damaged_member_are_invalid_files():
    refused(b"hello world" * 50)
    data = bytearray(raw_xlsx(header_row() + "".join(
        f'<row r="{r}">' + inline_cell(f"A{r}", os.urandom(8).hex()) + "</row>" for r in range(2, 200))))
    offset = data.index(b"xl/worksheets/sheet1.xml") + 200  # inside the member's compressed data
    data[offset:offset + 40] = b"\x00" * 40
    assert refused(bytes(data)).code == "import_file_invalid"


def test_a_wrong_template_is_left_to_the_reader():
    """No sheet fits: the reader explains it, and calamine reads no sheet, so nothing to check."""
    inspect_workbook(raw_xlsx('<row r="1048576">' + inline_cell("XFD1048576", "x") + "</row>", title="减员名单"),
                     "add")


def test_a_zip_of_very_many_members_is_refused_before_zipfile_lists_them():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(25_000):  # a 1.1 MB central directory
            archive.writestr(f"m{index:05d}", b"")
    with mock.patch.object(zipfile, "ZipFile", wraps=zipfile.ZipFile) as opened:
        assert refused(buffer.getvalue()).code == "import_file_invalid"
    opened.assert_not_called()


@pytest.mark.parametrize(("target", "hostile_at", "benign_at"), [
    ("xl/worksheets/s.xml", "xl/xl/worksheets/s.xml", "xl/worksheets/s.xml"),  # calamine reads xl/xl/…
    ("/other/s.xml", "other/s.xml", None),  # calamine reads other/s.xml
    ("./worksheets/s.xml", "xl/worksheets/s.xml", "xl/./worksheets/s.xml"),
])
def test_every_reading_of_the_sheet_target_is_checked(target, hostile_at, benign_at):
    """A target calamine resolves to another member than the one checked was a way round the
    check: python-calamine 0.9 aborts the process on the XFD1048576 part at `hostile_at`."""
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Target="{target}"/></Relationships>')
    far = ('<?xml version="1.0"?><worksheet><sheetData><row r="2">' + inline_cell("XFD1048576", "x")
           + "</row></sheetData></worksheet>")
    plain = '<?xml version="1.0"?><worksheet><sheetData>' + header_row() + "</sheetData></worksheet>"
    extra = {"xl/_rels/workbook.xml.rels": rels, hostile_at: far, "xl/worksheets/sheet1.xml": plain}
    if benign_at:
        extra[benign_at] = plain
    assert "XFD1048576" in refused(raw_xlsx(header_row(), extra=extra), SheetTooLarge).message


def test_a_sheet_target_that_names_no_member_is_refused():
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="worksheets/missing.xml"/></Relationships>')
    assert refused(raw_xlsx(header_row(), extra={"xl/_rels/workbook.xml.rels": rels})).code == "import_file_invalid"
