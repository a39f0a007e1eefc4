"""因工死亡 (条例 第三十九条): 丧葬补助金, 供养亲属抚恤金, 一次性工亡补助金."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from gongshang.core.money import FEN, to_fen

from .items import FUND, MONTHLY, ONCE, Item, RuleError, pct, yuan

FUNERAL_MONTHS = 6  # 6 months of the 统筹区 previous-year average monthly wage
DEATH_SUBSIDY_TIMES = 20  # 20 × previous year's national urban per-capita disposable income
SPOUSE_RATE = Decimal("0.40")
OTHER_RATE = Decimal("0.30")
LONELY_BONUS = Decimal("0.10")  # 孤寡老人 or 孤儿: +10% each
RELATIONS = {"spouse": "配偶", "child": "子女", "parent": "父母", "grandparent": "祖父母/外祖父母",
             "sibling": "兄弟姐妹", "other": "其他供养亲属"}
PENSION_BASIS = ("《工伤保险条例》第三十九条第一款第（二）项：按职工本人工资的一定比例发给由因工死亡职工生前"
                 "提供主要生活来源、无劳动能力的亲属，配偶每月 40%，其他亲属每人每月 30%，孤寡老人或者孤儿"
                 "每人每月在上述标准的基础上增加 10%；核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资")


@dataclass(frozen=True)
class Dependant:
    relation: str
    orphan_or_lonely_elderly: bool = False


def funeral_subsidy(avg_monthly_wage: Decimal) -> Item:
    return Item("funeral_subsidy", "丧葬补助金", to_fen(avg_monthly_wage * FUNERAL_MONTHS), ONCE, FUND,
                "《工伤保险条例》第三十九条第一款第（一）项：丧葬补助金为 6 个月的统筹地区上年度职工月平均工资",
                f"{yuan(avg_monthly_wage)} × {FUNERAL_MONTHS} 个月")


def one_time_death_subsidy(national_income: Decimal, year: int | None = None) -> Item:
    label = f"{year} 年度" if year else "上一年度"
    return Item("one_time_death_subsidy", "一次性工亡补助金", to_fen(national_income * DEATH_SUBSIDY_TIMES), ONCE,
                FUND, "《工伤保险条例》第三十九条第一款第（三）项：一次性工亡补助金标准为上一年度全国城镇居民"
                "人均可支配收入的 20 倍", f"{label}全国城镇居民人均可支配收入 {yuan(national_income)} × 20")


def dependant_rate(dependant: Dependant) -> Decimal:
    if dependant.relation not in RELATIONS:
        raise RuleError("dependants", "供养亲属关系应为 " + "、".join(f"{name}（{code}）" for code, name in RELATIONS.items()))
    rate = SPOUSE_RATE if dependant.relation == "spouse" else OTHER_RATE
    return rate + (LONELY_BONUS if dependant.orphan_or_lonely_elderly else Decimal(0))


def _largest_remainder(shares: list[Decimal], total: Decimal) -> list[Decimal]:
    """Split `total` (to the fen) in proportion to `shares` so the parts add up to it exactly:
    each part rounded down to the fen, the fen left over going to the largest remainders."""
    whole = sum(shares, Decimal(0))
    exact = [total * s / whole for s in shares]
    parts = [e.quantize(FEN, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(parts, Decimal(0))) / FEN)
    order = sorted(range(len(shares)), key=lambda i: (exact[i] - parts[i], -i), reverse=True)
    for i in order[:left]:
        parts[i] += FEN
    return parts


def dependant_pensions(own_wage: Decimal, dependants: list[Dependant]) -> list[Item]:
    """One monthly item per dependant; the total never exceeds the worker's wage: when it would,
    each is reduced in the same proportion (条例 第三十九条) so that the total equals the wage."""
    if not dependants:
        return []
    rates = [dependant_rate(d) for d in dependants]
    amounts = [to_fen(own_wage * r) for r in rates]
    wage = to_fen(own_wage)
    reduced = sum(amounts, Decimal(0)) > wage
    if reduced:
        amounts = _largest_remainder([own_wage * r for r in rates], wage)
    items, counts = [], {}
    for dependant, rate, amount in zip(dependants, rates, amounts, strict=True):
        counts[dependant.relation] = counts.get(dependant.relation, 0) + 1
        who = RELATIONS[dependant.relation] + (f" {counts[dependant.relation]}" if dependant.relation != "spouse" else "")
        formula = f"{yuan(own_wage)} × {pct(rate)}" + ("（含孤寡老人/孤儿加发 10%）" if dependant.orphan_or_lonely_elderly else "")
        if reduced:
            total_rate = sum(rates, Decimal(0))
            formula += f"；各亲属合计 {pct(total_rate)} 超过本人工资，按比例核减为 {yuan(amount)}"
        items.append(Item("dependant_pension", f"供养亲属抚恤金（{who}）", amount, MONTHLY, FUND, PENSION_BASIS,
                          formula, beneficiary=who))
    return items


def cap_to_wage(own_wage: Decimal, amounts: list[Decimal]) -> list[Decimal]:
    """After an adjustment (条例 第四十条) the dependants' pensions still may not exceed, together,
    the worker's wage (第三十九条第一款第（二）项): when they do, each is reduced in proportion
    (to the fen, parts adding up to the wage exactly); otherwise they are unchanged."""
    wage = to_fen(own_wage)
    if sum(amounts, Decimal(0)) <= wage:
        return list(amounts)
    return _largest_remainder(list(amounts), wage)
