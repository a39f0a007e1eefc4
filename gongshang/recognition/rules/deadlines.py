"""The agency's deadlines for a recognition application, as specs for the one deadline engine
(core.workdays): a length, a unit and the source.

- acceptance (是否受理): 15 days from receipt of the application (认定办法 第八条);
- decision: 60 days from acceptance; 15 days when the facts are clear and the rights and duties
  plain (60 days: 条例 第二十条 第一款; 15 days: 第二款); suspended (中止) while a judicial or administrative
  conclusion is awaited (第三款): the engine stops the clock;
- green channel (绿色通道, a simple case from a quick report): 5 working days from acceptance
  (seed 000, 青岛);
- delivery of the decision: 20 days from the decision (认定办法 第二十二条);
- a jurisdiction may promise less (seed 004, 曲阜: acceptance 3 days, clear cases 7 days); a
  local promise never lengthens the statutory period.
"""

from dataclasses import dataclass

from gongshang.core.workdays.rules import NATURAL, WORKING


@dataclass(frozen=True)
class DeadlineSpec:
    length: int
    unit: str
    basis: str


ACCEPTANCE = DeadlineSpec(15, NATURAL, "认定办法第八条：收到申请之日起15日内决定是否受理")
DECISION = DeadlineSpec(60, NATURAL, "条例第二十条第一款：受理之日起60日内作出认定决定")
SIMPLE_DECISION = DeadlineSpec(15, NATURAL, "条例第二十条第二款：事实清楚、权利义务明确的，15日内作出认定决定")
GREEN_CHANNEL_DECISION = DeadlineSpec(5, WORKING, "绿色通道简易案件：受理后5个工作日内作出认定（快报绿色通道）")
DELIVERY = DeadlineSpec(20, NATURAL, "认定办法第二十二条：作出决定之日起20日内送达")
APPEAL_REVIEW_DAYS = 60  # 行政复议法 第二十条: 知道之日起60日内申请行政复议
APPEAL_LITIGATION_MONTHS = 6  # 行政诉讼法 第四十六条: 知道之日起6个月内提起行政诉讼


@dataclass(frozen=True)
class LocalPromise:
    """A jurisdiction's faster promise (JurisdictionSetting); None fields use the statute."""

    acceptance_days: int | None = None
    decision_days: int | None = None
    simple_decision_days: int | None = None
    name: str = ""


def _shorter(spec: DeadlineSpec, days: int | None, name: str) -> DeadlineSpec:
    if days is None or spec.unit != NATURAL or days >= spec.length or days < 1:
        return spec
    return DeadlineSpec(days, NATURAL, f"{name}承诺时限：{days}日（法定{spec.length}日，{spec.basis}）")


def acceptance_spec(local: LocalPromise | None = None) -> DeadlineSpec:
    local = local or LocalPromise()
    return _shorter(ACCEPTANCE, local.acceptance_days, local.name)


def decision_spec(*, simple: bool, green_channel: bool, local: LocalPromise | None = None) -> DeadlineSpec:
    """The decision period that applies: green channel < simple < general, local promises first."""
    local = local or LocalPromise()
    if green_channel:
        return GREEN_CHANNEL_DECISION
    if simple:
        return _shorter(SIMPLE_DECISION, local.simple_decision_days, local.name)
    return _shorter(DECISION, local.decision_days, local.name)


URGENT_DAYS = 3


def urgency(days_left: int | None) -> str:
    """Colour class of a due date in staff lists: overdue (red), urgent (≤3 days, orange), ok, paused."""
    if days_left is None:
        return "paused"
    if days_left < 0:
        return "overdue"
    if days_left <= URGENT_DAYS:
        return "urgent"
    return "ok"
