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
  is not guessed at: a provisional answer can still move once the year's notice is entered.

Lunar dates (除夕, 春节, 清明, 端午, 中秋) come from `holidays.China`, whose tables end in 2100;
for a later year only weekends are known. Pure: no Django.
"""

from datetime import date
from functools import lru_cache

import holidays

# 第二条's festivals as the package names them (its source language is zh_CN). The package also
# lists the 调休 rest days of notices it knows ("休息日（由 … 调休）"): those are not statutory.
ARTICLE_2_NAMES = frozenset({"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"})


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


def names(year: int) -> list[tuple[date, str, bool]]:
    """(day, name, estimated) for the calendar page: what a provisional year assumes."""
    named = _china(year, observed=True)
    estimated = estimated_make_up_days(year)
    rows = [(day, name, day in estimated) for day, name in named.items()
            if day in estimated or day in statutory_days(year)]
    return sorted(rows)
