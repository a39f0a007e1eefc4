"""Pure case rules: numbering, the status transition table, the green-channel promise."""

from .choices import CaseStatus

CASE_NUMBER_PREFIX = "GS"

# One transition table for InjuryCase.status (DESIGN: one table, one helper that checks it).
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.REPORTED: frozenset({CaseStatus.OPENED, CaseStatus.CLOSED}),
    CaseStatus.OPENED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}

# Seed 000 (青岛 工伤快报): a case reported through the quick report and marked 绿色通道 is a
# simple case whose recognition is decided within 5 working days of acceptance (受理后5个工作日内).
GREEN_CHANNEL_DECISION_WORKDAYS = 5


def case_number(region: str, year: int, sequence: int) -> str:
    """GS370200-2026-000123: readable, sequential per 统筹区 and year."""
    if not (len(region) == 6 and region.isdigit()):
        raise ValueError(f"invalid region code: {region!r}")
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{CASE_NUMBER_PREFIX}{region}-{year:04d}-{sequence:06d}"


def can_transition(current: str, target: str) -> bool:
    return str(target) in TRANSITIONS.get(str(current), frozenset())
