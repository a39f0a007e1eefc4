"""The one deadline rule: a start date, a length, a unit (自然日 | 工作日), a calendar and the
suspensions (中止) give a due date. Pure: no Django imports; the calendar is passed in.

Counting (民法典 第二百零一条 to 第二百零四条, RULES.md "Counting"):
- a period in days starts the day after the event (第二百零一条);
- when its last day is a 法定休假日 it ends on the first working day after it (第二百零三条).
  Any non-working day (weekend or holiday, with 调休 make-up working days counted as working
  days) is treated as a rest day for this purpose;
- a period in 工作日 counts only working days, 调休 make-up Saturdays/Sundays included;
- 中止 (条例 第二十条): days inside a suspension (both ends inclusive) do not count; while a
  suspension without an end has begun before the due date, the clock is stopped: no due date.
"""

from collections.abc import Iterable
from dataclasses import dataclass
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
    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is_workday, provisional): provisional when the year's holiday arrangement is unknown."""


@dataclass(frozen=True)
class DueDate:
    due: date | None  # None while paused
    provisional: bool  # some day consulted lies in a year whose holidays are not yet known
    paused: bool  # an open-ended suspension has stopped the clock
    suspended_days: int  # days skipped because they were inside a suspension


class PeriodError(ValueError):
    """Bad input to the rule; `field` names the argument, the message says what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


Suspension = tuple[date, date | None]


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
    """The last day of a period of `length` `unit`s after the event on `start`."""
    suspensions = _check(start, length, unit, suspensions)
    if length == 0:
        # A zero-length period ends on the event day itself ("当日").
        return DueDate(due=start, provisional=False, paused=False, suspended_days=0)
    closed_days = sum((end - begin).days + 1 for begin, end in suspensions if end is not None)
    # Guard against a calendar without enough working days (the loop would never end).
    limit = length * 3 + 400 + closed_days
    provisional = False
    suspended = 0
    counted = 0
    day = start
    try:
        while True:
            day += ONE_DAY  # 第二百零一条: counting starts the day after the event.
            if (day - start).days > limit:
                raise PeriodError("length", "日历中找不到足够的工作日，请检查节假日设置")
            hit = _suspension_at(day, suspensions)
            if hit is not None:
                if hit[1] is None:
                    return DueDate(due=None, provisional=provisional, paused=True, suspended_days=suspended)
                suspended += 1
                continue
            if unit == WORKING:
                workday, prov = calendar.is_workday(day)
                provisional = provisional or prov
                if workday:
                    counted += 1
            else:
                counted += 1
            if counted == length:
                break
        if unit == NATURAL:
            # 第二百零三条: a last day that is a rest day moves to the next working day (not one
            # inside a suspension, which does not count either).
            while True:
                workday, prov = calendar.is_workday(day)
                provisional = provisional or prov
                if workday:
                    break
                day += ONE_DAY
                while (hit := _suspension_at(day, suspensions)) is not None:
                    if hit[1] is None:
                        return DueDate(due=None, provisional=provisional, paused=True, suspended_days=suspended)
                    suspended += 1
                    day += ONE_DAY
                if (day - start).days > limit:
                    raise PeriodError("length", "日历中找不到工作日，请检查节假日设置")
    except OverflowError as exc:
        raise PeriodError("start", "日期超出可计算的范围，请核对起算日期") from exc
    return DueDate(due=day, provisional=provisional, paused=False, suspended_days=suspended)


def remaining_days(due: date | None, today: date) -> int | None:
    """Days left until `due` (0 on the day itself, negative when overdue); None while paused."""
    if due is None:
        return None
    return (due - today).days
