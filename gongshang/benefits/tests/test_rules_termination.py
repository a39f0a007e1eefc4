"""Termination subsidies near and after the statutory retirement age (条例 第三十六条第二款、
第三十七条第（二）项; retirement date: rules/retirement.py; reduction: a regional rule,
rules/regional.py). Worked by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.rules.calculate import CalcInput, Parameters, calculate
from gongshang.benefits.rules.items import RuleError
from gongshang.benefits.rules.regional import NearRetirementReduction, reduction_for

MEDICAL = {5: 22, 6: 18, 7: 13, 8: 10, 9: 7, 10: 4}
EMPLOYMENT = {5: 36, 6: 30, 7: 20, 8: 16, 9: 12, 10: 8}  # a table given as a parameter
RULE = NearRetirementReduction(5, D(20), "本省实施办法（测试）", confirmed=True)
PARAMS = Parameters(avg_monthly_wage=D("8000"), min_wage=D("2200"), medical_subsidy_months=MEDICAL,
                    employment_subsidy_months=EMPLOYMENT, retirement_reduction=RULE)


def calc(birth, termination, **kw):
    return calculate(CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=7, own_wage=D("6000"),
                               terminate_employment=True, termination_date=termination, birth_date=birth, sex="male",
                               **kw), PARAMS)


def amounts(result):
    return {i.code: i.amount for i in result.items}


def test_three_years_from_retirement_paid_at_60_percent():
    # Born 1968-03-10 (man): month 38 of the schedule from 1965-01 → 38 // 4 + 1 = 10 months' delay
    # → 60 岁 10 个月, reached 2029-01-10. Termination 2026-01-10: 3 whole years left → 5 − 3 = 2 years short → 100 % − 2 × 20 % = 60 %.
    # 医疗 13 × 8,000 × 60 % = 62,400; 就业 20 × 8,000 × 60 % = 96,000.
    result = calc(date(1968, 3, 10), date(2026, 1, 10))
    assert result.retirement.date == date(2029, 1, 10)
    got = amounts(result)
    assert got["one_time_medical_subsidy"] == D("62400.00")
    assert got["one_time_employment_subsidy"] == D("96000.00")
    assert "× 60%（距法定退休年龄 60 岁 10 个月（2029 年 1 月） 还有 3 整年" in result.items[-1].formula
    assert got["one_time_disability_subsidy"] == D("78000.00")  # 13 × 6,000, never reduced


def test_five_years_or_more_paid_in_full():
    got = amounts(calc(date(1968, 3, 10), date(2024, 1, 10)))  # 5 whole years left
    assert got["one_time_medical_subsidy"] == D("104000.00")  # 13 × 8,000
    assert got["one_time_employment_subsidy"] == D("160000.00")  # 20 × 8,000


def test_after_retirement_age_not_paid():
    result = calc(date(1964, 5, 1), date(2025, 6, 1))  # 60 on 2024-05-01
    assert set(amounts(result)) == {"one_time_disability_subsidy"}
    assert "已达到法定退休年龄" in result.notes[0]


def test_without_birth_date_full_with_a_note():
    result = calculate(CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=7,
                                 own_wage=D("6000"), terminate_employment=True), PARAMS)
    assert amounts(result)["one_time_medical_subsidy"] == D("104000.00")
    assert "未填写出生日期和性别" in result.notes[0]


def test_birth_date_needs_sex():
    with pytest.raises(RuleError) as caught:
        calculate(CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=7, own_wage=D("6000"),
                            terminate_employment=True, birth_date=date(1968, 3, 10)), PARAMS)
    assert caught.value.field == "sex"


@pytest.mark.parametrize(("years", "percent"), [(6, 100), (5, 100), (4, 80), (3, 60), (1, 20), (0, 0)])
def test_reduction_percent(years, percent):
    assert RULE.percent(years) == D(percent)


def test_reduction_is_regional():
    assert reduction_for("370200").years == 5 and reduction_for("370200").confirmed is False
    assert reduction_for("420100") is None
    assert reduction_for("420100", {"years": 5, "step_percent": 20}).step_percent == D(20)
    with pytest.raises(RuleError):
        reduction_for("420100", {"years": "x"})
