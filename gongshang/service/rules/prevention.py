"""工伤预防费: the cap of a year's plans and the share of a project's contract paid after evaluation.

Pure rules (no Django): Decimal in, Decimal out, rounded once to the fen (core/money).

- 工伤预防费使用管理暂行办法（人社部规〔2017〕13号）第四条: the fee pays for 工伤事故和职业病预防
  宣传 and 培训 only (the project kinds).
- 第五条: with the benefits and the reserve secured, the fee may in principle not exceed 3% of the
  统筹区's previous year's 工伤保险基金征缴收入; the province may allow a higher share (the percent
  is a regional parameter: ServiceSetting.prevention_cap_percent).
- 第六条: the fee is budgeted in the next year's fund budget: the cap of year N rests on the
  contribution income of year N-1.
- Projects are proposed, chosen, carried out by the organisation or a service organisation chosen
  by procurement, then accepted (验收) and evaluated before they are paid (办法, 项目的确定和实施).
  济宁's 工伤预防培训评估管理暂行办法 makes the evaluation result the main basis of the payment; the
  score bands below are this platform's regional default, a parameter of each 统筹区
  (ServiceSetting.prevention_payment_bands), not a national figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from gongshang.core.money import to_fen

HUNDRED = Decimal(100)
SCORE_STEP = Decimal("0.01")


@dataclass(frozen=True)
class Band:
    """From `min_score` (inclusive) up, `percent` of the contract amount is paid."""

    min_score: Decimal
    percent: Decimal


def cap(previous_income: Decimal, percent: Decimal) -> Decimal:
    """The year's cap: the previous year's contribution income × percent / 100, rounded once.
    # 工伤预防费使用管理暂行办法 第五条 (3% by default; a province may raise it), 第六条 (next year's budget)
    """
    if previous_income < 0 or percent < 0:
        raise ValueError("收入和比例不能为负数")
    return to_fen(previous_income * percent / HUNDRED)


def excess(approved_total: Decimal, budget: Decimal, cap_amount: Decimal) -> Decimal:
    """How much the approved plans of the year plus this plan exceed the cap (0 when within it).
    # 工伤预防费使用管理暂行办法 第五条: the use of the fee may not exceed the cap
    """
    over = to_fen(approved_total) + to_fen(budget) - to_fen(cap_amount)
    return over if over > 0 else Decimal("0.00")


def over_cap(approved_total: Decimal, budget: Decimal, cap_amount: Decimal) -> bool:
    return excess(approved_total, budget, cap_amount) > 0


def parse_bands(raw: Iterable) -> tuple[Band, ...]:
    """The regional bands, highest score first; ValueError (in Chinese) when they cannot be used."""
    bands = []
    for entry in raw or ():
        try:
            score = Decimal(str(entry["min_score"]))
            percent = Decimal(str(entry["percent"]))
        except (KeyError, TypeError, InvalidOperation):
            raise ValueError("拨付比例参数格式有误：每一档须有最低得分和拨付百分比") from None
        if not (0 <= score <= HUNDRED) or not (0 <= percent <= HUNDRED):
            raise ValueError("拨付比例参数有误：得分和百分比须在 0 到 100 之间")
        bands.append(Band(min_score=score, percent=percent))
    bands.sort(key=lambda b: b.min_score, reverse=True)
    return tuple(bands)


def pay_percent(score: Decimal, bands: Iterable[Band]) -> Decimal:
    """The share (percent) of the contract paid for `score`: the first band whose minimum the score
    reaches; below every band nothing (济宁: the evaluation decides the payment)."""
    if not (0 <= score <= HUNDRED):
        raise ValueError("评估得分须在 0 到 100 之间")
    for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
        if score >= band.min_score:
            return band.percent
    return Decimal(0)


def payable(contract_amount: Decimal, score: Decimal, bands: Iterable[Band]) -> Decimal:
    """The amount paid: contract amount × the band's percent / 100, rounded once to the fen."""
    if contract_amount < 0:
        raise ValueError("合同金额不能为负数")
    return to_fen(contract_amount * pay_percent(score, bands) / HUNDRED)


def rate_per_thousand(cases: int, insured: int) -> Decimal | None:
    """Accidents per 1,000 insured (None when nobody insured is known)."""
    if insured <= 0:
        return None
    return (Decimal(cases) * 1000 / Decimal(insured)).quantize(SCORE_STEP, rounding=ROUND_HALF_UP)
