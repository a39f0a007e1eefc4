"""The version of 《工伤保险条例》 chosen by the date (rules/regimes.py), worked by hand:

- 2003 version (国务院令第375号, in force 2004-01-01 to 2010-12-31): 第三十三至三十五条
  一次性伤残补助金 24/22/20/18/16/14/12/10/8/6 months; 第三十七条 一次性工亡补助金 48-60 months of
  the 统筹地区上年度职工月平均工资 (the number set by the 统筹地区人民政府).
- 2010 version (国务院令第586号, from 2011-01-01): 27/25/23/21/18/16/13/11/9/7 months; 第三十九条
  20 × the previous year's national urban per-capita disposable income.
- Before 2004-01-01: refused, naming 《企业职工工伤保险试行办法》（劳部发〔1996〕266号）."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.rules import regimes
from gongshang.benefits.rules.calculate import CalcInput, Parameters, calculate
from gongshang.benefits.rules.death import Dependant
from gongshang.benefits.rules.items import RuleError

PARAMS = Parameters(avg_monthly_wage=D("3000"), min_wage=D("900"), national_disposable_income=D("19109"),
                    national_income_year=2010)


@pytest.mark.parametrize(("day", "code"), [(date(2004, 1, 1), "2003"), (date(2010, 12, 31), "2003"),
                                           (date(2011, 1, 1), "2010"), (date(2026, 3, 2), "2010")])
def test_regime_by_date(day, code):
    assert regimes.regime_on(day).code == code


def test_before_2004_refused_naming_the_rule():
    with pytest.raises(RuleError) as caught:
        regimes.regime_on(date(2003, 12, 31))
    assert caught.value.field == "injury_date"
    assert "《企业职工工伤保险试行办法》（劳部发〔1996〕266号）" in caught.value.message


@pytest.mark.parametrize(("grade", "months_2003", "months_2010"),
                         [(1, 24, 27), (2, 22, 25), (3, 20, 23), (4, 18, 21), (5, 16, 18), (6, 14, 16), (7, 12, 13),
                          (8, 10, 11), (9, 8, 9), (10, 6, 7)])
def test_month_tables(grade, months_2003, months_2010):
    assert regimes.REGIMES["2003"].one_time_months[grade] == months_2003
    assert regimes.REGIMES["2010"].one_time_months[grade] == months_2010


def test_2010_injury_grade_7_gets_12_months_of_the_2003_version():
    # Injury 2010-06-01, 本人工资 4,000 (within 60 %-300 % of 3,000): 七级 12 × 4,000 = 48,000
    # (2003 第三十五条), not 13 months (2010 第三十七条).
    result = calculate(CalcInput(injury_date=date(2010, 6, 1), kind="disability", disability_grade=7,
                                 own_wage=D("4000")), PARAMS)
    item = result.items[0]
    assert item.amount == D("48000.00")
    assert item.basis.startswith("《工伤保险条例》（2003年，国务院令第375号）第三十五条")
    assert result.regime.code == "2003"


def test_2011_injury_grade_7_gets_13_months():
    result = calculate(CalcInput(injury_date=date(2011, 1, 1), kind="disability", disability_grade=7,
                                 own_wage=D("4000")), PARAMS)
    assert result.items[0].amount == D("52000.00")  # 13 × 4,000
    assert "（2010年修订，国务院令第586号）第三十七条" in result.items[0].basis


def test_2003_grades_1_to_4_allowance_article_33():
    # 一级: 24 × 4,000 = 96,000; 伤残津贴 90 % × 4,000 = 3,600 (2003 第三十三条).
    result = calculate(CalcInput(injury_date=date(2008, 5, 12), kind="disability", disability_grade=1,
                                 own_wage=D("4000")), PARAMS)
    amounts = {i.code: i.amount for i in result.items}
    assert amounts == {"one_time_disability_subsidy": D("96000.00"), "disability_allowance": D("3600.00")}
    assert all("第三十三条" in i.basis and "2003年" in i.basis for i in result.items)


def test_2010_death_gets_months_of_the_regional_average():
    # Death 2010-08-20; 统筹区 average 3,000; the 统筹地区 set 50 months: 50 × 3,000 = 150,000
    # (2003 第三十七条第一款第（三）项), not 20 × national income. Funeral 6 × 3,000 = 18,000.
    params = Parameters(avg_monthly_wage=D("3000"), min_wage=D("1"), death_subsidy_months=D("50"))
    result = calculate(CalcInput(injury_date=date(2010, 8, 20), kind="death", own_wage=D("3000")), params)
    amounts = {i.code: i.amount for i in result.items}
    assert amounts == {"funeral_subsidy": D("18000.00"), "one_time_death_subsidy": D("150000.00")}
    subsidy = result.items[-1]
    assert "（2003年，国务院令第375号）第三十七条" in subsidy.basis and "48 个月至 60 个月" in subsidy.basis
    assert subsidy.formula == "3,000.00 × 50 个月"


def test_2010_death_without_the_months_names_the_parameter():
    params = Parameters(avg_monthly_wage=D("3000"), min_wage=D("1"))
    with pytest.raises(RuleError) as caught:
        calculate(CalcInput(injury_date=date(2010, 8, 20), kind="death", own_wage=D("3000")), params)
    assert caught.value.field == "parameters.death_subsidy_months"


@pytest.mark.parametrize("months", [D("47"), D("61")])
def test_2010_death_months_outside_48_60_refused(months):
    params = Parameters(avg_monthly_wage=D("3000"), min_wage=D("1"), death_subsidy_months=months)
    with pytest.raises(RuleError):
        calculate(CalcInput(injury_date=date(2010, 8, 20), kind="death", own_wage=D("3000")), params)


def test_death_version_follows_the_death_date_not_the_injury():
    # Injured 2010-11-01, died 2011-02-01: the 2010 version (20 × 19,109 = 382,180).
    result = calculate(CalcInput(injury_date=date(2010, 11, 1), death_date=date(2011, 2, 1), kind="death",
                                 own_wage=D("3000"), dependants=[Dependant("spouse")]), PARAMS)
    amounts = {i.code: i.amount for i in result.items}
    assert amounts["one_time_death_subsidy"] == D("382180.00")
    assert result.regime.code == "2010" and result.wage_regime.code == "2003"


def test_death_before_2004_refused():
    with pytest.raises(RuleError) as caught:
        calculate(CalcInput(injury_date=date(2003, 6, 1), kind="death", own_wage=D("3000")), PARAMS)
    assert "劳部发〔1996〕266号" in caught.value.message


def test_2003_nursing_cites_article_32():
    # 生活完全不能自理: 50 % × 3,000 = 1,500 (2003 第三十二条, same rates as 2010 第三十四条).
    result = calculate(CalcInput(injury_date=date(2008, 5, 12), kind="disability", disability_grade=1,
                                 nursing_level="full", own_wage=D("4000")), PARAMS)
    nursing = next(i for i in result.items if i.code == "nursing_allowance")
    assert nursing.amount == D("1500.00")
    assert nursing.basis.startswith("《工伤保险条例》（2003年，国务院令第375号）第三十二条")


def test_refusal_mentions_article_67_for_late_recognition():
    with pytest.raises(RuleError) as caught:
        regimes.regime_on(date(2002, 1, 1))
    assert "第六十七条" in caught.value.message
