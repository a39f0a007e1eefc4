"""Grades 5-10 leaving employment: 一次性工伤医疗补助金 (fund) and 一次性伤残就业补助金 (employer)
(条例 第三十六条 第二款、第三十七条 第二项). The months by grade are set by the province: they are
parameters (stored per 统筹区 with source and validity, or given in the request), never constants
here. Neither is paid when the worker has reached the statutory retirement age at the termination
(rules/retirement.py); a province may reduce both as retirement nears (rules/regional.py)."""

from dataclasses import dataclass
from decimal import Decimal

from gongshang.core.money import to_fen

from .disability import GRADE_NAMES, check_grade
from .items import EMPLOYER, FUND, ONCE, Item, RuleError, pct, yuan
from .regimes import CURRENT, Regime

# The occupational-disease supplement (e.g. Shandong +50%, 《山东省贯彻〈工伤保险条例〉实施办法》
# 第二十五条) is a regional parameter with validity (`occupational_disease_bonus`, in %), not here.


@dataclass(frozen=True)
class Reduction:
    """The share paid as retirement nears (a regional rule), with the words that explain it."""
    percent: Decimal
    text: str


def _apply(amount_formula: tuple[Decimal, str], reduction: Reduction | None) -> tuple[Decimal, str]:
    amount, formula = amount_formula
    if reduction is None or reduction.percent >= 100:
        return to_fen(amount), formula
    return (to_fen(amount * reduction.percent / 100),
            f"{formula} × {reduction.percent.normalize():f}%（{reduction.text}）")


def _months(table: dict, grade: int, field: str) -> Decimal:
    months = table.get(grade, table.get(str(grade)))
    if months is None:
        raise RuleError(field, f"统筹区未设置{GRADE_NAMES[grade]}伤残的月数标准")
    return Decimal(str(months))


def one_time_medical_subsidy(grade: int, avg_monthly_wage: Decimal, months_table: dict, *,
                             occupational_disease: bool = False, disease_bonus: Decimal | None = None,
                             retired: bool = False, reduction: Reduction | None = None,
                             regime: Regime = CURRENT) -> Item | None:
    """一次性工伤医疗补助金 (fund) = months by grade × 统筹区 previous-year average monthly wage;
    for an occupational disease plus the region's supplement in % (`disease_bonus`, e.g. 50 in
    Shandong; none where the region sets none); not paid once the worker has reached retirement age."""
    if check_grade(grade) < 5 or retired:
        return None
    months = _months(months_table, grade, "parameters.medical_subsidy_months")
    bonus = disease_bonus if occupational_disease and disease_bonus else Decimal(0)
    factor = 1 + bonus / 100
    formula = f"{yuan(avg_monthly_wage)} × {months.normalize():f} 个月"
    if bonus:
        formula += f" × {pct(factor)}（职业病加发 {bonus.normalize():f}%）"
    amount, formula = _apply((avg_monthly_wage * months * factor, formula), reduction)
    return Item("one_time_medical_subsidy", "一次性工伤医疗补助金", amount, ONCE,
                FUND, f"{regime.cite(grade)}：劳动、聘用合同终止或解除的，由工伤保险基金支付一次性"
                f"工伤医疗补助金；具体标准由省级人民政府规定（本统筹区{GRADE_NAMES[grade]} {months.normalize():f} 个月）",
                formula)


def one_time_employment_subsidy(grade: int, avg_monthly_wage: Decimal, months_table: dict, *, retired: bool = False,
                                reduction: Reduction | None = None, regime: Regime = CURRENT) -> Item | None:
    """一次性伤残就业补助金 (employer) = months by grade × 统筹区 previous-year average monthly wage;
    not paid once the worker has reached retirement age; reduced near it where the province says so."""
    if check_grade(grade) < 5 or retired:
        return None
    months = _months(months_table, grade, "parameters.employment_subsidy_months")
    amount, formula = _apply((avg_monthly_wage * months, f"{yuan(avg_monthly_wage)} × {months.normalize():f} 个月"),
                             reduction)
    return Item("one_time_employment_subsidy", "一次性伤残就业补助金", amount, ONCE,
                EMPLOYER, f"{regime.cite(grade)}：劳动、聘用合同终止或解除的，由用人单位支付一次性"
                f"伤残就业补助金；具体标准由省级人民政府规定（本统筹区{GRADE_NAMES[grade]} {months.normalize():f} 个月）",
                formula)
