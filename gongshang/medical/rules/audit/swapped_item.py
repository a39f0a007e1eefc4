"""串换项目: the billed code differs from the ordered item (医嘱项目 `ordered_code`).

The fund pays at most what the ordered item would have cost: (billed unit price − the ordered
item's price cap) × quantity is withheld when positive. When the ordered item is not in the
catalogue, or has no price cap to compare with, the whole line is held for the reviewer. A
different price class (价格类别) is named in the reason."""

from __future__ import annotations

from .common import ZERO, Catalogue, entry_on, local_date, qty, to_fen, yuan
from .inputs import BillLineIn, Flag

RULE = "swapped_item"
SOURCE = "《社会保险经办条例》、工伤保险协议机构服务协议（串换药品、医用耗材、诊疗项目和服务设施）"


def check(lines: list[BillLineIn], catalogue: Catalogue) -> list[Flag]:
    flags = []
    for line in lines:
        if not line.ordered_code or line.ordered_code == line.catalogue_code:
            continue
        day = local_date(line.occurred_at)
        billed = entry_on(catalogue, line.catalogue_code, day)
        ordered = entry_on(catalogue, line.ordered_code, day)
        head = f"第{line.line_no}行按编码{line.catalogue_code}收费，但医嘱项目编码为{line.ordered_code}"
        if billed is not None and ordered is not None and billed.price_class != ordered.price_class:
            head += f"（价格类别由“{ordered.price_class or '未分类'}”变为“{billed.price_class or '未分类'}”）"
        if ordered is None or ordered.price_cap is None:
            amount = to_fen(line.amount)
            why = "医嘱项目不在目录内" if ordered is None else "医嘱项目没有可比的限价"
            reason = f"{head}，{why}，疑似串换项目；该行{yuan(amount)}暂不予支付，待审核确认。"
        else:
            diff = line.unit_price - ordered.price_cap
            amount = min(to_fen(diff * line.quantity), to_fen(line.amount)) if diff > 0 else ZERO
            if amount > 0:
                reason = (f"{head}，疑似串换项目；按医嘱项目限价{yuan(ordered.price_cap)}计，差价"
                          f"（{diff.normalize():f}元×{qty(line.quantity)}）共{yuan(amount)}基金不予支付。")
            else:
                reason = f"{head}，疑似串换项目；收费未超过医嘱项目限价{yuan(ordered.price_cap)}，不扣减，请审核人员核实。"
        flags.append(Flag(rule=RULE, line_nos=(line.line_no,), amount=amount, source=SOURCE, reason=reason))
    return flags
