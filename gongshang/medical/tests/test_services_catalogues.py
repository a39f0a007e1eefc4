"""目录导入: good files (CSV with and without BOM, GBK, xlsx), each row error, all-or-nothing, versions
(a later 生效日期 closes the open version), whole-file problems and hostile files."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from gongshang.core.errors import FieldErrors, Forbidden
from gongshang.core.models.audit import AuditEvent

from ..models import CatalogueItem
from ..services.catalogues import catalogue_import, error_csv
from .catalogue_files import HEADER, csv_bytes, row, xlsx_bytes
from .factories import ServiceItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def _import(actor, data, kind="service", national=False, name="目录.csv"):
    return catalogue_import(actor=actor, data=data, file_name=name, kind=kind, national=national)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_good_csv_in_each_encoding(inspector, encoding):
    data = csv_bytes([row(), row("003111000020000", "中换药", "30.00", **{"限用数量": "2"})], encoding=encoding)
    record = _import(inspector, data)
    assert (record.status, record.total, record.accepted, record.errors) == ("done", 2, 2, [])
    item = CatalogueItem.objects.get(code="003111000010000")
    assert (item.region, item.kind, item.name, item.price_cap, item.frequency_limit, item.source_import) == (
        "370200", "service", "大换药", Decimal("45.00"), Decimal("1.00"), record)
    event = AuditEvent.objects.get(event_type="medical.catalogue_imported")
    assert event.details["rows"] == 2 and event.region == "370200"


EXTRA = [f"备注{i}" for i in range(1, 31)]  # the agency's files carry many other columns (生产企业, 批准文号 …)


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_thirty_extra_columns_are_ignored(inspector, as_xlsx):
    rows = [row() + [f"附加{i}" for i in range(1, 31)]]
    data = xlsx_bytes(rows, header=HEADER + EXTRA) if as_xlsx else csv_bytes(rows, header=HEADER + EXTRA)
    record = _import(inspector, data, name="目录.xlsx" if as_xlsx else "目录.csv")
    assert (record.status, record.accepted) == ("done", 1), record.errors


def test_good_xlsx(inspector):
    rows = [row(), row("003111000020000", "中换药", 30.5, **{"生效日期": date(2025, 1, 1)})]
    rows[1][10] = date(2025, 1, 1)
    record = _import(inspector, xlsx_bytes(rows), name="目录.xlsx")
    assert record.status == "done", record.errors
    assert CatalogueItem.objects.get(code="003111000020000").price_cap == Decimal("30.50")


def test_national_drugs_have_no_region(inspector):
    data = csv_bytes([row("XA01ABD075A002010100483", "奥美拉唑肠溶胶囊", "", **{"工伤专用(是/否)": "是"})])
    record = _import(inspector, data, kind="drug", national=True)
    assert record.status == "done" and record.region == "370200"
    item = CatalogueItem.objects.get()
    assert item.region == "" and item.work_injury_only and item.price_cap is None


def test_only_the_platform_region_imports_the_national_list(staff_factory):
    from gongshang.accounts.choices import StaffRole
    from gongshang.accounts.tests.factories import StaffUserFactory

    weifang = StaffUserFactory(roles=[StaffRole.INSPECTOR], jurisdiction="370700")
    data = csv_bytes([row("XA01ABD075A002010100483", "奥美拉唑肠溶胶囊", "")])
    with pytest.raises(FieldErrors) as caught:
        _import(weifang, data, kind="drug", national=True)
    assert "平台所在统筹区统一导入" in caught.value.errors["national"]
    assert not CatalogueItem.objects.exists()
    assert _import(weifang, data, kind="drug").status == "done"        # its own regional list: fine
    assert CatalogueItem.objects.get().region == "370700"


def test_national_is_only_for_drugs(inspector):
    with pytest.raises(FieldErrors) as caught:
        _import(inspector, csv_bytes([row()]), national=True)
    assert "只有药品目录是全国目录" in caught.value.errors["national"]


def test_unknown_kind_and_role(inspector, staff_factory):
    with pytest.raises(FieldErrors):
        _import(inspector, csv_bytes([row()]), kind="food")
    with pytest.raises(Forbidden):
        _import(staff_factory("benefits_reviewer"), csv_bytes([row()]))


@pytest.mark.parametrize(("bad", "column", "fragment"), [
    (row(code="*bad*"), "医保编码", "格式不对"),
    (row(name=""), "名称", "未填写"),
    (row(cap="12.345"), "最高限价", "2 位小数"),
    (row(**{"工伤专用(是/否)": "也许"}), "工伤专用(是/否)", "只能填"),
    (row(**{"限用数量": "0"}), "限用数量", "大于 0"),
    (row(**{"限用周期(日)": "x"}), "限用周期(日)", "整数"),
    (row(**{"最低使用年限(月)": "-3"}), "最低使用年限(月)", "整数"),
    (row(valid_from="明年"), "生效日期", "不是有效日期"),
    (row(**{"失效日期": "2024-01-01"}), "失效日期", "不能早于生效日期"),
    (row(name="=1+1"), "名称", "公式"),
])
def test_each_row_error_is_reported_and_nothing_is_imported(inspector, bad, column, fragment):
    record = _import(inspector, csv_bytes([row("003111000030000", "小换药"), bad]))
    assert record.status == "failed" and record.accepted == 0 and record.total == 2
    assert len(record.errors) == 1
    error = record.errors[0]
    assert (error["row"], error["column"]) == (3, column) and fragment in error["message"]
    assert not CatalogueItem.objects.exists()


def test_error_list_download(inspector):
    record = _import(inspector, csv_bytes([row(name="")]))
    text = error_csv(record).decode("utf-8-sig")
    assert text.splitlines()[0] == "行号,列,错误说明" and "2,名称,名称未填写" in text


def test_new_version_closes_the_open_one(inspector):
    _import(inspector, csv_bytes([row()]))
    record = _import(inspector, csv_bytes([row(cap="50.00", valid_from="2026-07-01")]))
    assert record.status == "done"
    old, new = CatalogueItem.objects.order_by("valid_from")
    assert (old.valid_to, new.valid_from, new.valid_to) == (date(2026, 6, 30), date(2026, 7, 1), None)


def test_versions_in_one_file_chain(inspector):
    record = _import(inspector, csv_bytes([row(cap="50.00", valid_from="2026-07-01"), row()]))
    assert record.status == "done"
    assert list(CatalogueItem.objects.order_by("valid_from").values_list("valid_to", flat=True)) == [
        date(2026, 6, 30), None]


@pytest.mark.parametrize(("second", "fragment"), [
    (row(valid_from="2025-01-01"), "须晚于它"),   # same start as the stored version
    (row(valid_from="2024-06-01"), "须晚于它"),   # earlier
])
def test_version_not_after_the_stored_one(inspector, second, fragment):
    _import(inspector, csv_bytes([row()]))
    record = _import(inspector, csv_bytes([second]))
    assert record.status == "failed" and fragment in record.errors[0]["message"]


def test_version_overlapping_a_closed_one(inspector):
    _import(inspector, csv_bytes([row(**{"失效日期": "2025-12-31"})]))
    assert _import(inspector, csv_bytes([row(valid_from="2025-12-31")])).status == "failed"
    assert _import(inspector, csv_bytes([row(valid_from="2026-01-01")])).status == "done"


def test_duplicate_version_in_the_file(inspector):
    record = _import(inspector, csv_bytes([row(), row()]))
    assert record.status == "failed" and "相同生效日期" in record.errors[0]["message"]


def test_other_regions_versions_are_independent(inspector, other_inspector):
    ServiceItemFactory(region="370700", code="003111000010000")
    assert _import(inspector, csv_bytes([row()])).status == "done"


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "97-2003"),
    (csv_bytes([], header=["编码", "名称"]), "表头"),
    (csv_bytes([row()], header=HEADER[1:]), "缺少必填列：医保编码"),
    (csv_bytes([]), "没有目录数据"),
    (b"\xff\xfe\x00\x00garbage\x81", "文字编码"),
    ("医保编码,名称\x00,生效日期\n".encode(), "控制字符"),
])
def test_whole_file_problems(inspector, data, fragment):
    record = _import(inspector, data)
    assert record.status == "failed" and record.total == 0
    assert fragment in record.errors[0]["message"], record.errors


def test_too_many_rows(inspector, settings):
    settings.MEDICAL_CATALOGUE_MAX_ROWS = 3
    record = _import(inspector, csv_bytes([row(f"0031110000{n:05d}") for n in range(4)]))
    assert record.status == "failed" and "上限 3 行" in record.errors[0]["message"]
    assert _import(inspector, csv_bytes([row(f"0031110000{n:05d}") for n in range(3)])).status == "done"


def test_too_large_file(inspector, settings):
    settings.MEDICAL_CATALOGUE_MAX_BYTES = 1000
    record = _import(inspector, csv_bytes([row()]) + b" " * 1000)
    assert record.status == "failed" and "MB 的上限" in record.errors[0]["message"]


def test_xlsx_cell_far_away_is_refused_before_reading(inspector, settings):
    settings.MEDICAL_CATALOGUE_MAX_ROWS = 100
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row())
    sheet["A5000"] = "x"
    out = io.BytesIO()
    book.save(out)
    record = _import(inspector, out.getvalue(), name="大.xlsx")
    assert record.status == "failed" and "超出单次导入的范围" in record.errors[0]["message"]


def test_damaged_zip_is_not_a_workbook(inspector):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    record = _import(inspector, out.getvalue(), name="坏.xlsx")
    assert record.status == "failed" and "不是有效的 Excel 工作簿" in record.errors[0]["message"]


def test_xlsx_formula_cell_yields_its_saved_value_not_the_formula(inspector):
    """openpyxl saves a formula without a cached value: the reader sees the saved value (none), so
    the row is refused as an empty name; the formula text is never stored."""
    record = _import(inspector, xlsx_bytes([row(name="=CONCAT(\"大\",\"换药\")")]), name="公式.xlsx")
    assert record.status == "failed"
    assert record.errors == [{"row": 2, "column": "名称", "message": "名称未填写"}]
