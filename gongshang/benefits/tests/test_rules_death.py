"""供养亲属抚恤金 capped at 因工死亡职工生前的工资 (条例 第三十九条第一款第（二）项), worked by hand."""

from datetime import date
from decimal import Decimal as D

from gongshang.benefits.rules import death
from gongshang.benefits.rules.calculate import CalcInput, Parameters, calculate
from gongshang.benefits.rules.death import Dependant


def test_cap_is_the_actual_wage_not_the_floored_base():
    # Actual wage 2,000; 统筹区 average 5,000 → 本人工资 floored at 60 % = 3,000 (第六十四条).
    # Spouse 40 % + two children 30 % = 100 % of 3,000 = 3,000 > 2,000 earned → reduced in
    # proportion to 2,000: 800 + 600 + 600.
    params = Parameters(avg_monthly_wage=D("5000"), min_wage=D("1"), national_disposable_income=D("54188"),
                        national_income_year=2024)
    result = calculate(CalcInput(injury_date=date(2025, 3, 10), kind="death", monthly_wages=[D("2000")] * 12,
                                 dependants=[Dependant("spouse"), Dependant("child"), Dependant("child")]), params)
    pensions = [i for i in result.items if i.code == "dependant_pension"]
    assert [p.amount for p in pensions] == [D("800.00"), D("600.00"), D("600.00")]
    assert result.own_wage.amount == D("3000.00")
    formula = pensions[0].formula
    assert formula.startswith("3,000.00 × 40%")  # the pension base stays the 本人工资
    assert "本人工资 3,000.00 = 3,000.00" in formula and "超过因工死亡职工生前的工资 2,000.00" in formula


def test_no_cap_needed_when_the_wage_is_not_floored():
    items = death.dependant_pensions(D("6000"), [Dependant("spouse"), Dependant("child")], actual_wage=D("6000"))
    assert [i.amount for i in items] == [D("2400.00"), D("1800.00")]
    assert "核减" not in items[0].formula and "舍入" not in items[0].formula


def test_exactly_100_percent_trimmed_as_a_rounding_adjustment():
    # 1,000.05 × 40 % = 400.02; × 30 % = 300.015 → 300.02 (half-up) each: 1,000.06, one fen over the
    # wage although the rates add up to exactly 100 %: a rounding adjustment, largest remainder.
    items = death.dependant_pensions(D("1000.05"), [Dependant("spouse"), Dependant("child"), Dependant("parent")])
    assert sum(i.amount for i in items) == D("1000.05")
    assert [i.amount for i in items] == [D("400.02"), D("300.02"), D("300.01")]
    assert "作舍入调整" in items[0].formula and "超过本人工资" not in items[0].formula
    assert "比例合计 100%，按比例计算的合计 1,000.05 不高于本人工资 1,000.05" in items[0].formula


def test_over_100_percent_is_a_reduction():
    # 40 + 30 + 30 + 30 = 130 % of 6,000 = 7,800 > 6,000 → 1,846.15 / 1,384.62 / 1,384.62 / 1,384.61.
    items = death.dependant_pensions(D("6000"), [Dependant("spouse")] + [Dependant("child")] * 3)
    assert sum(i.amount for i in items) == D("6000.00")
    assert "各亲属合计 130% × 本人工资 6,000.00 = 7,800.00，超过本人工资 6,000.00，按比例核减" in items[0].formula


def test_rounding_adjustment_named_on_the_item_it_changes_only():
    """1,000.05 with spouse, child, parent (100 %): 400.02 + 300.02 + 300.02 = 1,000.06, one fen over
    the wage; the fen is taken from the parent (largest-remainder tie to the last) → 300.01. Only
    that item says it was adjusted (300.02 → 300.01); the others say they are unchanged."""
    items = death.dependant_pensions(D("1000.05"), [Dependant("spouse"), Dependant("child"), Dependant("parent")])
    assert items[2].formula.endswith("本项作舍入调整：300.02 → 300.01")
    for item in items[:2]:
        assert "本项不变" in item.formula and "本项作舍入调整" not in item.formula
