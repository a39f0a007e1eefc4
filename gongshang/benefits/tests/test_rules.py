"""Benefit rules without a database: worked examples checked by hand against 《工伤保险条例》
(the arithmetic is in each test's comment) and hypothesis properties."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongshang.benefits.rules import death, disability, leave, medical, nursing, termination, wage
from gongshang.benefits.rules.calculate import CalcInput, Parameters, calculate
from gongshang.benefits.rules.death import Dependant
from gongshang.benefits.rules.items import RuleError

money = st.decimals(min_value=D("0"), max_value=D("200000"), places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("100"), max_value=D("50000"), places=2, allow_nan=False, allow_infinity=False)
dependants = st.lists(st.builds(Dependant, st.sampled_from(sorted(death.RELATIONS)), st.booleans()), max_size=12)
SD_MEDICAL = {5: 22, 6: 18, 7: 13, 8: 10, 9: 7, 10: 4}  # RULES.md, Shandong 第二十五条
DEMO_EMPLOYMENT = {5: 28, 6: 24, 7: 16, 8: 12, 9: 8, 10: 4}


# --- 本人工资 (第六十四条) ---

def test_own_wage_average_within_bounds():
    # avg 8,000: floor 4,800, cap 24,000; 12 × 5,000 → 5,000
    result = wage.own_wage([D("5000")] * 12, D("8000"))
    assert (result.amount, result.limited_by, result.floor, result.cap) == (D("5000.00"), "", D("4800.00"), D("24000.00"))


def test_own_wage_fewer_months_uses_those_there_are_and_floor():
    # (3,000 + 4,000) / 2 = 3,500 < 60% × 8,000 = 4,800 → 4,800
    result = wage.own_wage([D("3000"), D("4000")], D("8000"))
    assert result.average == D("3500.00") and result.amount == D("4800.00") and result.limited_by == "floor"


def test_own_wage_cap():
    assert wage.own_wage([D("30000")] * 12, D("8000")).amount == D("24000.00")


def test_own_wage_rounds_half_up_once():
    # (1000.00 + 1000.01 + 1000.01) / 3 = 1000.00666… → 1000.01
    assert wage.own_wage([D("1000.00"), D("1000.01"), D("1000.01")], D("1000")).average == D("1000.01")


@pytest.mark.parametrize("wages", [[], [D("1")] * 13, [D("-1")]])
def test_own_wage_refuses_bad_months(wages):
    with pytest.raises(RuleError) as exc:
        wage.own_wage(wages, D("8000"))
    assert exc.value.field == "monthly_wages"


@given(st.lists(money, min_size=1, max_size=12), positive)
def test_property_wage_used_lies_within_60_and_300_percent(wages, avg):
    result = wage.own_wage(wages, avg)
    assert wage.wage_bounds(avg)[0] <= result.amount <= wage.wage_bounds(avg)[1]
    assert result.amount == result.amount.quantize(D("0.01"))


# --- 伤残 (第三十五至三十七条) ---

def test_grade_1_worked_example():
    # 27 × 6,000 = 162,000; 90% × 6,000 = 5,400 ≥ minimum 2,200
    assert disability.one_time_disability_subsidy(1, D("6000")).amount == D("162000.00")
    allowance = disability.disability_allowance(1, D("6000"), D("2200"))
    assert (allowance.amount, allowance.payer, allowance.period) == (D("5400.00"), "fund", "monthly")
    assert "第三十五条" in allowance.basis


def test_grade_4_allowance_floored_at_minimum_wage():
    # 75% × 4,800 = 3,600 < 3,800 minimum → 3,800, the fund pays the difference
    item = disability.disability_allowance(4, D("4800"), D("3800"))
    assert item.amount == D("3800.00") and "补足差额" in item.formula


def test_grade_5_and_6_allowance_paid_by_employer():
    # 70% × 6,000 = 4,200; 60% × 6,000 = 3,600
    assert disability.disability_allowance(5, D("6000"), D("2200")).payer == "employer"
    assert disability.disability_allowance(5, D("6000"), D("2200")).amount == D("4200.00")
    assert disability.disability_allowance(6, D("6000"), D("2200")).amount == D("3600.00")
    assert disability.disability_allowance(7, D("6000"), D("2200")) is None


@pytest.mark.parametrize("grade,months", list(disability.ONE_TIME_MONTHS.items()))
def test_one_time_months_table(grade, months):
    assert disability.one_time_disability_subsidy(grade, D("1000")).amount == D(months * 1000)


@pytest.mark.parametrize("grade", [0, 11, "3", None, True])
def test_bad_grade(grade):
    with pytest.raises(RuleError) as exc:
        disability.one_time_disability_subsidy(grade, D("1000"))
    assert exc.value.field == "disability_grade"


@given(positive)
def test_property_one_time_subsidy_never_rises_with_grade_number(own):
    amounts = [disability.one_time_disability_subsidy(g, own).amount for g in range(1, 11)]
    assert amounts == sorted(amounts, reverse=True)


@given(positive, money, st.integers(1, 6))
def test_property_allowance_never_below_minimum_wage(own, minimum, grade):
    assert disability.disability_allowance(grade, own, minimum).amount >= minimum


def test_retirement_pension_difference():
    # 5,400 − 4,000 = 1,400; pension above the allowance → 0
    assert disability.allowance_after_retirement(D("5400"), D("4000")).amount == D("1400.00")
    assert disability.allowance_after_retirement(D("5400"), D("6000")).amount == D("0.00")


# --- 生活护理费 (第三十四条) ---

@pytest.mark.parametrize("level,amount", [("full", "4000.00"), ("most", "3200.00"), ("partial", "2400.00")])
def test_nursing_levels(level, amount):
    assert nursing.nursing_allowance(level, D("8000")).amount == D(amount)


def test_nursing_bad_level():
    with pytest.raises(RuleError):
        nursing.nursing_allowance("some", D("8000"))


# --- 工亡 (第三十九条) ---

def test_death_subsidy_for_a_death_in_2025():
    # RULES.md: 20 × 54,188 = 1,083,760
    assert death.one_time_death_subsidy(D("54188"), 2024).amount == D("1083760.00")
    assert death.funeral_subsidy(D("8000")).amount == D("48000.00")


def test_dependants_within_wage_not_reduced():
    # 6,000: spouse 40% = 2,400; two children 30% = 1,800 each; total 6,000 = wage, no reduction
    items = death.dependant_pensions(D("6000"), [Dependant("spouse"), Dependant("child"), Dependant("child")])
    assert [i.amount for i in items] == [D("2400.00"), D("1800.00"), D("1800.00")]
    assert "核减" not in items[0].formula


def test_dependants_over_wage_reduced_in_proportion():
    # 40 + 30 + 30 + (30+10) = 140% of 6,000 = 8,400 > 6,000: each × 6,000/8,400:
    # 1,714.2857 / 1,285.7142 / 1,285.7142 / 1,714.2857 → floors 5,999.98, the 2 fen left go to the
    # largest remainders (spouse, parent) → 1,714.29 + 1,285.71 + 1,285.71 + 1,714.29 = 6,000.00
    items = death.dependant_pensions(D("6000"), [Dependant("spouse"), Dependant("child"), Dependant("child"),
                                                 Dependant("parent", True)])
    assert [i.amount for i in items] == [D("1714.29"), D("1285.71"), D("1285.71"), D("1714.29")]
    assert sum(i.amount for i in items) == D("6000.00")


@given(positive, dependants)
def test_property_dependants_total_never_exceeds_wage(own, people):
    items = death.dependant_pensions(own, people)
    assert sum((i.amount for i in items), D(0)) <= own.quantize(D("0.01"))
    assert len(items) == len(people)


@given(positive, dependants.filter(lambda p: len(p) >= 3))
def test_property_reduced_total_equals_wage(own, people):
    rates = sum((death.dependant_rate(p) for p in people), D(0))
    items = death.dependant_pensions(own, people)
    if rates > 1:
        assert sum(i.amount for i in items) == own.quantize(D("0.01"))


# --- 终止劳动关系 (第三十六、三十七条) ---

def test_grade_7_termination_subsidies():
    # 13 × 8,000 = 104,000 (fund); 16 × 8,000 = 128,000 (employer); 职业病 × 150% = 156,000
    med = termination.one_time_medical_subsidy(7, D("8000"), SD_MEDICAL)
    emp = termination.one_time_employment_subsidy(7, D("8000"), DEMO_EMPLOYMENT)
    assert (med.amount, med.payer, emp.amount, emp.payer) == (D("104000.00"), "fund", D("128000.00"), "employer")
    assert termination.one_time_medical_subsidy(7, D("8000"), SD_MEDICAL, occupational_disease=True,
                                               disease_bonus=D("50")).amount == D("156000.00")
    assert termination.one_time_medical_subsidy(7, D("8000"), SD_MEDICAL, retired=True) is None
    assert termination.one_time_medical_subsidy(4, D("8000"), SD_MEDICAL) is None


def test_termination_missing_table_names_the_parameter():
    with pytest.raises(RuleError) as exc:
        termination.one_time_medical_subsidy(7, D("8000"), {})
    assert exc.value.field == "parameters.medical_subsidy_months"


@given(positive)
def test_property_medical_subsidy_never_rises_with_grade_number(avg):
    amounts = [termination.one_time_medical_subsidy(g, avg, SD_MEDICAL).amount for g in range(5, 11)]
    assert amounts == sorted(amounts, reverse=True)


# --- 停工留薪期 (第三十三条), 医疗 (第三十条) ---

def test_leave_period_and_extension():
    assert leave.leave_period(date(2026, 1, 31), 12).end == date(2027, 1, 30)
    assert leave.leave_period(date(2026, 3, 1), 6, extension_months=6, extension_confirmed=True).end == date(2027, 2, 28)
    with pytest.raises(RuleError):
        leave.leave_period(date(2026, 3, 1), 13)
    with pytest.raises(RuleError):
        leave.leave_period(date(2026, 3, 1), 12, extension_months=3)
    with pytest.raises(RuleError):
        leave.leave_period(date(2026, 3, 1), 12, extension_months=13, extension_confirmed=True)
    assert leave.leave_pay(D("5000")).payer == "employer"


def test_meal_and_travel():
    # 30 × 10 = 300; 120.50 + 120.50 + 200 × 3 = 841
    assert medical.hospital_meal_allowance(10, D("30")).amount == D("300.00")
    assert medical.referral_travel_costs([D("120.50"), D("120.50")], 3, D("200")).amount == D("841.00")


# --- the whole calculation ---

PARAMS = Parameters(avg_monthly_wage=D("8000"), min_wage=D("2200"), national_disposable_income=D("54188"),
                    national_income_year=2024, medical_subsidy_months=SD_MEDICAL,
                    employment_subsidy_months=DEMO_EMPLOYMENT)


def test_calculate_grade_3_with_nursing():
    data = CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=3, nursing_level="most",
                     monthly_wages=[D("6000")] * 12)
    result = calculate(data, PARAMS)
    assert {i.code: i.amount for i in result.items} == {
        "one_time_disability_subsidy": D("138000.00"),  # 23 × 6,000
        "disability_allowance": D("4800.00"),  # 80% × 6,000
        "nursing_allowance": D("3200.00"),  # 40% × 8,000
    }


def test_calculate_grade_6_terminating_has_no_allowance():
    data = CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=6, own_wage=D("6000"),
                     terminate_employment=True)
    codes = [i.code for i in calculate(data, PARAMS).items]
    assert codes == ["one_time_disability_subsidy", "one_time_medical_subsidy", "one_time_employment_subsidy"]


def test_calculate_death_and_grade_1_4_death_after_leave():
    data = CalcInput(injury_date=date(2025, 6, 1), kind="death", own_wage=D("6000"),
                     dependants=[Dependant("spouse")])
    assert [i.code for i in calculate(data, PARAMS).items] == ["funeral_subsidy", "dependant_pension",
                                                               "one_time_death_subsidy"]
    later = CalcInput(injury_date=date(2025, 6, 1), kind="death", own_wage=D("6000"), disability_grade=2)
    assert [i.code for i in calculate(later, PARAMS).items] == ["funeral_subsidy"]
    with pytest.raises(RuleError):
        calculate(CalcInput(injury_date=date(2025, 6, 1), kind="death", own_wage=D("1"), disability_grade=7), PARAMS)


def test_calculate_needs_wages():
    with pytest.raises(RuleError) as exc:
        calculate(CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=1), PARAMS)
    assert exc.value.field == "monthly_wages"


# --- 停工留薪期 in the calculator (第三十三条) ---
def test_calculate_leave_pay_months_and_employer():
    # Injury 2025-06-01, 停工留薪期 6 months + 3 confirmed: 2025-06-01 to 2026-02-28, 9 months of the
    # original wage 7,000 (stated), paid monthly by the employer.
    params = Parameters(avg_monthly_wage=D("8000"), min_wage=D("2200"))
    result = calculate(CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=9, own_wage=D("6000"),
                                 leave_months=6, leave_extension_months=3, leave_extension_confirmed=True,
                                 original_wage=D("7000")), params)
    item = result.items[0]
    assert (item.code, item.amount, item.period, item.payer, item.months) == (
        "leave_pay", D("7000.00"), "monthly", "employer", 9)
    assert "2025-06-01 至 2026-02-28，共 9 个月，合计 63,000.00 元" in item.formula
    assert "第三十三条" in item.basis and "2010年修订" in item.basis


def test_calculate_leave_pay_defaults_to_the_actual_wage_and_2003_article():
    params = Parameters(avg_monthly_wage=D("3000"), min_wage=D("900"))
    result = calculate(CalcInput(injury_date=date(2009, 3, 1), kind="disability", disability_grade=10,
                                 monthly_wages=[D("1500")] * 12, leave_months=2), params)
    item = result.items[0]
    assert item.amount == D("1500.00")  # the wage earned, not the floored 本人工资 1,800
    assert "原工资按受伤前平均工资 1,500.00" in item.formula and "（2003年，国务院令第375号）第三十一条" in item.basis


def test_calculate_leave_extension_needs_confirmation():
    params = Parameters(avg_monthly_wage=D("8000"), min_wage=D("2200"))
    with pytest.raises(RuleError) as caught:
        calculate(CalcInput(injury_date=date(2025, 6, 1), kind="disability", disability_grade=9, own_wage=D("6000"),
                            leave_months=12, leave_extension_months=3), params)
    assert caught.value.field == "extension_months"
