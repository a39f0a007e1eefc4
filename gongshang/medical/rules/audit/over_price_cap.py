"""超限价: the part of a unit price above the regional cap is not paid ((price − cap) × quantity)."""

from __future__ import annotations

from .common import Catalogue, entry_on, local_date, qty, to_fen, yuan
from .inputs import BillLineIn, Flag

RULE = "over_price_cap"
SOURCE = "《工伤保险条例》第三十条第三款；统筹区工伤保险诊疗项目、医用耗材最高限价（地区参数）"


def check(lines: list[BillLineIn], catalogue: Catalogue) -> list[Flag]:
    flags = []
    for line in lines:
        entry = entry_on(catalogue, line.catalogue_code, local_date(line.occurred_at))
        if entry is None or entry.price_cap is None or line.unit_price <= entry.price_cap:
            continue
        excess = to_fen((line.unit_price - entry.price_cap) * line.quantity)
        if excess <= 0:
            continue
        flags.append(Flag(
            rule=RULE, line_nos=(line.line_no,), amount=min(excess, to_fen(line.amount)), source=SOURCE,
            reason=(f"第{line.line_no}行“{line.name}”单价{line.unit_price.normalize():f}元，超过最高限价"
                    f"{yuan(entry.price_cap)}，超出部分（{(line.unit_price - entry.price_cap).normalize():f}元"
                    f"×{qty(line.quantity)}）共{yuan(excess)}基金不予支付。")))
    return flags
