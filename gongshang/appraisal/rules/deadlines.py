"""The deadlines of 劳动能力鉴定, as specs for the one deadline engine (core.workdays).

- completeness (材料审核): within 5 working days of receiving the application, decide whether the
  materials are complete and tell everything missing at once (鉴定办法 第九条);
- conclusion: within 60 days of receiving a complete application; extendable once by 30 days
  when the case is complex, with a recorded reason (条例 第二十五条 第二款);
- a postponement asked for by the worker (illness, hospital stay) moves the conclusion deadline by
  the same number of days (顺延);
- delivery: within 20 days of the conclusion (鉴定办法 第十五条);
- 再次鉴定: within 15 days of receiving the conclusion (条例 第二十六条);
- 复查鉴定: not earlier than one year after the conclusion (条例 第二十八条).
"""

from dataclasses import dataclass
from datetime import date

from gongshang.core.workdays.rules import NATURAL, WORKING


@dataclass(frozen=True)
class DeadlineSpec:
    length: int
    unit: str
    basis: str


COMPLETENESS = DeadlineSpec(5, WORKING, "鉴定办法第九条：收到申请之日起5个工作日内审核材料，材料不完整的一次性书面告知补正")
CONCLUSION = DeadlineSpec(60, NATURAL, "条例第二十五条第二款：收到鉴定申请之日起60日内作出鉴定结论")
EXTENSION_DAYS = 30
EXTENDED_BASIS = "条例第二十五条第二款：情况复杂的，作出鉴定结论的期限可以延长30日（限一次）"
DELIVERY = DeadlineSpec(20, NATURAL, "鉴定办法第十五条：作出鉴定结论之日起20日内送达")
SECOND_FILING = DeadlineSpec(15, NATURAL, "条例第二十六条：收到鉴定结论之日起15日内可向省级鉴定委员会申请再次鉴定")
REVIEW_WAIT_YEARS = 1
REVIEW_BASIS = "条例第二十八条：自鉴定结论作出之日起1年后，认为伤残情况发生变化的，可以申请劳动能力复查鉴定"
POSTPONE_BASIS = "经工伤职工申请顺延的，作出鉴定结论的期限相应顺延"


def conclusion_spec(*, extended: bool, postponed_days: int = 0) -> DeadlineSpec:
    """60 days; +30 once when extended (条例 第二十五条); + the days postponed at the worker's request."""
    length = CONCLUSION.length + (EXTENSION_DAYS if extended else 0) + max(0, int(postponed_days or 0))
    basis = EXTENDED_BASIS if extended else CONCLUSION.basis
    if postponed_days:
        basis = f"{basis}；{POSTPONE_BASIS}（{postponed_days}日）"
    return DeadlineSpec(length, NATURAL, basis)


def review_earliest(concluded_on: date) -> date:
    """The first day a 复查鉴定 may be filed: one year after the conclusion (条例 第二十八条);
    a conclusion of 29 February counts to 28 February (民法典 第二百零二条: the corresponding day,
    or the last day of the month when there is none)."""
    try:
        return concluded_on.replace(year=concluded_on.year + REVIEW_WAIT_YEARS)
    except ValueError:
        return concluded_on.replace(year=concluded_on.year + REVIEW_WAIT_YEARS, day=28)
