"""待遇调整: the new monthly amount after a raise by a percentage or by a fixed amount. The
adjustment itself is decided by the province each year (条例 第四十条: 伤残津贴、供养亲属抚恤金、
生活护理费由统筹地区社会保险行政部门根据职工平均工资和生活费用变化等情况适时调整)."""

from decimal import Decimal

from gongshang.core.money import to_fen

from .items import RuleError

PERCENT = "percent"
FIXED = "fixed"


def adjusted_amount(old: Decimal, method: str, value: Decimal) -> Decimal:
    if method == PERCENT:
        if not Decimal("-50") <= value <= Decimal("100"):
            raise RuleError("value", "调整比例应在 -50% 至 100% 之间")
        return to_fen(old * (Decimal(100) + value) / Decimal(100))
    if method == FIXED:
        if abs(value) > Decimal("100000"):
            raise RuleError("value", "定额调整金额过大")
        return max(to_fen(old + value), Decimal("0.00"))
    raise RuleError("method", "调整方式应为 percent（按比例）或 fixed（定额）")
