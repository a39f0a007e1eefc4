"""Pure case rules: numbering, the status workflow, the green-channel promise."""

from gongshang.core.workflow import Workflow, step

from .choices import CaseStatus

CASE_NUMBER_PREFIX = "GS"

# The one transition table of InjuryCase.status (DESIGN convention 4); actions are the matrix's
# "case" actions. A case follows its quick report or its recognition application: 立案 when either
# is taken up, 关闭 when the report is closed as invalid (or the only application is deleted).
WORKFLOW = Workflow(
    kind="case",
    steps={
        "open": step(CaseStatus.REPORTED, CaseStatus.OPENED),
        "close": step((CaseStatus.REPORTED, CaseStatus.OPENED), CaseStatus.CLOSED),
        # 绿色通道 is a flag, not a status: a closed case cannot have it.
        "green_channel": step((CaseStatus.REPORTED, CaseStatus.OPENED), None),
    },
    statuses=tuple(CaseStatus.values),
)

# Seed 000 (青岛 工伤快报): a case reported through the quick report and marked 绿色通道 is a
# simple case whose recognition is decided within 5 working days of acceptance (受理后5个工作日内).
GREEN_CHANNEL_DECISION_WORKDAYS = 5


def case_number(region: str, year: int, sequence: int) -> str:
    """GS370200-2026-000123: readable, sequential per 统筹区 and year."""
    if not (len(region) == 6 and region.isascii() and region.isdigit()):
        raise ValueError(f"invalid region code: {region!r}")
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{CASE_NUMBER_PREFIX}{region}-{year:04d}-{sequence:06d}"

