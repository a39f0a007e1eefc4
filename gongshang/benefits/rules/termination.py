"""Grades 5-10 leaving employment: 一次性工伤医疗补助金 (fund) and 一次性伤残就业补助金 (employer)
(条例 第三十六条 第二款、第三十七条 第二项). The months by grade are set by the province: they are
parameters (given in the request, stored per 统筹区 with source and validity, or the province's
official table, rules/provincial.py), never constants here. So is the base: the 统筹区's
previous-year average monthly wage in most provinces (Henan 第二十七条), the whole province's in
Zhejiang (第二十七条第二款). The version of 《工伤保险条例》 is the one in force at the termination
(rules/calculate.py): it says who pays — the employer both under the 2003 version (第三十四条第二款、
第三十五条第（二）项), the fund the medical subsidy from 2011-01-01 (国务院令第586号). Neither is paid when the worker has reached the statutory retirement age
at the termination (rules/retirement.py); a province may reduce one or both as retirement nears
(rules/regional.py)."""

from dataclasses import dataclass
from decimal import Decimal

from gongshang.core.money import to_fen

from .disability import GRADE_NAMES, check_grade
from .items import EMPLOYER, FUND, ONCE, Item, RuleError, pct, yuan
from .regimes import CURRENT, REGIME_2003, Regime

# The occupational-disease supplement (e.g. Henan +30 %, 《河南省工伤保险条例》第二十七条第一款) is a
# regional value with validity (`occupational_disease_bonus`, in %), not here.

MEDICAL = "one_time_medical_subsidy"  # fund (2003 version: employer)
EMPLOYMENT = "one_time_employment_subsidy"  # employer
ITEM_NAMES = {MEDICAL: "一次性工伤医疗补助金", EMPLOYMENT: "一次性伤残就业补助金"}

POOLING_REGION = "pooling_region"  # 统筹地区上年度职工月平均工资
PROVINCE = "province"  # 上年度全省职工月平均工资
BASE_NAMES = {POOLING_REGION: "统筹地区上年度职工月平均工资", PROVINCE: "上年度全省职工月平均工资"}


@dataclass(frozen=True)
class Reduction:
    """The share paid as retirement nears (a regional rule), with the words that explain it."""
    percent: Decimal
    text: str


@dataclass(frozen=True)
class Standard:
    """Where the months come from and what they multiply: the base (a key of BASE_NAMES) and the
    citation of the month table (e.g. "《河南省工伤保险条例》第二十七条第一款"; empty: the 统筹区's
    own figures)."""
    base: str = POOLING_REGION
    cite: str = ""


LOCAL = Standard()


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


def _base(avg: Decimal, months: Decimal, standard: Standard) -> str:
    return f"{BASE_NAMES[standard.base]} {yuan(avg)} × {months.normalize():f} 个月"


# Who pays, by the version in force at the termination. 2003 第三十四条第二款、第三十五条第（二）项: the
# employer pays both; 国务院令第586号 (2010, in force 2011-01-01) moved 一次性工伤医疗补助金 to the fund
# (2010 第三十六条第二款、第三十七条第（二）项).
PAYERS = {REGIME_2003: {MEDICAL: EMPLOYER, EMPLOYMENT: EMPLOYER}}
PAYERS_NOW = {MEDICAL: FUND, EMPLOYMENT: EMPLOYER}
PAYER_NAMES = {FUND: "工伤保险基金", EMPLOYER: "用人单位"}


def payer_of(code: str, regime: Regime) -> str:
    return PAYERS.get(regime.code, PAYERS_NOW)[code]


def _basis(regime: Regime, grade: int, code: str, months: Decimal, standard: Standard) -> str:
    where = f"{standard.cite}：" if standard.cite else "本统筹区"
    if regime.code == REGIME_2003:
        rule = ("劳动关系解除或者终止的，由用人单位支付一次性工伤医疗补助金和伤残就业补助金"
                "（2011 年 1 月 1 日起一次性工伤医疗补助金改由工伤保险基金支付）；具体标准由省、自治区、直辖市人民政府规定")
    else:
        rule = f"劳动、聘用合同终止或解除的，由{PAYER_NAMES[payer_of(code, regime)]}支付{ITEM_NAMES[code]}；具体标准由省级人民政府规定"
    return (f"{regime.cite(grade)}：{rule}"
            f"（{where}{GRADE_NAMES[grade]} {months.normalize():f} 个月，以{BASE_NAMES[standard.base]}为基数）")


def one_time_medical_subsidy(grade: int, avg_monthly_wage: Decimal, months_table: dict, *,
                             occupational_disease: bool = False, disease_bonus: Decimal | None = None,
                             retired: bool = False, reduction: Reduction | None = None,
                             regime: Regime = CURRENT, standard: Standard = LOCAL) -> Item | None:
    """一次性工伤医疗补助金 (fund; the employer under the 2003 version) = months by grade × the base (统筹区 or province previous-year average
    monthly wage); for an occupational disease plus the region's supplement in % (`disease_bonus`,
    e.g. 30 in Henan; none where the province sets none); not paid once the worker has reached
    retirement age."""
    if check_grade(grade) < 5 or retired:
        return None
    months = _months(months_table, grade, "parameters.medical_subsidy_months")
    bonus = disease_bonus if occupational_disease and disease_bonus else Decimal(0)
    factor = 1 + bonus / 100
    formula = _base(avg_monthly_wage, months, standard)
    if bonus:
        formula += f" × {pct(factor)}（职业病加发 {bonus.normalize():f}%）"
    amount, formula = _apply((avg_monthly_wage * months * factor, formula), reduction)
    return Item(MEDICAL, ITEM_NAMES[MEDICAL], amount, ONCE, payer_of(MEDICAL, regime),
                _basis(regime, grade, MEDICAL, months, standard), formula)


def one_time_employment_subsidy(grade: int, avg_monthly_wage: Decimal, months_table: dict, *, retired: bool = False,
                                reduction: Reduction | None = None, regime: Regime = CURRENT,
                                standard: Standard = LOCAL) -> Item | None:
    """一次性伤残就业补助金 (employer) = months by grade × the base; not paid once the worker has
    reached retirement age; reduced near it where the province says so."""
    if check_grade(grade) < 5 or retired:
        return None
    months = _months(months_table, grade, "parameters.employment_subsidy_months")
    amount, formula = _apply((avg_monthly_wage * months, _base(avg_monthly_wage, months, standard)), reduction)
    return Item(EMPLOYMENT, ITEM_NAMES[EMPLOYMENT], amount, ONCE, payer_of(EMPLOYMENT, regime),
                _basis(regime, grade, EMPLOYMENT, months, standard), formula)
