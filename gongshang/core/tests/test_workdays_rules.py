"""The deadline rule, without a database: a fake calendar says which days are working days."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from gongshang.core.workdays.rules import DueDate, PeriodError, due_date, provisional_note, remaining_days

# None of these rules reads the clock; pinned anyway so no test can depend on the day it runs.
PINNED = time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


class FakeCalendar:
    """Weekdays work; `holidays` rest; `workdays` are 调休 make-up days; years in `unknown` are
    provisional."""

    def __init__(self, holidays=(), workdays=(), unknown=()):
        self.holidays = set(holidays)
        self.workdays = set(workdays)
        self.unknown = set(unknown)
        self.consulted = []

    def is_workday(self, day):
        self.consulted.append(day)
        provisional = day.year in self.unknown
        if day in self.workdays:
            return True, provisional
        if day in self.holidays:
            return False, provisional
        return day.weekday() < 5, provisional


def d(s):
    return date.fromisoformat(s)


def days(first, last):
    out, day = [], d(first)
    while day <= d(last):
        out.append(day)
        day += timedelta(days=1)
    return out


NATIONAL_DAY = FakeCalendar(holidays=days("2026-10-01", "2026-10-07"), workdays=[d("2026-09-20"), d("2026-10-10")])


class TestNatural:
    def test_counts_from_the_day_after(self):
        # 2026-03-02 is a Monday: 3 days → Thursday 03-05.
        assert due_date(d("2026-03-02"), 3, "natural", FakeCalendar()) == DueDate(d("2026-03-05"), False, False, 0)

    def test_zero_length_is_the_same_day(self):
        # Even on a Sunday: "当日" is not a period in days to extend.
        assert due_date(d("2026-03-01"), 0, "natural", FakeCalendar()).due == d("2026-03-01")

    def test_last_day_on_weekend_moves_to_monday(self):
        # Friday + 1 = Saturday → Monday (民法典 第二百零三条).
        assert due_date(d("2026-03-06"), 1, "natural", FakeCalendar()).due == d("2026-03-09")

    def test_last_day_in_holiday_moves_to_first_working_day_after(self):
        result = due_date(d("2026-09-25"), 10, "natural", NATIONAL_DAY)  # 10-05, inside the holiday
        assert result.due == d("2026-10-08")

    def test_make_up_workday_can_be_the_last_day(self):
        # 10-10 is a Saturday but a 调休 working day: no extension.
        assert due_date(d("2026-09-30"), 10, "natural", NATIONAL_DAY).due == d("2026-10-10")

    def test_only_the_last_days_are_consulted(self):
        cal = FakeCalendar()
        due_date(d("2026-01-01"), 365, "natural", cal)
        assert len(cal.consulted) <= 3

    def test_provisional_when_the_last_day_is_in_an_unknown_year(self):
        cal = FakeCalendar(unknown={2027})
        assert due_date(d("2026-12-01"), 60, "natural", cal).provisional is True
        assert due_date(d("2026-01-01"), 60, "natural", cal).provisional is False


class TestWorking:
    def test_skips_weekends(self):
        # Thursday 2026-03-05 + 5 working days → Thursday 03-12.
        assert due_date(d("2026-03-05"), 5, "working", FakeCalendar()).due == d("2026-03-12")

    def test_skips_holidays_and_counts_make_up_saturday(self):
        # After 09-30: 10-01..07 rest, 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat 调休 (3), 10-12..13 (4..5).
        assert due_date(d("2026-09-30"), 5, "working", NATIONAL_DAY).due == d("2026-10-13")
        assert due_date(d("2026-09-30"), 3, "working", NATIONAL_DAY).due == d("2026-10-10")

    def test_event_on_a_holiday_counts_from_the_next_working_day(self):
        assert due_date(d("2026-10-03"), 1, "working", NATIONAL_DAY).due == d("2026-10-08")

    def test_provisional_if_any_consulted_day_is_unknown(self):
        cal = FakeCalendar(unknown={2027})
        result = due_date(d("2026-12-28"), 10, "working", cal)
        assert result.provisional is True
        assert result.due.year == 2027

    def test_calendar_without_workdays_does_not_loop_forever(self):
        class NeverWorks:
            def is_workday(self, day):
                return False, False

        with pytest.raises(PeriodError):
            due_date(d("2026-01-01"), 5, "working", NeverWorks())


class TestSuspensions:
    def test_closed_suspension_extends_the_period(self):
        # 10 natural days from 03-02 → 03-12; 5 suspended days (03-04..08) → 03-17.
        result = due_date(d("2026-03-02"), 10, "natural", FakeCalendar(), [(d("2026-03-04"), d("2026-03-08"))])
        assert result == DueDate(d("2026-03-17"), False, False, 5)

    def test_suspension_in_working_days(self):
        # 5 working days from Monday 03-02 = 03-09; suspend Tue 03-03 to Wed 03-04 → 03-11.
        result = due_date(d("2026-03-02"), 5, "working", FakeCalendar(), [(d("2026-03-03"), d("2026-03-04"))])
        assert result.due == d("2026-03-11")
        assert result.suspended_days == 2

    def test_open_suspension_pauses(self):
        result = due_date(d("2026-03-02"), 60, "natural", FakeCalendar(), [(d("2026-03-20"), None)])
        assert result.paused is True
        assert result.due is None
        assert remaining_days(result.due, d("2026-03-21")) is None

    def test_open_suspension_after_the_due_date_changes_nothing(self):
        result = due_date(d("2026-03-02"), 10, "natural", FakeCalendar(), [(d("2026-04-01"), None)])
        assert result == DueDate(d("2026-03-12"), False, False, 0)

    def test_suspension_before_the_start_changes_nothing(self):
        result = due_date(d("2026-03-02"), 10, "natural", FakeCalendar(), [(d("2026-02-01"), d("2026-03-02"))])
        assert result.due == d("2026-03-12")

    def test_last_day_rule_skips_suspended_days_too(self):
        # Due Saturday 03-07; Monday 03-09 suspended → Tuesday 03-10.
        result = due_date(d("2026-03-06"), 1, "natural", FakeCalendar(), [(d("2026-03-09"), d("2026-03-09"))])
        assert result.due == d("2026-03-10")

    def test_end_before_begin_is_refused(self):
        with pytest.raises(PeriodError) as exc:
            due_date(d("2026-03-02"), 10, "natural", FakeCalendar(), [(d("2026-03-09"), d("2026-03-01"))])
        assert exc.value.field == "suspensions"


class TestInput:
    @pytest.mark.parametrize("length", [-1, 3661, 1.5, "5", True, None])
    def test_bad_length(self, length):
        with pytest.raises(PeriodError) as exc:
            due_date(d("2026-03-02"), length, "natural", FakeCalendar())
        assert exc.value.field == "length"
        assert "0 到 3660" in exc.value.message

    def test_bad_unit(self):
        with pytest.raises(PeriodError) as exc:
            due_date(d("2026-03-02"), 5, "weeks", FakeCalendar())
        assert exc.value.field == "unit"

    def test_bad_start(self):
        with pytest.raises(PeriodError) as exc:
            due_date("2026-03-02", 5, "natural", FakeCalendar())
        assert exc.value.field == "start"

    def test_beyond_the_last_date(self):
        with pytest.raises(PeriodError):
            due_date(date(9999, 12, 30), 5, "natural", FakeCalendar())


class EstimatingCalendar(FakeCalendar):
    """A provisional year whose `estimated` days may be rest days (补假 placed by estimate)."""

    def __init__(self, estimated=(), **kwargs):
        super().__init__(**kwargs)
        self.estimated = set(estimated)

    def estimated_rest(self, day):
        return day in self.estimated


# 2027 as the engine sees it before the notice: 除夕..初三 rest, 补假 estimated on 02-09 and 02-10.
SPRING_2027 = EstimatingCalendar(holidays=days("2027-02-05", "2027-02-08"),
                                 estimated=[d("2027-02-09"), d("2027-02-10")], unknown={2027})


class TestProvisionalCandidates:
    @pytest.fixture(autouse=True)
    def _pinned(self):
        with PINNED:
            yield

    def test_natural_period_answers_the_later_candidate_and_keeps_the_earlier(self):
        result = due_date(d("2027-02-04"), 1, "natural", SPRING_2027)
        assert result == DueDate(d("2027-02-11"), True, False, 0, earliest=d("2027-02-09"),
                                 provisional_years=(2027,))
        assert result.first_due == d("2027-02-09")

    def test_working_days_too(self):
        # Without 补假: 02-09, 02-10, 02-11; with: 02-11, 02-12, 02-15.
        result = due_date(d("2027-02-04"), 3, "working", SPRING_2027)
        assert (result.due, result.earliest) == (d("2027-02-15"), d("2027-02-11"))

    def test_one_answer_when_the_estimates_do_not_matter(self):
        result = due_date(d("2027-03-01"), 10, "natural", SPRING_2027)
        assert (result.due, result.earliest, result.provisional) == (d("2027-03-11"), None, True)

    def test_estimates_are_ignored_in_a_known_year(self):
        cal = EstimatingCalendar(holidays=days("2027-02-05", "2027-02-08"), estimated=[d("2027-02-09")])
        assert due_date(d("2027-02-04"), 1, "natural", cal) == DueDate(d("2027-02-09"), False, False, 0)

    def test_open_suspension_in_the_later_candidate_pauses(self):
        result = due_date(d("2027-02-04"), 1, "natural", SPRING_2027, [(d("2027-02-10"), None)])
        assert result.paused and result.due is None

    def test_note_explains_both_dates(self):
        note = provisional_note(due_date(d("2027-02-04"), 1, "natural", SPRING_2027))
        assert note.startswith("2027年的放假安排（国务院办公厅通知）尚未录入")
        assert "可能早至2027年02月09日" in note and "2027年02月11日（含当日）之前不按逾期处理" in note
        assert provisional_note(due_date(d("2026-03-02"), 3, "natural", FakeCalendar())) == ""


@given(start=st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 12, 31)),
       length=st.integers(min_value=1, max_value=120), unit=st.sampled_from(["natural", "working"]),
       estimated=st.lists(st.integers(min_value=0, max_value=500), max_size=20))
@PINNED
def test_estimates_never_make_a_period_end_earlier(start, length, unit, estimated):
    base = date(2026, 6, 1)
    cal = EstimatingCalendar(estimated=[base + timedelta(days=o) for o in estimated], unknown={2026, 2027, 2028})
    result = due_date(start, length, unit, cal)
    plain = due_date(start, length, unit, FakeCalendar(unknown={2026, 2027, 2028}))
    assert result.due >= plain.due
    assert result.first_due == plain.due


def test_remaining_days():
    assert remaining_days(d("2026-03-12"), d("2026-03-10")) == 2
    assert remaining_days(d("2026-03-12"), d("2026-03-12")) == 0
    assert remaining_days(d("2026-03-12"), d("2026-03-15")) == -3


# Properties, over a calendar with random holidays and make-up days.
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
lengths = st.integers(min_value=0, max_value=400)


@st.composite
def calendars(draw):
    offsets = st.integers(min_value=0, max_value=800)
    holidays = draw(st.lists(offsets, max_size=40))
    workdays = draw(st.lists(offsets, max_size=10))
    base = date(2000, 1, 1)
    return base, holidays, workdays


def build(start, spec):
    _, holidays, workdays = spec
    return FakeCalendar(holidays=[start + timedelta(days=o) for o in holidays],
                        workdays=[start + timedelta(days=o) for o in workdays])


@given(start=starts, length=lengths, spec=calendars())
def test_natural_due_is_at_least_start_plus_length(start, length, spec):
    cal = build(start, spec)
    result = due_date(start, length, "natural", cal)
    assert result.due >= start + timedelta(days=length)
    if length:
        assert cal.is_workday(result.due)[0]
        # Every day between the plain end and the due date is a rest day.
        day = start + timedelta(days=length)
        while day < result.due:
            assert not cal.is_workday(day)[0]
            day += timedelta(days=1)


@given(start=starts, length=st.integers(min_value=1, max_value=300), spec=calendars())
def test_working_due_is_a_workday_with_exactly_length_workdays(start, length, spec):
    cal = build(start, spec)
    result = due_date(start, length, "working", cal)
    assert cal.is_workday(result.due)[0]
    counted = sum(1 for i in range(1, (result.due - start).days + 1)
                  if cal.is_workday(start + timedelta(days=i))[0])
    assert counted == length


@given(start=starts, length=st.integers(min_value=1, max_value=200),
       begin=st.integers(min_value=1, max_value=100), span=st.integers(min_value=0, max_value=50))
def test_closed_suspension_never_shortens_a_period(start, length, begin, span):
    cal = FakeCalendar()
    plain = due_date(start, length, "natural", cal)
    first = start + timedelta(days=begin)
    suspended = due_date(start, length, "natural", cal, [(first, first + timedelta(days=span))])
    assert suspended.due >= plain.due
    assert suspended.paused is False
