"""The one deadline rule: a start date, a length, a unit (自然日 | 工作日), a calendar and the
suspensions (中止) give a due date. Pure: no Django imports; the calendar is passed in.

Counting (民法典 第二百零一条 to 第二百零四条, RULES.md "Counting"):
- a period in days starts the day after the event (第二百零一条);
- when its last day is a 法定休假日 it ends on the first working day after it (第二百零三条).
  Any non-working day (weekend or holiday, with 调休 make-up working days counted as working
  days) is treated as a rest day for this purpose;
- a period in 工作日 counts only working days, 调休 make-up Saturdays/Sundays included;
- 中止 (条例 第二十条): days inside a suspension (both ends inclusive) do not count; while a
  suspension without an end has begun before the due date, the clock is stopped: no due date;
- a year whose holiday arrangement (放假安排) is not yet entered is provisional: the calendar
  knows its certain rest days (weekends, 全国年节及纪念日放假办法 第二条) and may estimate others
  (第六条 补假); the answer is the later candidate date, flagged provisional (see statutory.py).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, Protocol

NATURAL = "natural"
WORKING = "working"
Unit = Literal["natural", "working"]
UNITS = (NATURAL, WORKING)
UNIT_LABELS = {NATURAL: "自然日", WORKING: "工作日"}

MAX_LENGTH = 3660
ONE_DAY = timedelta(days=1)

LENGTH_ERROR = f"期限天数应为 0 到 {MAX_LENGTH} 之间的整数"
UNIT_ERROR = "期限单位应为 natural（自然日）或 working（工作日）"


class DayKindSource(Protocol):
    """Which days are working days. A source may also offer `estimated_rest(day) -> bool`: True for
    a day it answers as a working day in a provisional year but that may turn out a rest day (the
    补假 of 全国年节及纪念日放假办法 第六条, placed by estimate). The rule then computes with and
    without those days and answers the later date (`DueDate.earliest` keeps the other)."""

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is_workday, provisional): provisional when the year's holiday arrangement is unknown."""


@dataclass(frozen=True)
class DueDate:
    due: date | None  # None while paused; when provisional, the later of the candidate dates
    provisional: bool  # some day consulted lies in a year whose holidays are not yet known
    paused: bool  # an open-ended suspension has stopped the clock
    suspended_days: int  # days skipped because they were inside a suspension
    # The earlier candidate when it differs from `due`: the due date if the estimated rest days turn
    # out to be working days. Nobody is held late before `due`; `earliest` is the safe date to act by.
    earliest: date | None = None
    provisional_years: tuple[int, ...] = ()  # the years whose arrangement is not yet entered
    # Provisional: the latest date the year's notice could still make it (its 调休, 第七条, can only
    # add rest days within known windows). Nobody is refused as late before it; None when = `due`.
    latest: date | None = None

    @property
    def first_due(self) -> date | None:
        return self.earliest or self.due


class PeriodError(ValueError):
    """Bad input to the rule; `field` names the argument, the message says what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


Suspension = tuple[date, date | None]
DayKind = Callable[[date], tuple[bool, bool]]


def _check(start, length, unit, suspensions) -> list[Suspension]:
    if not isinstance(start, date):
        raise PeriodError("start", "起算日期应为日期（YYYY-MM-DD）")
    if isinstance(length, bool) or not isinstance(length, int) or not 0 <= length <= MAX_LENGTH:
        raise PeriodError("length", LENGTH_ERROR)
    if unit not in UNITS:
        raise PeriodError("unit", UNIT_ERROR)
    checked = []
    for begin, end in suspensions or ():
        if end is not None and end < begin:
            raise PeriodError("suspensions", f"中止期间的结束日期 {end} 早于开始日期 {begin}，请核对")
        checked.append((begin, end))
    return checked


def _suspension_at(day: date, suspensions: list[Suspension]) -> Suspension | None:
    for begin, end in suspensions:
        if begin <= day and (end is None or day <= end):
            return (begin, end)
    return None


def due_date(start: date, length: int, unit: str, calendar: DayKindSource,
             suspensions: Iterable[Suspension] = ()) -> DueDate:
    """The last day of a period of `length` `unit`s after the event on `start`.

    In a year whose arrangement is not entered (provisional), a calendar that estimates some rest
    days gives two candidates: without and with those days. More rest days never make a period
    end earlier, so the later candidate is the answer: nobody is held late on a guess."""
    suspensions = _check(start, length, unit, suspensions)
    if length == 0:
        # A zero-length period ends on the event day itself ("当日").
        return DueDate(due=start, provisional=False, paused=False, suspended_days=0)
    first = _Count(start, length, unit, calendar.is_workday, suspensions).run()
    estimated_rest = getattr(calendar, "estimated_rest", None)
    if not first.provisional or first.paused or estimated_rest is None:
        return first

    def with_estimates(day: date) -> tuple[bool, bool]:
        workday, provisional = calendar.is_workday(day)
        return workday and not (provisional and estimated_rest(day)), provisional

    later = _Count(start, length, unit, with_estimates, suspensions).run()
    years = tuple(sorted(set(first.provisional_years) | set(later.provisional_years)))
    latest = _latest(start, length, unit, calendar, suspensions, later)
    if later.paused or later.due == first.due:
        return replace(later, provisional=True, provisional_years=years, latest=latest)
    return replace(later, provisional=True, provisional_years=years, earliest=first.due, latest=latest)


def _latest(start, length, unit, calendar, suspensions, later: DueDate) -> date | None:
    """The count with every day the notice could still make a rest day (`possible_rest`, 调休) taken
    as one: an upper bound of the due date, None when it is `later.due` or the calendar has none."""
    possible_rest = getattr(calendar, "possible_rest", None)
    estimated_rest = getattr(calendar, "estimated_rest", None)
    if possible_rest is None or later.paused:
        return None

    def widest(day: date) -> tuple[bool, bool]:
        workday, provisional = calendar.is_workday(day)
        rest = provisional and (possible_rest(day) or (estimated_rest is not None and estimated_rest(day)))
        return workday and not rest, provisional

    latest = _Count(start, length, unit, widest, suspensions).run().due
    return latest if latest is not None and later.due is not None and latest > later.due else None


class _Count:
    """One pass of the count over one view of the calendar (民法典 第二百零一条, 第二百零三条)."""

    def __init__(self, start: date, length: int, unit: str, kind: DayKind, suspensions: list[Suspension]):
        self.start, self.length, self.unit, self.kind, self.suspensions = start, length, unit, kind, suspensions
        closed_days = sum((end - begin).days + 1 for begin, end in suspensions if end is not None)
        # Guard against a calendar without enough working days (the loop would never end).
        self.limit = length * 3 + 400 + closed_days
        self.years: set[int] = set()
        self.suspended = 0

    def workday(self, day: date) -> bool:
        workday, provisional = self.kind(day)
        if provisional:
            self.years.add(day.year)
        return workday

    def result(self, due: date | None) -> DueDate:
        return DueDate(due=due, provisional=bool(self.years), paused=due is None, suspended_days=self.suspended,
                       provisional_years=tuple(sorted(self.years)))

    def run(self) -> DueDate:
        try:
            day = self._count()
            if day is not None and self.unit == NATURAL:
                day = self._move_past_rest(day)
        except OverflowError as exc:
            raise PeriodError("start", "日期超出可计算的范围，请核对起算日期") from exc
        return self.result(day)

    def _count(self) -> date | None:
        """The day the count reaches `length`; None when an open suspension stops the clock first."""
        counted, day = 0, self.start
        while counted < self.length:
            day += ONE_DAY  # 第二百零一条: counting starts the day after the event.
            if (day - self.start).days > self.limit:
                raise PeriodError("length", "日历中找不到足够的工作日，请检查节假日设置")
            hit = _suspension_at(day, self.suspensions)
            if hit is not None:
                if hit[1] is None:
                    return None
                self.suspended += 1
                continue
            if self.unit == NATURAL or self.workday(day):
                counted += 1
        return day

    def _move_past_rest(self, day: date) -> date | None:
        """第二百零三条: a last day that is a rest day moves to the next working day (not one inside a
        suspension, which does not count either)."""
        while not self.workday(day):
            day += ONE_DAY
            while (hit := _suspension_at(day, self.suspensions)) is not None:
                if hit[1] is None:
                    return None
                self.suspended += 1
                day += ONE_DAY
            if (day - self.start).days > self.limit:
                raise PeriodError("length", "日历中找不到工作日，请检查节假日设置")
        return day


def provisional_note(result: DueDate) -> str:
    """What a provisional due date means, for API answers and pages ("" when the date is final)."""
    if not result.provisional:
        return ""
    years = "、".join(str(y) for y in result.provisional_years) or "所涉"
    note = (f"{years}年的放假安排（国务院办公厅通知）尚未录入，本日期按《全国年节及纪念日放假办法》第二条规定的"
            "法定节假日和周末推算，为暂定日期；该年度放假安排录入后以录入结果为准。")
    if result.earliest and result.due:
        note += (f"法定节假日逢周末的补假（第六条）暂按节后工作日推定，如另有安排，届满日可能早至"
                 f"{result.earliest:%Y年%m月%d日}；在{result.due:%Y年%m月%d日}（含当日）之前不按逾期处理。")
    return note


def remaining_days(due: date | None, today: date) -> int | None:
    """Days left until `due` (0 on the day itself, negative when overdue); None while paused."""
    if due is None:
        return None
    return (due - today).days
