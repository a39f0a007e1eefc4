"""The result of a benefit rule: one item a person is owed, with the article and the arithmetic."""

from dataclasses import dataclass
from decimal import Decimal

from gongshang.core.money import to_fen

ONCE = "once"
MONTHLY = "monthly"
FUND = "fund"
EMPLOYER = "employer"


class RuleError(ValueError):
    """Input a rule cannot apply to; `field` names the request field, `message` is Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    amount: Decimal
    period: str  # ONCE or MONTHLY
    payer: str  # FUND or EMPLOYER
    basis: str  # the article(s)
    formula: str  # the arithmetic with the numbers used
    beneficiary: str = ""  # for dependants: "配偶", "子女 1"…
    months: int | None = None  # for an item paid for a fixed number of months (停工留薪期)


def pct(rate: Decimal) -> str:
    """Decimal("0.4") -> "40%"."""
    return f"{(rate * 100).normalize():f}%"


def yuan(amount: Decimal) -> str:
    """To the fen, half-up (never the banker's rounding of Decimal's format), with separators."""
    return f"{to_fen(Decimal(amount)):,.2f}"
