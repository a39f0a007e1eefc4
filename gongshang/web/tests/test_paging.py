"""Web list pages: the count stops at the cap (a LIMIT inside the COUNT), the page says so in Chinese."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from gongshang.core import counting
from gongshang.core.models import HolidayOverride
from gongshang.web import paging

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    from datetime import date, timedelta

    HolidayOverride.objects.bulk_create(
        [HolidayOverride(date=date(2030, 1, 1) + timedelta(days=i), is_workday=False) for i in range(12)])
    return HolidayOverride.objects.order_by("date")


def test_under_the_cap_the_count_is_exact(rows, monkeypatch):
    monkeypatch.setattr(counting, "COUNT_CAP", 20)
    monkeypatch.setattr(paging, "COUNT_CAP", 20)
    page, _ = paging.paged(RequestFactory().get("/"), rows, size=5)
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (12, False, 3)
    assert page.paginator.count_label == "共 12 条"


def test_over_the_cap_the_count_stops_and_says_so(rows, monkeypatch):
    monkeypatch.setattr(counting, "COUNT_CAP", 10)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    with CaptureQueriesContext(connection) as captured:
        page, query = paging.paged(RequestFactory().get("/", {"page": "2", "q": "x"}), rows, size=5)
        list(page)
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (10, True, 2)
    assert page.paginator.count_label == "超过 10 条，只列出前 10 条，请缩小筛选范围"
    assert query == "q=x"
    count_sql = captured.captured_queries[0]["sql"].upper()
    assert "COUNT(" in count_sql and "LIMIT 11" in count_sql


def test_the_capped_label_names_the_cap(rows):
    paginator = paging.CappedPaginator(rows, 5)
    paginator.count = paging.COUNT_CAP
    paginator.capped = True
    assert paging.COUNT_CAP == 1_000
    assert paginator.count_label == "超过 1000 条，只列出前 1000 条，请缩小筛选范围"


def test_a_cap_in_ten_thousands_reads_as_wan(rows, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 20_000)
    paginator = paging.CappedPaginator(rows, 5)
    paginator.count = 20_000
    paginator.capped = True
    assert paginator.count_label.startswith("超过 2 万条")


def test_the_pagination_template_shows_the_capped_label(rows, monkeypatch):
    from django.template.loader import render_to_string

    monkeypatch.setattr(counting, "COUNT_CAP", 10)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    page, query = paging.paged(RequestFactory().get("/"), rows, size=5)
    html = render_to_string("core/_pagination.html", {"page": page, "query": query})
    assert "超过 10 条" in html and "第 1 / 2 页" in html
