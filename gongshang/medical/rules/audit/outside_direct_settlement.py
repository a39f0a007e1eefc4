"""跨省异地就医: 伙食补助费 and travel are outside direct settlement; the home region reimburses.

Meal lines (category "meal") and travel or lodging lines (named 交通费, 差旅费, 住宿费, 路费) of a
cross-province encounter are not paid here, in full."""

from __future__ import annotations

from .common import to_fen, yuan
from .inputs import BillLineIn, EncounterIn, Flag

RULE = "outside_direct_settlement"
SOURCE = "人力资源社会保障部 财政部《关于开展工伤保险跨省异地就医直接结算试点工作的通知》（2024）：住院伙食补助费、转诊交通食宿费不纳入直接结算，由参保地报销"
TRAVEL_WORDS = ("交通费", "差旅费", "住宿费", "路费")


def is_travel(line: BillLineIn) -> bool:
    return any(word in line.name for word in TRAVEL_WORDS)


def check(lines: list[BillLineIn], encounter: EncounterIn) -> list[Flag]:
    if not encounter.cross_province:
        return []
    flags = []
    for line in lines:
        if line.category != "meal" and not is_travel(line):
            continue
        amount = to_fen(line.amount)
        what = "伙食补助费" if line.category == "meal" else "交通食宿费"
        flags.append(Flag(
            rule=RULE, line_nos=(line.line_no,), amount=amount, source=SOURCE,
            reason=(f"第{line.line_no}行“{line.name}”属于{what}，跨省异地就医不直接结算，该行{yuan(amount)}"
                    f"请凭票据回参保地申请报销。")))
    return flags
