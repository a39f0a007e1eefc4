"""生活护理费 (条例 第三十四条; 2003 version 第三十二条, same rates)."""

from decimal import Decimal

from gongshang.core.money import to_fen

from .items import FUND, MONTHLY, Item, RuleError, pct, yuan
from .regimes import CURRENT, Regime

# % of the 统筹区 previous-year average monthly wage, by level of 生活自理障碍.
NURSING_RATES = {"full": Decimal("0.50"), "most": Decimal("0.40"), "partial": Decimal("0.30")}
NURSING_NAMES = {"full": "生活完全不能自理", "most": "生活大部分不能自理", "partial": "生活部分不能自理"}


def nursing_allowance(level: str, avg_monthly_wage: Decimal, regime: Regime = CURRENT) -> Item:
    rate = NURSING_RATES.get(level)
    if rate is None:
        raise RuleError("nursing_level", "生活护理等级应为 full（完全）、most（大部分）或 partial（部分）")
    return Item("nursing_allowance", "生活护理费", to_fen(avg_monthly_wage * rate), MONTHLY, FUND,
                f"{regime.cite('nursing')}：{NURSING_NAMES[level]}的，按统筹地区上年度职工月平均工资的 "
                f"{pct(rate)} 由工伤保险基金按月支付",
                f"{yuan(avg_monthly_wage)} × {pct(rate)}")
