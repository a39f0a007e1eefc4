"""挂床住院: an inpatient stay with no drug, service or material line in its first hours.

The window is half-open: [admitted_at, admitted_at + idle_stay_hours). A treatment line at exactly
admitted_at + 48 h is outside it (it is not "within the first 48 hours"); one at 47 h 59 min is
inside. A stay with no treatment line in the window is flagged even when it ended earlier. The
bed and meal lines of the window are withheld in full, pending the reviewer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from .common import SHANGHAI, cn_date, local_date, to_fen, yuan
from .inputs import STAY_CATEGORIES, TREATMENT_CATEGORIES, BillLineIn, EncounterIn, Flag, Params

RULE = "idle_stay"
SOURCE = "《工伤保险条例》第三十条；工伤保险协议机构服务协议（挂床住院：入院后规定时限内无实质性检查、治疗），时限为统筹区参数"


def check(lines: list[BillLineIn], encounter: EncounterIn, params: Params) -> list[Flag]:
    if encounter.kind != "inpatient":
        return []
    hours = params.idle_stay_hours
    end = encounter.admitted_at + timedelta(hours=hours)
    in_window = [line for line in lines if line.occurred_at < end]
    if any(line.category in TREATMENT_CATEGORIES for line in in_window):
        return []
    held = [line for line in in_window if line.category in STAY_CATEGORIES]
    amount = to_fen(sum((line.amount for line in held), Decimal(0)))
    return [Flag(
        rule=RULE, line_nos=tuple(line.line_no for line in held), amount=amount, source=SOURCE,
        encounter_level=True,
        reason=(f"入院后{hours}小时内（至{end.astimezone(SHANGHAI):%H:%M}，{cn_date(local_date(end))}前）没有药品、诊疗项目或耗材费用，只有床位费、伙食费，"
                f"疑似挂床住院；该时段的床位费、伙食费共{len(held)}行{yuan(amount)}暂不予支付，待审核确认。"))]
