"""目录 selectors: the version valid on the day, the regional row over the national one, the bulk
lookup in one query, and the search."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..selectors.catalogues import catalogue_item_on, catalogue_items_on, catalogue_search
from .factories import ServiceItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
CODE = "003111000010000"


def test_version_on_the_day_boundaries():
    old = ServiceItemFactory(code=CODE, valid_from=date(2025, 1, 1), valid_to=date(2026, 6, 30))
    new = ServiceItemFactory(code=CODE, valid_from=date(2026, 7, 1), price_cap=Decimal("50.00"))
    assert catalogue_item_on(CODE, date(2024, 12, 31), "370200") is None
    assert catalogue_item_on(CODE, date(2025, 1, 1), "370200") == old
    assert catalogue_item_on(CODE, date(2026, 6, 30), "370200") == old
    assert catalogue_item_on(CODE, date(2026, 7, 1), "370200") == new


def test_regional_row_wins_over_national():
    national = ServiceItemFactory(region="", kind="drug", code="XA01ABD075A002010100483", price_cap=None)
    assert catalogue_item_on(national.code, date(2026, 3, 2), "370200") == national
    regional = ServiceItemFactory(region="370200", kind="drug", code=national.code, price_cap=Decimal("12.00"))
    assert catalogue_item_on(national.code, date(2026, 3, 2), "370200") == regional
    assert catalogue_item_on(national.code, date(2026, 3, 2), "370700") == national


def test_other_regions_rows_are_not_used():
    ServiceItemFactory(region="370700", code=CODE)
    assert catalogue_item_on(CODE, date(2026, 3, 2), "370200") is None


def test_bulk_lookup_is_one_query():
    codes = [f"0031110000{n:05d}" for n in range(2000)]  # a 2,000-line bill
    for code in codes[:200]:
        ServiceItemFactory(code=code)
    ServiceItemFactory(region="", kind="drug", code="XA01ABD075A002010100483")
    with CaptureQueriesContext(connection) as queries:
        found = catalogue_items_on([*codes, "XA01ABD075A002010100483", ""], date(2026, 3, 2), "370200")
    assert len(queries) == 1
    assert len(found) == 201 and found[codes[0]].code == codes[0] and codes[1999] not in found
    assert catalogue_items_on([], date(2026, 3, 2), "370200") == {}


def test_search_by_code_prefix_or_name_and_kind(inspector):
    ServiceItemFactory(code=CODE, name="大换药")
    ServiceItemFactory(code="002103000010000", name="CT平扫（单部位）")
    ServiceItemFactory(region="", kind="drug", code="XJ01DDT0101010100001", name="头孢曲松钠注射液", price_cap=None)
    on = date(2026, 3, 2)
    assert [i.code for i in catalogue_search(actor=inspector, region="370200", q="0021", on=on)] == ["002103000010000"]
    assert [i.code for i in catalogue_search(actor=inspector, region="370200", q="换药", on=on)] == [CODE]
    assert [i.code for i in catalogue_search(actor=inspector, region="370200", kind="drug", on=on)] == [
        "XJ01DDT0101010100001"]
    assert catalogue_search(actor=inspector, region="370200", on=date(2024, 1, 1)).count() == 0


def test_search_hides_the_national_row_where_the_region_has_its_own(inspector):
    ServiceItemFactory(region="", kind="drug", code="XA01ABD075A002010100483", price_cap=None)
    regional = ServiceItemFactory(region="370200", kind="drug", code="XA01ABD075A002010100483")
    assert list(catalogue_search(actor=inspector, region="370200", on=date(2026, 3, 2))) == [regional]
