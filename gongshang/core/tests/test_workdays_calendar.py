"""The platform calendar: overrides, chinese-calendar's data, unknown years."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from gongshang.core.models import CalendarYear, HolidayOverride
from gongshang.core.workdays.calendar import ChineseCalendar, compute_due_date, days_left

pytestmark = [pytest.mark.django_db,
              pytest.mark.time_machine(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)]


def d(s):
    return date.fromisoformat(s)


def test_package_data_for_national_day_2026():
    # 国庆节 2026 (国办发明电〔2025〕7号): 10-01..10-07 off, 调休 working days Sunday 09-20 and
    # Saturday 10-10. Checked against chinese-calendar's own table, which the engine relies on.
    for day in range(1, 8):
        assert not chinese_calendar.is_workday(date(2026, 10, day))
    assert chinese_calendar.is_workday(d("2026-10-08"))
    assert chinese_calendar.is_workday(d("2026-09-20"))  # Sunday, 调休 working day
    assert chinese_calendar.is_workday(d("2026-10-10"))  # Saturday, 调休 working day
    cal = ChineseCalendar()
    assert cal.is_workday(d("2026-10-03")) == (False, False)
    assert cal.is_workday(d("2026-10-10")) == (True, False)
    assert cal.is_workday(d("2026-09-20")) == (True, False)
    assert cal.is_workday(d("2026-10-11")) == (False, False)


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    result = compute_due_date(d("2026-09-30"), 5, "working")
    # 10-01..10-07 rest; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat 调休 (3), 10-12 Mon (4), 10-13 (5).
    assert result.due == d("2026-10-13")
    assert result.provisional is False
    assert compute_due_date(d("2026-09-30"), 3, "working").due == d("2026-10-10")
    # The Sunday before, 09-20, is a working day too: Friday 09-18 + 1 working day.
    assert compute_due_date(d("2026-09-18"), 1, "working").due == d("2026-09-20")


def test_natural_period_ending_in_the_holiday_moves_to_the_first_working_day_after():
    # 09-24 + 10 days = 10-04, inside the holiday → 10-08, the first working day after it.
    result = compute_due_date(d("2026-09-24"), 10, "natural")
    assert result.due == d("2026-10-08")
    assert result.provisional is False


def test_natural_period_ending_on_the_make_up_sunday_is_not_extended():
    assert compute_due_date(d("2026-09-10"), 10, "natural").due == d("2026-09-20")


def test_natural_period_ending_on_the_make_up_saturday_is_not_extended():
    assert compute_due_date(d("2026-09-30"), 10, "natural").due == d("2026-10-10")


def test_unknown_year_is_provisional_and_does_not_raise():
    result = compute_due_date(d("2026-12-20"), 30, "natural")  # 2027-01-19, a Tuesday
    assert result.due == d("2027-01-19")
    assert result.provisional is True
    working = compute_due_date(d("2026-12-20"), 20, "working")
    assert working.due.year == 2027
    assert working.provisional is True


def test_complete_year_is_not_provisional():
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    result = compute_due_date(d("2026-12-20"), 30, "natural")
    assert result.due == d("2027-01-19")
    assert result.provisional is False


def test_incomplete_year_row_stays_provisional():
    CalendarYear.objects.create(year=2027, complete=False)
    assert compute_due_date(d("2026-12-20"), 30, "natural").provisional is True


def test_override_makes_a_day_a_holiday():
    # 03-02 + 10 days = Thursday 03-12; declared a rest day → Friday 03-13.
    assert compute_due_date(d("2026-03-02"), 10, "natural").due == d("2026-03-12")
    HolidayOverride.objects.create(date=d("2026-03-12"), is_workday=False, name="测试放假")
    assert compute_due_date(d("2026-03-02"), 10, "natural").due == d("2026-03-13")


def test_override_in_an_unknown_year_is_final_for_that_day():
    HolidayOverride.objects.create(date=d("2027-01-01"), is_workday=False, name="元旦")
    cal = ChineseCalendar()
    assert cal.is_workday(d("2027-01-01")) == (False, False)
    assert cal.is_workday(d("2027-01-04")) == (True, True)
    # New Year's Day 2027 (a Friday) is a holiday: 2026-12-31 + 1 → Monday 2027-01-04.
    assert compute_due_date(d("2026-12-31"), 1, "natural").due == d("2027-01-04")


def test_2027_statutory_days_are_rest_days_before_the_notice_is_entered():
    # 全国年节及纪念日放假办法 第二条: 元旦; 春节 除夕 (Fri 02-05) to 初三 (Mon 02-08); 清明 (Mon 04-05);
    # 端午 (Wed 06-09); 中秋 (Wed 09-15); 国庆 10-01..03. Rest days, and still provisional.
    cal = ChineseCalendar()
    for day in ("2027-01-01", "2027-02-05", "2027-02-08", "2027-04-05", "2027-06-09", "2027-09-15",
                "2027-10-01"):
        assert cal.is_workday(d(day)) == (False, True), day
    assert cal.is_workday(d("2027-01-04")) == (True, True)  # an ordinary Monday
    assert cal.is_workday(d("2027-01-02")) == (False, True)  # Saturday


def test_estimated_make_up_days_are_offered_only_while_the_year_is_provisional():
    cal = ChineseCalendar()
    # 第六条 补假 for 春节 Saturday/Sunday, placed by the holidays package on 02-09 and 02-10.
    assert cal.is_workday(d("2027-02-09")) == (True, True)
    assert cal.estimated_rest(d("2027-02-09")) and cal.estimated_rest(d("2027-02-10"))
    assert not cal.estimated_rest(d("2027-02-11"))
    assert not cal.estimated_rest(d("2026-10-05"))  # chinese-calendar's year: final
    HolidayOverride.objects.create(date=d("2027-02-10"), is_workday=True, name="上班")
    assert not ChineseCalendar().estimated_rest(d("2027-02-10"))  # entered: final
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    assert not ChineseCalendar().estimated_rest(d("2027-02-09"))


def test_period_ending_in_spring_festival_2027_is_held_open_until_the_later_candidate():
    # 02-04 + 1 day = 除夕 02-05 → rest through 初三 02-08: 02-09 without the estimated 补假,
    # 02-11 with them. The answer is the later date; the earlier is kept.
    result = compute_due_date(d("2027-02-04"), 1, "natural")
    assert (result.due, result.earliest, result.provisional) == (d("2027-02-11"), d("2027-02-09"), True)
    assert result.provisional_years == (2027,)
    working = compute_due_date(d("2027-02-04"), 3, "working")
    assert (working.due, working.earliest) == (d("2027-02-15"), d("2027-02-11"))


def test_overrides_entered_for_the_holiday_win_over_the_estimates():
    # The notice says (say) 补假 on 02-09 only and 02-10 is a working day: no second candidate.
    HolidayOverride.objects.create(date=d("2027-02-09"), is_workday=False, name="春节")
    HolidayOverride.objects.create(date=d("2027-02-10"), is_workday=True, name="上班")
    result = compute_due_date(d("2027-02-04"), 1, "natural")
    assert (result.due, result.earliest) == (d("2027-02-10"), None)
    assert result.provisional  # the last day is entered, but 02-05..08 come from the statute


def test_complete_year_keeps_statutory_days_but_drops_estimates():
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    result = compute_due_date(d("2027-02-04"), 1, "natural")
    assert (result.due, result.earliest, result.provisional) == (d("2027-02-09"), None, False)


def test_override_turns_a_saturday_into_a_working_day():
    HolidayOverride.objects.create(date=d("2027-02-20"), is_workday=True, name="春节调休上班")
    assert ChineseCalendar().is_workday(d("2027-02-20")) == (True, False)


def test_overrides_are_loaded_in_one_query_per_range(django_assert_max_num_queries):
    HolidayOverride.objects.create(date=d("2026-03-12"), is_workday=False)
    with django_assert_max_num_queries(2):
        compute_due_date(d("2026-01-05"), 200, "working")


def test_before_the_package_range_is_provisional():
    assert ChineseCalendar().is_workday(d("2003-06-02")) == (True, True)


def test_year_status():
    CalendarYear.objects.create(year=2028, complete=True, source="x")
    cal = ChineseCalendar()
    assert cal.year_status(2026) == "package"
    assert cal.year_status(2027) == "provisional"
    assert cal.year_status(2028) == "complete"


def test_suspension_with_the_real_calendar():
    result = compute_due_date(d("2026-03-02"), 10, "natural", [(d("2026-03-04"), None)])
    assert result.paused and result.due is None


def test_days_left():
    due = d("2026-03-12")
    assert days_left(due, d("2026-03-10")) == 2
    assert days_left(due, due + timedelta(days=1)) == -1
    assert days_left(None) is None


def test_period_is_held_open_until_tiaoxiu_could_end_it_and_entered_days_narrow_it():
    # 02-04 + 1 day: 02-09 or 02-11 by the 补假 estimates; a nine-day 春节 (02-05 … 02-13, as in 2026)
    # would end it on 02-15, which is `latest`.
    assert compute_due_date(d("2027-02-04"), 1, "natural").latest == d("2027-02-15")
    # Part of the notice entered: 02-11 and 02-12 work. The entered days are final, the rest of the
    # window (02-13 is a Saturday anyway) can no longer stretch the period past them.
    for day in ("2027-02-11", "2027-02-12"):
        HolidayOverride.objects.create(date=d(day), is_workday=True, name="上班")
    assert not ChineseCalendar().possible_rest(d("2027-02-11"))
    result = compute_due_date(d("2027-02-04"), 1, "natural")
    assert (result.due, result.latest) == (d("2027-02-11"), None)
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    assert not ChineseCalendar().possible_rest(d("2027-02-10"))
    assert compute_due_date(d("2027-02-04"), 1, "natural").latest is None
