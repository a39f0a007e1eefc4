"""Pure rules of 异地就医备案 and 辅助器具: month arithmetic with end-of-month clamping, validity, the
lock (the day before it ends and the day it ends), the start-date grace, the cap ± 1 fen and the
minimum service life."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongshang.medical.rules import referrals, remote


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),      # leap year
    (date(2026, 3, 31), 3, date(2026, 6, 30)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 3, 10), 12, date(2027, 3, 10)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2026, 5, 20), 0, date(2026, 5, 20)),
])
def test_add_months_clamps_to_the_end_of_month(day, months, expected):
    assert remote.add_months(day, months) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_lands_in_the_right_month_and_never_later_day(day, months):
    result = remote.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_valid_until_is_the_day_before_the_same_date_twelve_months_later():
    assert remote.valid_until(date(2026, 3, 10), 12) == date(2027, 3, 9)
    assert remote.valid_until(date(2026, 2, 28), 12) == date(2027, 2, 27)
    assert remote.valid_until(date(2026, 3, 10), 6) == date(2026, 9, 9)  # a region's own length


def test_lock_day_before_and_day_it_ends():
    start = date(2026, 3, 10)
    assert remote.lock_ends_on(start, 3) == date(2026, 6, 10)
    assert remote.is_locked(start, 3, date(2026, 6, 9)) is True
    assert remote.is_locked(start, 3, date(2026, 6, 10)) is False


def test_lock_from_the_31st_clamps():
    assert remote.lock_ends_on(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_start_date_grace_boundary():
    today = date(2026, 4, 30)
    assert remote.start_date_error(date(2026, 3, 31), today) == ""        # 30 days back: accepted
    assert "2026年3月31日" in remote.start_date_error(date(2026, 3, 30), today)  # 31 days back: refused
    assert remote.start_date_error(date(2027, 4, 30), today) == ""
    assert "一年以后" in remote.start_date_error(date(2027, 5, 1), today)


def test_is_active_on_bounds():
    args = {"status_active": True, "start": date(2026, 3, 10), "until": date(2027, 3, 9)}
    assert remote.is_active_on(**args, on=date(2026, 3, 9)) is False
    assert remote.is_active_on(**args, on=date(2026, 3, 10)) is True
    assert remote.is_active_on(**args, on=date(2027, 3, 9)) is True
    assert remote.is_active_on(**args, on=date(2027, 3, 10)) is False
    assert remote.is_active_on(**{**args, "status_active": False}, on=date(2026, 6, 1)) is False


def test_fund_share_cap_plus_and_minus_one_fen():
    cap = Decimal("12000.00")
    below = referrals.fund_share(Decimal("11999.99"), cap)
    assert (below.fund, below.worker, below.reason) == (Decimal("11999.99"), Decimal("0.00"), "")
    at = referrals.fund_share(Decimal("12000.00"), cap)
    assert (at.fund, at.worker) == (Decimal("12000.00"), Decimal("0.00"))
    above = referrals.fund_share(Decimal("12000.01"), cap)
    assert (above.fund, above.worker) == (Decimal("12000.00"), Decimal("0.01"))
    assert "0.01元由本人自付" in above.reason


def test_fund_share_without_cap_pays_all():
    share = referrals.fund_share(Decimal("300"), None)
    assert share.fund == Decimal("300.00") and share.worker == Decimal("0.00")


def test_replace_due_on_and_refusal_boundary():
    due = referrals.replace_due_on(date(2026, 3, 2), 36)
    assert due == date(2029, 3, 2)
    assert referrals.replace_due_on(date(2026, 3, 2), None) is None
    assert "2029年3月2日" in referrals.replacement_error(due, date(2029, 3, 1))
    assert referrals.replacement_error(due, date(2029, 3, 2)) == ""
    assert referrals.replacement_error(None, date(2026, 1, 1)) == ""
