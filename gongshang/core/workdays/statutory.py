"""Rest days of a year whose 放假安排 (the State Council's yearly notice) nobody has entered yet.

《全国年节及纪念日放假办法》(as amended by 国务院令第795号, in force from 2025-01-01):

- 第二条: the days off for everyone — 元旦 1 January; 春节 农历除夕 and 正月初一 to 初三; 清明节 the
  day of 清明; 劳动节 1 and 2 May; 端午节 五月初五; 中秋节 八月十五; 国庆节 1 to 3 October (13 days;
  the 2024 amendment added 除夕 and 2 May). They are rest days whatever the notice says:
  `statutory_days`, the rest days of a provisional year together with Saturdays and Sundays.
- 第六条: such a day that falls on a Saturday or Sunday is made up (补假) on a working day; the
  notice says which. The `holidays` package places it on the next working day(s):
  `estimated_make_up_days`. That placement is a guess, so it is never final: the engine computes
  a period with and without these days and holds it open until the later date (rules.due_date).
- 第七条: 调休 (weekend days moved to make a longer break) is decided by the notice alone and
  is not guessed at: a provisional answer can still move once the year's notice is entered. How
  far it can move is known from every notice since 2008: a break never reached beyond the
  windows of ADJUSTABLE_WINDOWS (`possible_rest_days`). Those days bound a provisional period
  from above: nobody is refused as late before that bound (rules.DueDate.latest).

Lunar dates (除夕, 春节, 清明, 端午, 中秋) come from `holidays.China`, whose tables end in 2100;
for a later year only weekends are known. Pure: no Django.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

# 第二条's festivals as the package names them (its source language is zh_CN). The package also
# lists the 调休 rest days of notices it knows ("休息日（由 … 调休）"): those are not statutory.
ARTICLE_2_NAMES = frozenset({"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"})
# Days around each festival's first statutory day that a notice has made (or could make) part of its
# break by 调休 (第七条), from the widest breaks of the notices of 2008-2026: 春节 from 除夕 to
# 初七 (2025, 2026) or 初八 (2024, before 除夕 was a holiday); 劳动节 29 April to 5 May (2023,
# 2025); 国庆节 29 September to 8 October (2023, 2025); the one-day festivals up to three days;
# 元旦 from 30 December (2024's break), which the next year's notice decides.
# (before, after) in days relative to that first day; generous on purpose: only an upper bound.
ADJUSTABLE_WINDOWS = {
    "元旦": (-2, 2), "农历除夕": (-2, 8), "春节": (-3, 7), "清明节": (-2, 2), "劳动节": (-2, 4),
    "端午节": (-2, 2), "中秋节": (-2, 2), "国庆节": (-2, 7),
}


def _china(year: int, observed: bool) -> dict[date, str]:
    return dict(holidays.China(years=year, observed=observed, language="zh_CN"))


def _is_article_2(name: str) -> bool:
    # Two festivals on one day (e.g. 中秋节 on 3 October 2028) come joined as "中秋节; 国庆节".
    return any(part.strip() in ARTICLE_2_NAMES for part in name.split(";"))


@lru_cache(maxsize=64)
def statutory_days(year: int) -> frozenset[date]:
    """The 全体公民放假的节日 of `year` (第二条 of the text in force that year)."""
    return frozenset(day for day, name in _china(year, observed=False).items() if _is_article_2(name))


@lru_cache(maxsize=64)
def estimated_make_up_days(year: int) -> frozenset[date]:
    """Working days the package estimates as 补假 (第六条) for statutory days on a weekend."""
    return frozenset(_china(year, observed=True)) - frozenset(_china(year, observed=False))


@lru_cache(maxsize=64)
def possible_rest_days(year: int) -> frozenset[date]:
    """Days of `year` that its notice could still make rest days by 调休 (第七条): the windows of
    ADJUSTABLE_WINDOWS around each festival. Weekends and statutory days among them rest anyway."""
    firsts: dict[str, date] = {}
    for day, name in _china(year, observed=False).items():
        for part in (p.strip() for p in name.split(";")):
            if part in ADJUSTABLE_WINDOWS and (part not in firsts or day < firsts[part]):
                firsts[part] = day
    firsts.setdefault("元旦", date(year, 1, 1))
    days = {date(year, 12, 30), date(year, 12, 31)}  # the next 元旦's break may begin in this year
    for name, first in firsts.items():
        before, after = ADJUSTABLE_WINDOWS[name]
        days.update(first + timedelta(days=offset) for offset in range(before, after + 1))
    return frozenset(day for day in days if day.year == year)


def names(year: int) -> list[tuple[date, str, bool]]:
    """(day, name, estimated) for the calendar page: what a provisional year assumes."""
    named = _china(year, observed=True)
    estimated = estimated_make_up_days(year)
    rows = [(day, name, day in estimated) for day, name in named.items()
            if day in estimated or day in statutory_days(year)]
    return sorted(rows)
