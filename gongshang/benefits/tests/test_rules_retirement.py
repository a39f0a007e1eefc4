"""法定退休年龄 under the 2024 decision of the NPC Standing Committee (in force 2025-01-01) and the
附件 《国务院关于渐进式延迟法定退休年龄的办法》: each case below is a row of the 附件 对照表
(出生时间 → 改革后法定退休年龄 / 改革后退休时间), worked by hand from the schedule:
men from 1965-01 +1 month per 4 months of birth up to 63; women 55 from 1970-01 +1 per 4 up to 58;
women 50 from 1975-01 +1 per 2 up to 55. Decision: https://www.npc.gov.cn/npc/c2/kgfb/202409/t20240913_439534.html
and https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm (addresses as recorded by a third-party
rule file whose sample rows agree with these; not fetched here)."""

from datetime import date

import pytest

from gongshang.benefits.rules.items import RuleError
from gongshang.benefits.rules.retirement import full_years_between, statutory_retirement

ROWS = [
    # (birth, sex, original age, statutory age in months, retirement year-month)
    (date(1964, 12, 15), "male", 60, 60 * 12, (2024, 12)),  # before the schedule: unchanged
    (date(1965, 1, 1), "male", 60, 60 * 12 + 1, (2025, 2)),  # 1965年1月-4月: 60岁1个月, 2025年2月-5月
    (date(1965, 4, 1), "male", 60, 60 * 12 + 1, (2025, 5)),
    (date(1965, 5, 1), "male", 60, 60 * 12 + 2, (2025, 7)),  # 1965年5月-8月: 60岁2个月, 2025年7月-10月
    (date(1970, 5, 1), "male", 60, 61 * 12 + 5, (2031, 10)),  # 61岁5个月
    (date(1976, 9, 1), "male", 60, 63 * 12, (2039, 9)),  # 1976年9月-12月: 63岁
    (date(1976, 12, 1), "male", 60, 63 * 12, (2039, 12)),
    (date(1980, 1, 1), "male", 60, 63 * 12, (2043, 1)),  # after the schedule: 63
    (date(1970, 1, 1), "female", 55, 55 * 12 + 1, (2025, 2)),  # 1970年1月-4月: 55岁1个月
    (date(1981, 9, 1), "female", 55, 58 * 12, (2039, 9)),  # 1981年9月-12月: 58岁
    (date(1981, 12, 1), "female", 55, 58 * 12, (2039, 12)),
    (date(1975, 1, 1), "female", 50, 50 * 12 + 1, (2025, 2)),  # 1975年1月-2月: 50岁1个月
    (date(1975, 3, 1), "female", 50, 50 * 12 + 2, (2025, 5)),  # 1975年3月-4月: 50岁2个月
    (date(1984, 11, 1), "female", 50, 55 * 12, (2039, 11)),  # 1984年11月-12月: 55岁
    (date(1984, 12, 1), "female", 50, 55 * 12, (2039, 12)),
    (date(1974, 12, 1), "female", 50, 50 * 12, (2024, 12)),
]


@pytest.mark.parametrize(("birth", "sex", "original", "age", "month"), ROWS)
def test_schedule_rows(birth, sex, original, age, month):
    got = statutory_retirement(birth, sex, original)
    assert got.age_months == age
    assert (got.date.year, got.date.month) == month


def test_default_original_age_by_sex_and_text():
    assert statutory_retirement(date(1975, 1, 20), "female").text == "50 岁 1 个月（2025 年 2 月）"
    got = statutory_retirement(date(1965, 1, 31), "male")
    assert got.date == date(2025, 2, 28)  # the day of birth, or the month's last day


def test_bad_inputs():
    with pytest.raises(RuleError):
        statutory_retirement(date(1970, 1, 1), "x")
    with pytest.raises(RuleError) as caught:
        statutory_retirement(date(1970, 1, 1), "male", 55)
    assert caught.value.field == "original_retirement_age"


def test_full_years_between():
    assert full_years_between(date(2026, 3, 2), date(2029, 3, 2)) == 3
    assert full_years_between(date(2026, 3, 2), date(2029, 3, 1)) == 2
    assert full_years_between(date(2026, 3, 2), date(2026, 1, 1)) == 0
