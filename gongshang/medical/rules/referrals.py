"""辅助器具配置与工伤康复: the fund's share and the replacement date (pure).

Sources: 工伤保险条例 第三十二条 (辅助器具: 所需费用按照国家规定的标准从工伤保险基金支付), 第三十条
第四款 (工伤康复), 《工伤保险辅助器具配置管理办法》第十八条 (在目录限额内支付；超出限额部分由工伤
职工自付) and 第二十条 (辅助器具达到最低使用年限后方可更换). The caps and service lives are the
province's catalogue (辅助器具配置目录), read from CatalogueItem.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongshang.core.money import to_fen

from .remote import add_months


@dataclass(frozen=True)
class Share:
    fund: Decimal
    worker: Decimal
    reason: str


def fund_share(amount: Decimal, cap: Decimal | None) -> Share:
    """The fund pays up to the catalogue's cap; the excess is the worker's (配置管理办法 第十八条)."""
    amount = to_fen(amount)
    if cap is None or amount <= to_fen(cap):
        return Share(fund=amount, worker=Decimal("0.00"), reason="")
    cap = to_fen(cap)
    excess = amount - cap
    return Share(fund=cap, worker=excess,
                 reason=f"目录限额为{cap}元，超出限额的{excess}元由本人自付（工伤保险辅助器具配置管理办法第十八条）。")


def replace_due_on(settled_on: date, service_life_months: int | None) -> date | None:
    """The first day a replacement may be made: the settlement day plus the minimum service life
    (配置管理办法 第二十条); None when the item has none (rehabilitation)."""
    if not service_life_months:
        return None
    return add_months(settled_on, service_life_months)


def replacement_error(due_on: date | None, today: date) -> str:
    """Chinese refusal when a replacement comes before the minimum service life ends; "" otherwise."""
    if due_on is not None and today < due_on:
        return (f"该辅助器具尚未达到最低使用年限，{due_on.year}年{due_on.month}月{due_on.day}日起方可更换"
                "（工伤保险辅助器具配置管理办法第二十条）。")
    return ""
