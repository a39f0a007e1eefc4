"""Near-retirement reductions (rules/regional.py) against the words of each provincial text, worked
by hand. The Zhejiang text counts 周岁: 《浙江省工伤保险条例》（2020 修正）第二十七条第二款 “职工离法定
退休年龄不足五年的，一次性伤残就业补助金按照职工每增加一周岁递减百分之二十的标准支付”: from the day
five years remain, each birthday (一周岁 gained) takes 20 % off. Henan counts the years left:
《河南省工伤保险条例》（2007）第二十七条第二款 “距正常退休年龄不足五年的，每减少一年…递减百分之二十；
距正常退休年龄不足一年的按百分之十支付” (4 years and some → 80 % … 1 year and some → 20 %, under one
year → 10 %). The average wages are test figures."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.rules import provincial, termination
from gongshang.benefits.rules.calculate import CalcInput, Parameters, calculate
from gongshang.benefits.rules.items import RuleError
from gongshang.benefits.rules.regional import reduction_for


def _params(region: str, on: date) -> Parameters:
    table = provincial.table_in_force(region, on)
    standard = termination.Standard(base=table.base, cite=table.citation.cite(table.months_article))
    return Parameters(avg_monthly_wage=D("8000"), min_wage=D("2200"), termination_avg_wage=D("9000"),
                      medical_subsidy_months=table.medical_months, employment_subsidy_months=table.employment_months,
                      occupational_disease_bonus=table.disease_bonus, retirement_reduction=table.reduction,
                      medical_standard=standard, employment_standard=standard)


def _employment(region: str, birth: date, on: date):
    result = calculate(CalcInput(injury_date=date(2019, 1, 10), kind="disability", disability_grade=7,
                                 own_wage=D("6000"), terminate_employment=True, termination_date=on,
                                 birth_date=birth, sex="male"), _params(region, on))
    return next((i for i in result.items if i.code == "one_time_employment_subsidy"), None)


# Zhejiang, 七级 10 个月 × 9,000 = 90,000 in full. A man born 1964-07-01 retires at 60 on
# 2024-07-01 (born before 1965: no delay); five years remain from 2019-07-01 (55 周岁).
@pytest.mark.parametrize(("on", "age", "percent", "amount"), [
    (date(2019, 7, 1), "55 岁整，还有 5 年", 100, "90000.00"),  # not yet 不足五年
    (date(2020, 1, 1), "55 周岁 6 个月", 100, "90000.00"),  # no 周岁 gained yet
    (date(2020, 7, 1), "56 周岁", 80, "72000.00"),
    (date(2021, 1, 1), "56 周岁 6 个月", 80, "72000.00"),  # whole years left (3) would pay 60 %
    (date(2023, 7, 1), "59 周岁", 20, "18000.00"),
    (date(2024, 1, 1), "59 周岁 6 个月", 20, "18000.00"),  # whole years left (0) would pay 0 %
    (date(2024, 6, 30), "59 周岁 11 个月", 20, "18000.00"),
])
def test_zhejiang_counts_the_years_of_age_gained(on, age, percent, amount):
    item = _employment("330100", date(1964, 7, 1), on)
    assert item.amount == D(amount), age
    if percent < 100:
        assert f"× {percent}%（" in item.formula
        assert "周岁" in item.formula and "每增加一周岁递减百分之二十" in item.formula


def test_zhejiang_with_a_delayed_retirement_age():
    """A man born 1966-03-15 retires at 60 岁 4 个月 on 2026-07-15; five years remain from
    2021-07-15 (55 周岁 4 个月). 2021-08-20 (still 55 周岁) → 100 %; 2022-03-15 (56 周岁, one 周岁
    gained) → 80 % = 72,000.00; 2026-01-15 (59 周岁, four gained) → 20 % = 18,000.00."""
    born = date(1966, 3, 15)
    assert _employment("330100", born, date(2021, 8, 20)).amount == D("90000.00")
    assert _employment("330100", born, date(2022, 3, 15)).amount == D("72000.00")
    last = _employment("330100", born, date(2026, 1, 15))
    assert last.amount == D("18000.00")
    assert "解除或终止劳动关系时 59 周岁" in last.formula and "增加 4 周岁" in last.formula


# Henan, 七级 36 个月 × 9,000 = 324,000 in full (base here a test figure); same man, 60 on 2024-07-01.
@pytest.mark.parametrize(("on", "percent"), [
    (date(2019, 7, 1), 100), (date(2019, 7, 2), 80), (date(2020, 7, 1), 80), (date(2021, 1, 1), 60),
    (date(2023, 7, 1), 20), (date(2023, 7, 2), 10), (date(2024, 6, 30), 10)])
def test_henan_counts_the_whole_years_left(on, percent):
    item = _employment("410100", date(1964, 7, 1), on)
    assert item.amount == D("324000") * percent / 100
    if percent < 100:
        assert "整年" in item.formula


def test_at_and_after_retirement_nothing_in_either_province():
    for region in ("330100", "410100"):
        assert _employment(region, date(1964, 7, 1), date(2024, 7, 1)) is None
        assert _employment(region, date(1964, 7, 1), date(2024, 7, 2)) is None


@pytest.mark.parametrize("items", [[], "one_time_employment_subsidy", ["x"]], ids=["empty", "text", "unknown"])
def test_request_rule_applies_to_must_name_an_item(items):
    """An empty `applies_to` was taken as "both": a caller who meant "reduce nothing" got both
    subsidies reduced without a word. It must name one or both items."""
    with pytest.raises(RuleError) as caught:
        reduction_for("420100", {"years": 5, "step_percent": 20, "applies_to": items})
    assert caught.value.field == "parameters.retirement_reduction"
    assert "一次性伤残就业补助金" in caught.value.message


def test_request_rule_without_applies_to_reduces_both():
    assert reduction_for("420100", {"years": 5, "step_percent": 20}).applies_to == {
        "one_time_medical_subsidy", "one_time_employment_subsidy"}
