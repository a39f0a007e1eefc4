"""The holiday calendar the deadline rule consults, backed by the database and chinese-calendar.

Order for one day:
1. HolidayOverride (entered by a system administrator): final;
2. the chinese-calendar package (it knows 2004-2026 in version 1.11): final;
3. a year it does not know: the statutory days of 全国年节及纪念日放假办法 第二条 (statutory.py) and
   Saturdays/Sundays rest, other days work. Final when the CalendarYear row says the year's
   arrangement is complete; otherwise provisional, and the 补假 the `holidays` package estimates
   (第六条) are offered to the rule as `estimated_rest`, which computes with and without them.
We never patch the package's tables: that would make an unknown year look known.
"""

from datetime import date, timedelta

import chinese_calendar
from django.utils import timezone

from gongshang.core.models import CalendarYear, HolidayOverride

from . import statutory
from .rules import MAX_LENGTH, NATURAL, DueDate, Suspension, due_date, remaining_days


class ChineseCalendar:
    """Implements rules.DayKindSource. Loads overrides and year flags per range of years in one
    query each and keeps them for the life of the instance (one request, one computation)."""

    def __init__(self, first_year: int | None = None, last_year: int | None = None):
        self._overrides: dict[date, bool] = {}
        self._complete_years: set[int] = set()
        self._loaded_years: set[int] = set()
        self._package_years: dict[int, bool] = {}
        if first_year is not None:
            self.load_years(first_year, last_year if last_year is not None else first_year)

    def load_years(self, first_year: int, last_year: int) -> None:
        years = [y for y in range(first_year, last_year + 1) if y not in self._loaded_years]
        if not years:
            return
        lo, hi = min(years), max(years)
        rows = HolidayOverride.objects.filter(date__year__gte=lo, date__year__lte=hi)
        for day, is_workday in rows.values_list("date", "is_workday"):
            self._overrides[day] = is_workday
        self._complete_years.update(
            CalendarYear.objects.filter(year__gte=lo, year__lte=hi, complete=True).values_list("year", flat=True))
        self._loaded_years.update(range(lo, hi + 1))

    def _in_package(self, day: date) -> bool | None:
        """chinese-calendar's answer for the day, or None for a year it does not know."""
        if not self._package_years.get(day.year, True):
            return None
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            self._package_years[day.year] = False
            return None

    def is_workday(self, day: date) -> tuple[bool, bool]:
        if day.year not in self._loaded_years:
            self.load_years(day.year, day.year)
        if day in self._overrides:
            return self._overrides[day], False
        known = self._in_package(day)
        if known is not None:
            return known, False
        # 全国年节及纪念日放假办法 第二条: the statutory days are rest days whatever the notice says.
        workday = day.weekday() < 5 and day not in statutory.statutory_days(day.year)
        return workday, day.year not in self._complete_years

    def estimated_rest(self, day: date) -> bool:
        """A day answered as a working day that may be a rest day: the 补假 (第六条) the `holidays`
        package places after a statutory day on a weekend, in a year not yet entered."""
        return self._unentered(day) and day in statutory.estimated_make_up_days(day.year)

    def possible_rest(self, day: date) -> bool:
        """A day answered as a working day that the year's notice could still make a rest day by
        调休 (第七条), in a year not yet entered: bounds a provisional period from above."""
        return self._unentered(day) and day in statutory.possible_rest_days(day.year)

    def _unentered(self, day: date) -> bool:
        """Nobody has decided this day: no override, its year not complete, not in the package's data."""
        if day.year not in self._loaded_years:
            self.load_years(day.year, day.year)
        return not (day in self._overrides or day.year in self._complete_years or self._in_package(day) is not None)

    def year_status(self, year: int) -> str:
        """"package" | "complete" | "provisional": where this year's answers come from."""
        if year not in self._loaded_years:
            self.load_years(year, year)
        if self._package_years.get(year, True):
            try:
                chinese_calendar.is_workday(date(year, 6, 1))
                return "package"
            except NotImplementedError:
                self._package_years[year] = False
        return "complete" if year in self._complete_years else "provisional"


def _span_end(start: date, length: int, unit: str, suspensions) -> date:
    # Working days: about 250 a year, so 1.6 × length plus a margin covers nearly every case;
    # days beyond it are loaded lazily, year by year.
    span = length + 31 if unit == NATURAL else length * 8 // 5 + 31
    span += sum((end - begin).days + 1 for begin, end in suspensions if end is not None)
    try:
        return start + timedelta(days=span)
    except OverflowError:
        return date.max


def compute_due_date(start: date, length: int, unit: str, suspensions: list[Suspension] | tuple = ()) -> DueDate:
    """The due date with the platform calendar. Raises rules.PeriodError on bad input."""
    suspensions = list(suspensions or ())
    calendar = ChineseCalendar()
    if isinstance(start, date) and isinstance(length, int) and 0 <= length <= MAX_LENGTH:
        calendar.load_years(start.year, _span_end(start, length, unit, suspensions).year)
    return due_date(start, length, unit, calendar, suspensions)


def today() -> date:
    """Today in Asia/Shanghai, the date remaining days count from."""
    return timezone.localdate()


def days_left(due: date | None, on: date | None = None) -> int | None:
    return remaining_days(due, on or today())
