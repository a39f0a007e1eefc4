"""法定退休年龄 under 《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》
(2024-09-13, 第十四届全国人大常委会第十一次会议; in force 2025-01-01) and its 附件
《国务院关于渐进式延迟法定退休年龄的办法》 and its tables (对照表):

- men, original age 60: born from 1965-01, one month later for every 4 months of birth, up to 63
  (born 1965-01…04 → 60 岁 1 个月; born 1976-09 and later → 63 岁);
- women, original age 55 (女干部, 管理和技术岗位): born from 1970-01, one month per 4 months, up to 58;
- women, original age 50 (女工人): born from 1975-01, one month per 2 months, up to 55.
Born before the start month: the original age. The age is reached in the month of birth plus the
age (对照表: 1965-01 → 改革后退休时间 2025-02); the date returned is the day of birth in that month
(the last day of the month when the month is shorter).
Published at https://www.npc.gov.cn/npc/c2/kgfb/202409/t20240913_439534.html and
https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm (addresses as recorded by others; the
pages were not fetched here). Tests: the first and last rows of each 对照表.

Pure: no Django imports."""

import calendar
from dataclasses import dataclass
from datetime import date

from .items import RuleError

MALE = "male"
FEMALE = "female"


@dataclass(frozen=True)
class Schedule:
    original_years: int
    start: tuple[int, int]  # first birth (year, month) concerned
    step: int  # months of birth per month of delay
    max_delay: int  # months


SCHEDULES = {
    (MALE, 60): Schedule(60, (1965, 1), 4, 36),
    (FEMALE, 55): Schedule(55, (1970, 1), 4, 36),
    (FEMALE, 50): Schedule(50, (1975, 1), 2, 60),
}
DEFAULT_ORIGINAL_AGE = {MALE: 60, FEMALE: 50}  # 女职工 default: 50 (工人); 女干部 55 is given explicitly
SOURCE = ("《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》（2024年9月13日通过，2025年1月1日起施行）"
          "及所附《国务院关于渐进式延迟法定退休年龄的办法》和对照表")


@dataclass(frozen=True)
class Retirement:
    age_months: int  # statutory age in months (e.g. 60 岁 1 个月 = 721)
    delay_months: int
    date: date  # the day the statutory age is reached
    text: str  # "60 岁 1 个月（2025 年 2 月）"


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def delay_months(birth_year: int, birth_month: int, schedule: Schedule) -> int:
    index = (birth_year - schedule.start[0]) * 12 + birth_month - schedule.start[1]
    if index < 0:
        return 0
    return min(index // schedule.step + 1, schedule.max_delay)


def statutory_retirement(birth: date, sex: str, original_age: int | None = None) -> Retirement:
    """The statutory retirement age and date for a birth date, a sex and the original retirement
    age (60 for men; 50 for female workers, 55 for female cadres; default by sex)."""
    if sex not in DEFAULT_ORIGINAL_AGE:
        raise RuleError("sex", "性别应为 male（男）或 female（女）")
    original = original_age if original_age is not None else DEFAULT_ORIGINAL_AGE[sex]
    schedule = SCHEDULES.get((sex, original))
    if schedule is None:
        raise RuleError("original_retirement_age", "原法定退休年龄：男职工为 60，女职工为 50（工人）或 55（干部）")
    delay = delay_months(birth.year, birth.month, schedule)
    age = schedule.original_years * 12 + delay
    day = add_months(birth, age)
    years, months = divmod(age, 12)
    text = f"{years} 岁" + (f" {months} 个月" if months else "") + f"（{day.year} 年 {day.month} 月）"
    return Retirement(age_months=age, delay_months=delay, date=day, text=text)


def full_years_between(start: date, end: date) -> int:
    """Whole years from `start` to `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    years = end.year - start.year
    if add_months(start, years * 12) > end:
        years -= 1
    return years
