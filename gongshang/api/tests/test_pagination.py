"""The API lists' capped count: exact up to the cap, then the cap and count_capped true."""

import pytest

from gongshang.api import pagination
from gongshang.core.models import HolidayOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    from datetime import date, timedelta

    HolidayOverride.objects.bulk_create(
        [HolidayOverride(date=date(2030, 1, 1) + timedelta(days=i), is_workday=False) for i in range(7)])
    return HolidayOverride.objects.order_by("date")


def test_count_is_exact_below_the_cap(rows):
    assert pagination.capped_count(rows, cap=7) == (7, False)
    assert pagination.count_fields(rows) == {"count": 7, "count_capped": False}


def test_count_stops_at_the_cap(rows):
    assert pagination.capped_count(rows, cap=6) == (6, True)
    assert pagination.capped_count(list(rows), cap=3) == (3, True)


def test_the_ninja_page_carries_the_flag(rows, monkeypatch):
    monkeypatch.setattr("gongshang.core.counting.COUNT_CAP", 5)
    paginator = pagination.LimitOffsetPagination()
    answer = paginator.paginate_queryset(rows, paginator.Input(limit=2, offset=4), request=None)
    assert [r.date.day for r in answer["items"]] == [5, 6]
    assert (answer["count"], answer["count_capped"]) == (5, True)
    assert set(pagination.LimitOffsetPagination.Output.model_fields) == {"items", "count", "count_capped"}


def test_the_count_reads_only_the_key_not_the_unused_annotations(rows):
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.test.utils import CaptureQueriesContext

    later = HolidayOverride.objects.filter(date__gt=OuterRef("date"))
    annotated = rows.annotate(has_later=Exists(later))
    with CaptureQueriesContext(connection) as captured:
        assert pagination.capped_count(annotated, cap=6) == (6, True)
    assert "EXISTS" not in captured.captured_queries[0]["sql"].upper()
    filtered = annotated.filter(has_later=True)  # an annotation the filter uses stays
    assert pagination.capped_count(filtered, cap=10) == (6, False)


def test_unions_and_grouped_rows_are_counted_as_they_are(rows):
    from django.db.models import Count

    first, rest = rows.filter(date__day=1).order_by(), rows.exclude(date__day=1).order_by()
    assert pagination.capped_count(first.union(rest, all=True), cap=10) == (7, False)
    grouped = rows.values("is_workday").annotate(n=Count("id")).order_by()
    assert pagination.capped_count(grouped, cap=10) == (1, False)
    assert pagination.capped_count(rows.values("date"), cap=10) == (7, False)
