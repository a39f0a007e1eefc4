"""因工死亡 (条例 第三十九条; 2003 version 第三十七条): 丧葬补助金, 供养亲属抚恤金, 一次性工亡补助金.
The version is chosen by the date of death (rules/regimes.py): a death from 2004-01-01 to
2010-12-31 gets 一次性工亡补助金 of 48-60 months (the 统筹地区's number) of the 统筹地区上年度职工月平均
工资; from 2011-01-01, 20 × the previous year's national urban per-capita disposable income."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from gongshang.core.money import FEN, to_fen

from .items import FUND, MONTHLY, ONCE, Item, RuleError, pct, yuan
from .regimes import CURRENT, DEATH_MONTHS_MAX, DEATH_MONTHS_MIN, Regime

FUNERAL_MONTHS = 6  # 6 months of the 统筹区 previous-year average monthly wage
DEATH_SUBSIDY_TIMES = 20  # 20 × previous year's national urban per-capita disposable income
SPOUSE_RATE = Decimal("0.40")
OTHER_RATE = Decimal("0.30")
LONELY_BONUS = Decimal("0.10")  # 孤寡老人 or 孤儿: +10% each
RELATIONS = {"spouse": "配偶", "child": "子女", "parent": "父母", "grandparent": "祖父母/外祖父母",
             "sibling": "兄弟姐妹", "other": "其他供养亲属"}
PENSION_TEXT = ("第一款第（二）项：按职工本人工资的一定比例发给由因工死亡职工生前"
                 "提供主要生活来源、无劳动能力的亲属，配偶每月 40%，其他亲属每人每月 30%，孤寡老人或者孤儿"
                 "每人每月在上述标准的基础上增加 10%；核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资")


@dataclass(frozen=True)
class Dependant:
    relation: str
    orphan_or_lonely_elderly: bool = False


PENSION_BASIS = f"{CURRENT.cite('death')}{PENSION_TEXT}"


def funeral_subsidy(avg_monthly_wage: Decimal, regime: Regime = CURRENT) -> Item:
    return Item("funeral_subsidy", "丧葬补助金", to_fen(avg_monthly_wage * FUNERAL_MONTHS), ONCE, FUND,
                f"{regime.cite('death')}第一款第（一）项：丧葬补助金为 6 个月的统筹地区上年度职工月平均工资",
                f"{yuan(avg_monthly_wage)} × {FUNERAL_MONTHS} 个月")


def one_time_death_subsidy(national_income: Decimal, year: int | None = None) -> Item:
    label = f"{year} 年度" if year else "上一年度"
    return Item("one_time_death_subsidy", "一次性工亡补助金", to_fen(national_income * DEATH_SUBSIDY_TIMES), ONCE,
                FUND, f"{CURRENT.cite('death')}第一款第（三）项：一次性工亡补助金标准为上一年度全国城镇居民"
                "人均可支配收入的 20 倍", f"{label}全国城镇居民人均可支配收入 {yuan(national_income)} × 20")


def one_time_death_subsidy_2003(avg_monthly_wage: Decimal, months, regime: Regime) -> Item:
    """A death from 2004-01-01 to 2010-12-31 (条例 2003 第三十七条第一款第（三）项): 48 to 60 months of
    the 统筹地区上年度职工月平均工资, the number set by the 统筹地区人民政府 (given as a parameter)."""
    if months is None:
        raise RuleError("parameters.death_subsidy_months",
                        "2011 年以前因工死亡的一次性工亡补助金为 48 至 60 个月的统筹地区上年度职工月平均工资，具体月数由"
                        "统筹地区人民政府规定；请在参数中填写该统筹区当时规定的月数（death_subsidy_months）")
    months = Decimal(str(months))
    if not DEATH_MONTHS_MIN <= months <= DEATH_MONTHS_MAX:
        raise RuleError("parameters.death_subsidy_months", "一次性工亡补助金月数应在 48 至 60 个月之间")
    return Item("one_time_death_subsidy", "一次性工亡补助金", to_fen(avg_monthly_wage * months), ONCE, FUND,
                f"{regime.cite('death')}第一款第（三）项：一次性工亡补助金标准为 48 个月至 60 个月的统筹地区上年度"
                "职工月平均工资，具体标准由统筹地区的人民政府规定",
                f"{yuan(avg_monthly_wage)} × {months.normalize():f} 个月")


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


def dependant_pensions(own_wage: Decimal, dependants: list[Dependant], *, actual_wage: Decimal | None = None,
                       regime: Regime = CURRENT) -> list[Item]:
    """One monthly item per dependant, each a rate of the 本人工资 (the pension base, floored and
    capped by 第六十四条). 第三十九条第一款第（二）项 caps the total at 因工死亡职工生前的工资: the
    actual wage (`actual_wage`, the average before the 60%/300% bounds) when it is known, else the
    本人工资. Over the cap, each is reduced in the same proportion so the total equals the cap.
    When the rates only exceed it through the rounding of each amount to the fen (e.g. exactly
    100%), the one-fen trim is a rounding adjustment, and the formula says so."""
    if not dependants:
        return []
    rates = [dependant_rate(d) for d in dependants]
    amounts = rounded = [to_fen(own_wage * r) for r in rates]
    base = to_fen(own_wage)
    cap = to_fen(actual_wage) if actual_wage is not None else base
    total_rate = sum(rates, Decimal(0))
    exact_total = own_wage * total_rate
    rounded_total = sum(amounts, Decimal(0))
    reduced = rounded_total > cap
    rounding_only = reduced and exact_total <= cap
    if reduced:
        amounts = _largest_remainder([own_wage * r for r in rates], cap)
    cap_text = (f"因工死亡职工生前的工资 {yuan(cap)}" if actual_wage is not None and cap != base
                else f"本人工资 {yuan(cap)}")
    items, counts = [], {}
    for dependant, rate, amount, own in zip(dependants, rates, amounts, rounded, strict=True):
        counts[dependant.relation] = counts.get(dependant.relation, 0) + 1
        who = RELATIONS[dependant.relation] + (f" {counts[dependant.relation]}" if dependant.relation != "spouse" else "")
        formula = f"{yuan(own_wage)} × {pct(rate)}" + ("（含孤寡老人/孤儿加发 10%）" if dependant.orphan_or_lonely_elderly else "")
        if rounding_only:
            formula += (f"；各亲属比例合计 {pct(total_rate)}，按比例计算的合计 {yuan(exact_total)} 不高于{cap_text}；"
                        f"各自四舍五入到分后合计 {yuan(rounded_total)}，多出 {yuan(rounded_total - cap)} 元，"
                        + (f"本项作舍入调整：{yuan(own)} → {yuan(amount)}" if amount != own
                           else "由其他亲属的抚恤金作舍入调整，本项不变"))
        elif reduced:
            formula += (f"；各亲属合计 {pct(total_rate)} × 本人工资 {yuan(own_wage)} = {yuan(exact_total)}，"
                        f"超过{cap_text}，按比例核减为 {yuan(amount)}")
        items.append(Item("dependant_pension", f"供养亲属抚恤金（{who}）", amount, MONTHLY, FUND,
                          f"{regime.cite('death')}{PENSION_TEXT}", formula, beneficiary=who))
    return items


def cap_to_wage(own_wage: Decimal, amounts: list[Decimal]) -> list[Decimal]:
    """After an adjustment (条例 第四十条) the dependants' pensions still may not exceed, together,
    the worker's wage (第三十九条第一款第（二）项): when they do, each is reduced in proportion
    (to the fen, parts adding up to the wage exactly); otherwise they are unchanged."""
    wage = to_fen(own_wage)
    if sum(amounts, Decimal(0)) <= wage:
        return list(amounts)
    return _largest_remainder(list(amounts), wage)
