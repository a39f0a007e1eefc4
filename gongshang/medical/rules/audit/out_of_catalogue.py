"""目录外项目: a line whose code is not in the catalogue valid on its day is not paid by the fund."""

from __future__ import annotations

from .common import Catalogue, cn_date, entry_on, local_date, to_fen, yuan
from .inputs import BillLineIn, Flag

RULE = "out_of_catalogue"
SOURCE = "《工伤保险条例》第三十条第三款：治疗工伤所需费用符合工伤保险诊疗项目目录、工伤保险药品目录、工伤保险住院服务标准的，从工伤保险基金支付"


def check(lines: list[BillLineIn], catalogue: Catalogue) -> list[Flag]:
    flags = []
    for line in lines:
        day = local_date(line.occurred_at)
        if entry_on(catalogue, line.catalogue_code, day) is None:
            amount = to_fen(line.amount)
            flags.append(Flag(
                rule=RULE, line_nos=(line.line_no,), amount=amount, source=SOURCE,
                reason=(f"第{line.line_no}行“{line.name}”（编码{line.catalogue_code}）不在{cn_date(day)}有效的"
                        f"工伤保险目录内，该行{yuan(amount)}基金不予支付。")))
    return flags
