"""Medical-stage costs paid by the fund at regional standards (条例 第三十条): 住院伙食补助费 and,
for a referral outside the 统筹区 approved by the agency, travel and lodging (异地就医交通食宿费)."""

from decimal import Decimal

from gongshang.core.money import to_fen

from .items import FUND, ONCE, Item, RuleError, yuan

BASIS = "《工伤保险条例》第三十条第四款：{}，由工伤保险基金支付，基金支付的具体标准由统筹地区人民政府规定"


def hospital_meal_allowance(days: int, daily_rate: Decimal) -> Item:
    if days < 0:
        raise RuleError("hospital_days", "住院天数不能为负数")
    return Item("hospital_meal_allowance", "住院伙食补助费", to_fen(daily_rate * days), ONCE, FUND,
                BASIS.format("职工住院治疗工伤的伙食补助费"), f"{yuan(daily_rate)} 元/天 × {days} 天")


def referral_travel_costs(fares: list[Decimal], lodging_days: int, lodging_daily_rate: Decimal) -> Item:
    """Fares as actually paid (tickets), lodging at the regional standard per day."""
    if any(f < 0 for f in fares) or lodging_days < 0:
        raise RuleError("travel", "交通费和住宿天数不能为负数")
    fare_total = sum(fares, Decimal(0))
    amount = to_fen(fare_total + lodging_daily_rate * lodging_days)
    return Item("referral_travel_costs", "异地就医交通食宿费", amount, ONCE, FUND,
                BASIS.format("经医疗机构出具证明，报经办机构同意，到统筹地区以外就医所需的交通、食宿费用"),
                f"交通费 {yuan(fare_total)} + {yuan(lodging_daily_rate)} 元/天 × {lodging_days} 天")
