"""好差评 rules (pure: no Django): the five levels, which rating is bad and opens a follow-up, when a
matter counts as finished, how a follow-up is timed, and the report's figures.

国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》: the applicant rates each
matter after it is handled (办结后评价), on five levels — 非常满意, 满意, 基本满意, 不满意, 非常不满意;
every bad rating given under a real name is verified, put right and answered (回访整改反馈, 实名差评
回访整改率 100%), within a time the region sets (many provinces: 15 working days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MIN_SCORE, MAX_SCORE = 1, 5
COMMENT_MAX = 500
OUTCOME_MAX = 1000
NOTE_MAX = 500

# 国办发〔2019〕51号: the five levels of a rating, best first.
LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

# 国办发〔2019〕51号: “不满意”“非常不满意” are 差评; “非常满意”“满意” count as 好评 in the report.
BAD_SCORES = frozenset({1, 2})
GOOD_SCORES = frozenset({4, 5})

# When a matter counts as finished (办结) and may be rated: the statuses of each workflow after its
# decision. 工伤保险条例 第二十条 (认定决定), 第二十五条 (鉴定结论); 待遇: an approved entitlement.
RECOGNITION_FINISHED = frozenset({"decided", "delivered"})
APPRAISAL_FINISHED = frozenset({"concluded", "delivered"})
WINDOW_FINISHED = frozenset({"closed", "follow_ons_created"})
TICKET_FINISHED = frozenset({"closed"})
ENTITLEMENT_APPROVED = frozenset({"active", "suspended", "stopped"})

ON_TIME, LATE, OPEN, OVERDUE = "on_time", "late", "open", "overdue"
TIMELINESS_LABELS = {ON_TIME: "按时办结", LATE: "超期办结", OPEN: "整改中", OVERDUE: "已超期未办结"}


def is_valid_score(score) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and MIN_SCORE <= score <= MAX_SCORE


def level_label(score: int) -> str:
    """The level's name for a score of 1 to 5 (国办发〔2019〕51号)."""
    return LEVELS[score]


def opens_follow_up(score: int) -> bool:
    """A bad rating (不满意, 非常不满意) opens a follow-up (差评回访整改)."""
    return score in BAD_SCORES


def is_good(score: int) -> bool:
    return score in GOOD_SCORES


def score_error(score) -> str | None:
    """The Chinese message for a score that is not one of the five levels, else None."""
    if is_valid_score(score):
        return None
    return "请选择 1 到 5 分（1 非常不满意，5 非常满意）。"


def text_error(value: str, *, limit: int, label: str, required: bool = False) -> str | None:
    text = (value or "").strip()
    if "\x00" in text:
        return f"{label}包含不可见的控制字符，请删除后重新提交。"
    if required and not text:
        return f"请填写{label}。"
    if len(text) > limit:
        return f"{label}最多 {limit} 个字，请删减后重新提交。"
    return None


def timeliness(due: date, closed_on: date | None, today: date) -> str:
    """A follow-up's standing: closed by its due date (on time) or after it (late); still open
    within its time, or past it (overdue)."""
    if closed_on is not None:
        return ON_TIME if closed_on <= due else LATE
    return OPEN if today <= due else OVERDUE


def share(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, half-up; None when there is nothing to divide."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(total: int, count: int) -> Decimal | None:
    """The mean score with two decimals, half-up; None without ratings."""
    if count <= 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """One line of the report: the counts the database returns, the shares and mean derived here."""

    count: int
    score_total: int
    good: int
    bad: int
    follow_ups_on_time: int
    follow_ups_late: int
    follow_ups_open: int
    follow_ups_overdue: int = 0  # of the open ones, those past their due date

    @property
    def average(self) -> Decimal | None:
        return average(self.score_total, self.count)

    @property
    def good_share(self) -> Decimal | None:
        return share(self.good, self.count)

    @property
    def bad_share(self) -> Decimal | None:
        return share(self.bad, self.count)

    @property
    def follow_ups(self) -> int:
        return self.follow_ups_on_time + self.follow_ups_late + self.follow_ups_open

    @property
    def on_time_share(self) -> Decimal | None:
        """Of the follow-ups closed, the share closed on time (整改按时办结率)."""
        return share(self.follow_ups_on_time, self.follow_ups_on_time + self.follow_ups_late)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


def _values(f: Figures) -> tuple[int, ...]:
    return (f.count, f.score_total, f.good, f.bad, f.follow_ups_on_time, f.follow_ups_late, f.follow_ups_open,
            f.follow_ups_overdue)


ZERO = Figures(0, 0, 0, 0, 0, 0, 0, 0)
