"""超频次: the same item billed more units than its catalogue limit per period; the excess units
are not paid.

Periods are consecutive blocks of `frequency_days` calendar days (Asia/Shanghai) counted from the
admission date (block 0 starts on the admission day). Within a block units are counted in the order
(occurred_at, line_no); the units beyond the limit are the excess, on the later lines.

The excess is valued at the price the fund would pay per unit: the unit price, or the item's cap
when the price is above it. The flag lets the fund pay at most (quantity − excess) × that price,
so with 超限价 on the same line the two do not overlap (settle applies the lower ceiling)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .common import Catalogue, entry_on, local_date, qty, to_fen, yuan
from .inputs import BillLineIn, EncounterIn, Flag

RULE = "frequency"
SOURCE = "工伤保险诊疗项目目录的限定使用数量与周期；工伤保险协议机构服务协议（重复收费、超标准收费）"


def check(lines: list[BillLineIn], catalogue: Catalogue, encounter: EncounterIn) -> list[Flag]:
    start = local_date(encounter.admitted_at)
    groups: dict[tuple, list] = defaultdict(list)
    for line in lines:
        day = local_date(line.occurred_at)
        entry = entry_on(catalogue, line.catalogue_code, day)
        if entry is None or entry.frequency_limit is None:
            continue
        days = max(int(entry.frequency_days or 1), 1)
        block = max((day - start).days, 0) // days
        groups[(line.catalogue_code, block)].append((line, entry, days))
    flags = []
    for members in groups.values():
        members.sort(key=lambda m: (m[0].occurred_at, m[0].line_no))
        limit = members[0][1].frequency_limit
        days = members[0][2]
        used = Decimal(0)
        for line, entry, _days in members:
            before = used
            used += line.quantity
            excess_units = min(line.quantity, max(used - max(limit, before), Decimal(0)))
            if excess_units <= 0:
                continue
            price = line.unit_price if entry.price_cap is None else min(line.unit_price, entry.price_cap)
            whole = to_fen(line.amount)
            ceiling = to_fen((line.quantity - excess_units) * price)
            amount = min(max(whole - ceiling, Decimal(0)), whole)
            flags.append(Flag(
                rule=RULE, line_nos=(line.line_no,), amount=amount, source=SOURCE,
                reason=(f"第{line.line_no}行“{line.name}”每{days}天最多支付{qty(limit)}个计价单位，本周期累计{qty(used)}个，"
                        f"超出的{qty(excess_units)}个（按单价{yuan(price)}计）共{yuan(excess_units * price)}"
                        f"基金不予支付。")))
    return flags
