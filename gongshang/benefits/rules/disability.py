"""伤残待遇: 一次性伤残补助金 and 伤残津贴 (条例 第三十五条至第三十七条), and the allowance of a grade
1-4 worker who reaches retirement (条例 第三十五条 第二款)."""

from decimal import Decimal

from gongshang.core.money import to_fen

from .items import EMPLOYER, FUND, MONTHLY, ONCE, Item, RuleError, pct, yuan
from .regimes import CURRENT, Regime

# Months of 本人工资 (条例 第三十五条、第三十六条、第三十七条).
ONE_TIME_MONTHS = {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 13, 8: 11, 9: 9, 10: 7}
# 伤残津贴, % of 本人工资: grades 1-4 (第三十五条), 5-6 (第三十六条).
ALLOWANCE_RATES = {1: Decimal("0.90"), 2: Decimal("0.85"), 3: Decimal("0.80"), 4: Decimal("0.75"),
                   5: Decimal("0.70"), 6: Decimal("0.60")}
ARTICLE = {1: "第三十五条", 2: "第三十五条", 3: "第三十五条", 4: "第三十五条", 5: "第三十六条", 6: "第三十六条",
           7: "第三十七条", 8: "第三十七条", 9: "第三十七条", 10: "第三十七条"}
GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级", 6: "六级", 7: "七级", 8: "八级", 9: "九级",
               10: "十级"}


def check_grade(grade) -> int:
    if not isinstance(grade, int) or isinstance(grade, bool) or grade not in ONE_TIME_MONTHS:
        raise RuleError("disability_grade", "伤残等级应为 1（一级）至 10（十级）的整数")
    return grade


def one_time_disability_subsidy(grade: int, own_wage: Decimal, regime: Regime = CURRENT) -> Item:
    """一次性伤残补助金 = months by grade × 本人工资 (条例 第三十五至三十七条 第一项; 2003 version:
    第三十三至三十五条, 24…6 months — see rules/regimes.py). Not paid to a case of 条例 第十五条
    第一款 第（三）项 (the caller leaves it out)."""
    months = regime.one_time_months[check_grade(grade)]
    return Item("one_time_disability_subsidy", "一次性伤残补助金", to_fen(own_wage * months), ONCE, FUND,
                f"{regime.cite(grade)}：{GRADE_NAMES[grade]}伤残为 {months} 个月的本人工资",
                f"{yuan(own_wage)} × {months} 个月")


def disability_allowance(grade: int, own_wage: Decimal, min_wage: Decimal, regime: Regime = CURRENT) -> Item | None:
    """伤残津贴, monthly. Grades 1-4: from the fund, not below the local minimum wage, the fund
    paying the difference (第三十五条). Grades 5-6: by the employer when it cannot arrange work,
    not below the minimum wage, the employer paying the difference (第三十六条). 7-10: none."""
    rate = ALLOWANCE_RATES.get(check_grade(grade))
    if rate is None:
        return None
    if min_wage < 0:
        raise RuleError("parameters.min_wage", "最低工资标准不能为负数")
    raw = to_fen(own_wage * rate)
    amount = max(raw, to_fen(min_wage))
    formula = f"{yuan(own_wage)} × {pct(rate)} = {yuan(raw)}"
    if amount > raw:
        formula += f"，低于当地最低工资标准，按 {yuan(amount)}（补足差额）"
    payer = FUND if grade <= 4 else EMPLOYER
    who = "由工伤保险基金按月支付" if payer == FUND else "难以安排工作的，由用人单位按月发给"
    return Item("disability_allowance", "伤残津贴", amount, MONTHLY, payer,
                f"{regime.cite(grade)}：{GRADE_NAMES[grade]}伤残为本人工资的 {pct(rate)}，{who}；"
                "实际金额低于当地最低工资标准的，补足差额", formula)


def allowance_after_retirement(allowance: Decimal, pension: Decimal) -> Item:
    """Grades 1-4 reaching retirement: the 伤残津贴 stops and the basic pension is paid; where the
    pension is lower than the allowance, the fund pays the difference (条例 第三十五条 第二款)."""
    if pension < 0:
        raise RuleError("pension", "基本养老保险待遇不能为负数")
    difference = to_fen(max(allowance - pension, Decimal(0)))
    return Item("retirement_allowance_difference", "伤残津贴与基本养老金差额", difference, MONTHLY, FUND,
                "《工伤保险条例》第三十五条第二款：办理退休后停发伤残津贴，享受基本养老保险待遇；"
                "基本养老保险待遇低于伤残津贴的，由工伤保险基金补足差额",
                f"max({yuan(allowance)} − {yuan(pension)}, 0)")
