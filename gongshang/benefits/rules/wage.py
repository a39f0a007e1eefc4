"""本人工资 (条例 第六十四条 第二款)."""

from dataclasses import dataclass
from decimal import Decimal

from gongshang.core.money import to_fen

from .items import RuleError, pct, yuan

FLOOR_RATE = Decimal("0.60")  # 条例 第六十四条: below 60% of the 统筹区 average → 60%
CAP_RATE = Decimal("3.00")  # above 300% → 300%
MAX_MONTHS = 12  # the 12 months before the injury


@dataclass(frozen=True)
class OwnWage:
    amount: Decimal  # the 本人工资 used, to the fen
    average: Decimal  # average of the months given, to the fen
    months: int
    floor: Decimal
    cap: Decimal
    limited_by: str  # "", "floor" or "cap"
    formula: str


def wage_bounds(avg_monthly_wage: Decimal) -> tuple[Decimal, Decimal]:
    return to_fen(avg_monthly_wage * FLOOR_RATE), to_fen(avg_monthly_wage * CAP_RATE)


def own_wage(monthly_wages: list[Decimal], avg_monthly_wage: Decimal) -> OwnWage:
    """Average of the contribution bases of the (up to) 12 months before the injury; with fewer
    months, the average of those there are; then floored at 60% and capped at 300% of the 统筹区
    average monthly wage (条例 第六十四条)."""
    if not monthly_wages:
        raise RuleError("monthly_wages", "请至少填写 1 个月的缴费工资")
    if len(monthly_wages) > MAX_MONTHS:
        raise RuleError("monthly_wages", "缴费工资最多填写受伤前 12 个月")
    if any(w < 0 for w in monthly_wages):
        raise RuleError("monthly_wages", "缴费工资不能为负数")
    if avg_monthly_wage <= 0:
        raise RuleError("parameters.avg_monthly_wage", "统筹区职工月平均工资应大于 0")
    average = to_fen(sum(monthly_wages, Decimal(0)) / len(monthly_wages))
    return bounded_wage(average, avg_monthly_wage, months=len(monthly_wages))


def bounded_wage(average: Decimal, avg_monthly_wage: Decimal, *, months: int = 0) -> OwnWage:
    """Apply the 60% floor and 300% cap of 条例 第六十四条 to an average (or a stated own wage)."""
    floor, cap = wage_bounds(avg_monthly_wage)
    limited_by = "floor" if average < floor else "cap" if average > cap else ""
    amount = floor if limited_by == "floor" else cap if limited_by == "cap" else average
    source = f"受伤前 {months} 个月缴费工资平均 {yuan(average)}" if months else f"本人工资 {yuan(average)}"
    bound = {"floor": f"，低于统筹区职工月平均工资 {yuan(avg_monthly_wage)} 的 {pct(FLOOR_RATE)}，按 {yuan(floor)}",
             "cap": f"，高于统筹区职工月平均工资 {yuan(avg_monthly_wage)} 的 {pct(CAP_RATE)}，按 {yuan(cap)}",
             "": f"，在 {yuan(floor)}～{yuan(cap)} 之间"}[limited_by]
    return OwnWage(amount=amount, average=average, months=months, floor=floor, cap=cap,
                   limited_by=limited_by, formula=source + bound)
