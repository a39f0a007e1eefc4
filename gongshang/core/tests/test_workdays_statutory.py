"""The statutory days of a year nobody has entered (全国年节及纪念日放假办法 第二条, 第六条)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from gongshang.core.workdays import statutory

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def d(s):
    return date.fromisoformat(s)


def test_2027_statutory_days_are_the_13_days_of_article_2():
    # 第二条 as amended in 2024: 元旦 1; 春节 除夕 + 初一..初三 = 4; 清明 1; 劳动节 5-1, 5-2; 端午 1;
    # 中秋 1; 国庆 10-1..10-3. 2027: 春节 (初一) is Saturday 6 February, so 除夕 is Friday 5 February;
    # 端午 (五月初五) 9 June; 中秋 (八月十五) 15 September.
    assert statutory.statutory_days(2027) == {
        d("2027-01-01"),
        d("2027-02-05"), d("2027-02-06"), d("2027-02-07"), d("2027-02-08"),
        d("2027-04-05"),
        d("2027-05-01"), d("2027-05-02"),
        d("2027-06-09"),
        d("2027-09-15"),
        d("2027-10-01"), d("2027-10-02"), d("2027-10-03"),
    }


def test_qingming_agrees_with_chinese_calendars_solar_terms():
    # An independent source for the solar term 清明 (chinese-calendar computes terms beyond 2026).
    for year in (2027, 2028, 2030):
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
        qingming = [day for day, name in terms if name == "清明"]
        assert qingming and qingming[0] in statutory.statutory_days(year)


@pytest.mark.parametrize("year", [2025, 2026])
def test_agrees_with_the_entered_notices_where_both_know_the_year(year):
    # chinese-calendar holds the real 2025 and 2026 notices: every statutory day the package computes
    # (lunar ones included) is a day off there, and the count is the amended article's 13.
    days = statutory.statutory_days(year)
    assert len(days) == 13
    assert all(chinese_calendar.is_holiday(day) for day in days)


def test_before_the_2024_amendment_there_was_no_new_years_eve_or_second_of_may():
    days = statutory.statutory_days(2024)
    assert d("2024-05-02") not in days and d("2024-02-09") not in days  # 2024 除夕 was 9 February
    assert d("2024-02-10") in days and len(days) == 11


def test_estimated_make_up_days_of_2027():
    # 第六条: a statutory day on a Saturday or Sunday is made up on a working day. The package places
    # it on the next working day(s): 春节 Sat/Sun → 02-09, 02-10; 劳动节 Sat/Sun → 05-03, 05-04;
    # 国庆 Sat/Sun → 10-04, 10-05.
    assert statutory.estimated_make_up_days(2027) == {
        d("2027-02-09"), d("2027-02-10"), d("2027-05-03"), d("2027-05-04"), d("2027-10-04"), d("2027-10-05")}
    assert all(day.weekday() < 5 for day in statutory.estimated_make_up_days(2027))


def test_two_festivals_on_one_day_count_once():
    # 2028: 中秋节 falls on 3 October, a 国庆节 day.
    assert d("2028-10-03") in statutory.statutory_days(2028)
    assert len(statutory.statutory_days(2028)) == 12


def test_names_mark_the_estimates():
    rows = statutory.names(2027)
    assert (d("2027-02-05"), "农历除夕", False) in rows
    assert [day for day, _name, estimated in rows if estimated] == sorted(statutory.estimated_make_up_days(2027))


def test_years_beyond_the_lunar_tables_have_no_statutory_days():
    assert statutory.statutory_days(2101) == frozenset()
    assert statutory.estimated_make_up_days(9999) == frozenset()
    assert d("2100-01-01") in statutory.statutory_days(2100)


# 抗战胜利70周年纪念日 (国务院 decision of 2015, not a 调休 of the yearly notice).
ONE_OFF_DAYS = {date(2015, 9, 3), date(2015, 9, 4)}


def test_every_real_break_lies_inside_the_tiaoxiu_windows():
    """The windows bound what a notice can add: every rest day chinese-calendar knows
    (the notices of 2008-2026) that is neither a weekend nor statutory lies inside them."""
    for year in range(2008, 2027):
        windows = statutory.possible_rest_days(year)
        for day in chinese_calendar.holidays:
            if day.year == year and day.weekday() < 5 and day not in statutory.statutory_days(year) \
                    and day not in ONE_OFF_DAYS:
                assert day in windows, day


def test_tiaoxiu_windows_of_2027():
    windows = statutory.possible_rest_days(2027)
    assert {date(2027, 2, 3), date(2027, 2, 13), date(2027, 4, 29), date(2027, 5, 5), date(2027, 10, 8)} <= windows
    assert date(2027, 12, 31) in windows  # 2028's 元旦 break may begin in 2027 (as 2019's did on 2018-12-31)
    assert not {date(2027, 2, 14), date(2027, 3, 1), date(2027, 10, 9)} & windows
