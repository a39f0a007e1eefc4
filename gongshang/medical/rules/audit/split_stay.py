"""分解住院: readmission with the same main diagnosis within N calendar days of the last discharge.

Days are calendar days (Asia/Shanghai) from the discharge date to the admission date: discharged
on 3 March and readmitted on 18 March is 15 days. Day N is flagged, day N + 1 is not. Nothing is
deducted automatically: the flag is for the reviewer (amount 0)."""

from __future__ import annotations

from decimal import Decimal

from .common import cn_date, local_date
from .inputs import EncounterIn, Flag, Params, PreviousStay

RULE = "split_stay"
SOURCE = "工伤保险协议机构服务协议（分解住院）；再入院判定天数为统筹区参数（默认15天）"


def check(encounter: EncounterIn, previous_stays: list[PreviousStay], params: Params) -> list[Flag]:
    if encounter.kind != "inpatient" or not encounter.main_diagnosis_code:
        return []
    admitted = local_date(encounter.admitted_at)
    best = None
    for stay in previous_stays:
        if stay.main_diagnosis_code != encounter.main_diagnosis_code or stay.discharged_at is None:
            continue
        if stay.discharged_at > encounter.admitted_at:
            continue
        days = (admitted - local_date(stay.discharged_at)).days
        if 0 <= days <= params.readmission_days and (best is None or days < best[0]):
            best = (days, stay)
    if best is None:
        return []
    days, stay = best
    return [Flag(
        rule=RULE, amount=Decimal("0.00"), line_nos=(), source=SOURCE, encounter_level=True,
        reason=(f"上次以相同主诊断（{encounter.main_diagnosis_code}）住院于{cn_date(local_date(stay.discharged_at))}出院，"
                f"本次相隔{days}天再次入院（{params.readmission_days}天内），疑似分解住院；"
                f"本提示不自动扣减，由审核人员核实。"))]
