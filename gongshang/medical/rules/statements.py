"""月度结算的金额: what the fund pays an institution for a month. Pure.

payable = fund − deductions, never below zero (条例 第三十条: the fund pays what passes; a deduction
withholds money, it never makes the institution owe a negative transfer). What the month cannot
absorb is carried forward as an open deduction that the next statement takes (追回 over time), so
nothing withheld is ever lost or counted twice.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class StatementAmounts:
    fund: Decimal        # the reviewed encounters' fund amounts
    deductions: Decimal  # the open deductions taken by the statement
    applied: Decimal     # what this month withholds: min(fund, deductions)
    payable: Decimal     # fund − applied, ≥ 0
    carried: Decimal     # deductions − applied: a new open deduction for next month


def statement_amounts(fund: Decimal, deductions: Decimal) -> StatementAmounts:
    applied = min(fund, deductions)
    return StatementAmounts(fund=fund, deductions=deductions, applied=applied, payable=fund - applied,
                            carried=deductions - applied)


def review_deduction_valid(amount: Decimal, fund_amount: Decimal) -> str | None:
    """审核扣减: more than zero, at most what the fund pays for the encounter; the reason if not."""
    if amount <= 0:
        return "扣减金额应大于 0"
    if amount > fund_amount:
        return f"扣减金额不能超过本次就诊的基金支付金额 {fund_amount} 元"
    return None
