"""Termination subsidies near and after the statutory retirement age (条例 第三十六条第二款、
第三十七条第（二）项; retirement date: rules/retirement.py; reduction: a regional rule,
rules/regional.py). Worked by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.rules import provincial, termination
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


# Provincial tables read from the official texts (rules/provincial.py). The average wages below
# are test figures, not any region's published value.

def provincial_params(region: str, on: date, avg: str, **kw) -> Parameters:
    table = provincial.table_in_force(region, on)
    standard = termination.Standard(base=table.base, cite=table.citation.cite(table.months_article))
    return Parameters(avg_monthly_wage=D("8000"), min_wage=D("2200"), termination_avg_wage=D(avg),
                      medical_subsidy_months=table.medical_months, employment_subsidy_months=table.employment_months,
                      occupational_disease_bonus=table.disease_bonus, retirement_reduction=table.reduction,
                      medical_standard=standard, employment_standard=standard, **kw)


@pytest.mark.parametrize(("years", "henan"), [(6, 100), (5, 100), (4, 80), (3, 60), (2, 40), (1, 20), (0, 10)])
def test_provincial_reduction_by_whole_years_left(years, henan):
    """《河南省工伤保险条例》第二十七条第二款 (2007): 五年以上全额；不足五年每减少一年递减 20%；不足一年按 10%.
    Zhejiang counts 周岁 gained instead (test_rules_regional.py)."""
    assert provincial.table_in_force("410100", date(2025, 6, 30)).reduction.percent(years) == D(henan)
    assert provincial.table_in_force("330100", date(2025, 6, 30)).reduction.by_age is True


def test_provincial_tables_in_force_by_date():
    """Zhejiang: 第四十条, in force 2018-01-01; Henan: 第四十七条, in force 2007-10-01. Before those
    dates there is no table; other provinces have none. Henan 第二十九条 (54 months) only for deaths
    2007-10-01 … 2010-12-31 (from 2011 the 2010 条例 第三十九条 applies)."""
    assert provincial.table_in_force("330100", date(2017, 12, 31)) is None
    assert provincial.table_in_force("330100", date(2018, 1, 1)).name == "浙江省"
    assert provincial.table_in_force("410100", date(2007, 9, 30)) is None
    assert provincial.table_in_force("411300", date(2007, 10, 1)).name == "河南省"
    assert provincial.table_in_force("420100", date(2025, 6, 30)) is None
    assert provincial.death_months_in_force("410100", date(2010, 12, 31)).months == D(54)
    assert provincial.death_months_in_force("410100", date(2011, 1, 1)) is None
    assert provincial.death_months_in_force("410100", date(2007, 9, 30)) is None
    zhejiang = provincial.table_in_force("330100", date(2025, 6, 30))
    assert zhejiang.citation.document.commit == "2f4c5c23716267af9dbebbbbd6cbbf732b101981"
    assert zhejiang.base == termination.PROVINCE and zhejiang.disease_bonus is None


def test_henan_three_years_left_reduces_the_employment_subsidy_only():
    """《河南省工伤保险条例》（2007-05-31 通过，2007-10-01 施行）第二十七条: 七级 医疗 12、就业 36 个月 × 统筹地区上年度职工月平均工资 (test figure 7,000);
    born 1968-03-10 (man) → retires 2029-01-10; termination 2025-06-30 → 3 whole years left → the
    employment subsidy at 60 %: 36 × 7,000 × 60 % = 151,200; medical in full 12 × 7,000 = 84,000."""
    result = calculate(CalcInput(injury_date=date(2025, 1, 10), kind="disability", disability_grade=7,
                                 own_wage=D("6000"), terminate_employment=True, termination_date=date(2025, 6, 30),
                                 birth_date=date(1968, 3, 10), sex="male"),
                       provincial_params("410100", date(2025, 6, 30), "7000"))
    got = amounts(result)
    assert got["one_time_medical_subsidy"] == D("84000.00")
    assert got["one_time_employment_subsidy"] == D("151200.00")
    employment = next(i for i in result.items if i.code == "one_time_employment_subsidy")
    assert employment.formula.startswith("统筹地区上年度职工月平均工资 7,000.00 × 36 个月 × 60%（")
    assert "《河南省工伤保险条例》第二十七条第二款：距正常退休年龄不足五年的" in employment.formula
    assert "《河南省工伤保险条例》第二十七条第一款：七级 36 个月" in employment.basis


def test_zhejiang_base_is_the_province_average_and_no_disease_supplement():
    """《浙江省工伤保险条例》（2017-09-30 通过，2020-09-24 修正，2018-01-01 施行）第二十七条第二款: 五级 30 个月 each, base 上年度全省职工月平均工资 (test figure 9,000):
    30 × 9,000 = 270,000 each; the text sets no occupational-disease supplement; born 1967-03-10
    (man) → retires 2027-10-10; termination 2025-06-30 at 58 周岁, 3 周岁 gained since five years
    remained (2022-10-10, 55 周岁) → employment at 40 %: 108,000; medical in full."""
    result = calculate(CalcInput(injury_date=date(2025, 1, 10), kind="disability", disability_grade=5,
                                 own_wage=D("5000"), terminate_employment=True, termination_date=date(2025, 6, 30),
                                 occupational_disease=True, birth_date=date(1967, 3, 10), sex="male"),
                       provincial_params("330100", date(2025, 6, 30), "9000"))
    got = amounts(result)
    assert got["one_time_medical_subsidy"] == D("270000.00")
    assert got["one_time_employment_subsidy"] == D("108000.00")
    medical = next(i for i in result.items if i.code == "one_time_medical_subsidy")
    assert medical.formula == "上年度全省职工月平均工资 9,000.00 × 30 个月"


def _henan_termination(injury: date, termination: date):
    return calculate(CalcInput(injury_date=injury, kind="disability", disability_grade=7, own_wage=D("6000"),
                               terminate_employment=True, termination_date=termination),
                     provincial_params("410100", termination, "7000"))


def test_termination_under_the_2003_version_the_employer_pays_both():
    """Injury 2008-05-01, employment ended 2009-06-30: the 2003 条例 is in force at the termination,
    and its 第三十五条 has the employer (用人单位) pay 一次性工伤医疗补助金 and 伤残就业补助金 (the fund
    pays the medical subsidy only from the 2010 revision, 国务院令第586号). Amounts by 《河南省工伤保险条例》
    第二十七条第一款: 12 × 7,000 = 84,000, 36 × 7,000 = 252,000; 一次性伤残补助金 2003 七级 12 × 6,000."""
    result = _henan_termination(date(2008, 5, 1), date(2009, 6, 30))
    items = {i.code: i for i in result.items}
    assert items["one_time_disability_subsidy"].amount == D("72000.00")
    medical = items["one_time_medical_subsidy"]
    assert medical.amount == D("84000.00") and medical.payer == termination.EMPLOYER
    assert medical.basis.startswith("《工伤保险条例》（2003年，国务院令第375号）第三十五条：")
    assert "由用人单位支付一次性工伤医疗补助金和伤残就业补助金" in medical.basis
    assert "工伤保险基金" not in medical.basis.split("（2011")[0]
    assert items["one_time_employment_subsidy"].payer == termination.EMPLOYER


def test_termination_after_2010_follows_the_2010_version_whatever_the_injury_date():
    """Injury 2008-05-01 (一次性伤残补助金 by the 2003 version: 12 months), employment ended
    2012-06-30: the termination subsidies follow the version in force when the employment ends —
    2010 第三十七条: the fund pays 一次性工伤医疗补助金, the employer 一次性伤残就业补助金."""
    result = _henan_termination(date(2008, 5, 1), date(2012, 6, 30))
    items = {i.code: i for i in result.items}
    assert items["one_time_disability_subsidy"].basis.startswith("《工伤保险条例》（2003年，国务院令第375号）第三十五条")
    medical = items["one_time_medical_subsidy"]
    assert medical.payer == termination.FUND
    assert medical.basis.startswith("《工伤保险条例》（2010年修订，国务院令第586号）第三十七条：")
    assert items["one_time_employment_subsidy"].payer == termination.EMPLOYER
    assert any("2010年修订" in n and "解除或终止劳动关系" in n for n in result.notes)
