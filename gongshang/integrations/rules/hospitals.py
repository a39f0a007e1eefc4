"""入出院通知: which open injury case a hospital notice belongs to (pure: dates and ids in, a choice out).

A worker admitted to hospital for the injury of an open case: the notice belongs to the most recent
open case of that person whose accident happened on or before the day of admission (an admission
before the accident cannot be for it). A discharge belongs to the case its admission at the same
hospital was linked to, when there is one: the stay is one stay, whatever happened to other cases
in between; a stay is its latest admission at that hospital on or before the discharge (an earlier
stay's admission is not this discharge's), and one dismissed by staff leaves its discharge unlinked.
"""

from dataclasses import dataclass
from datetime import date

ADMISSION = "admission"
DISCHARGE = "discharge"

# What the partner may write in the `kind` column (format v1.0): Chinese or English, any case.
KIND_WORDS = {"入院": ADMISSION, "admission": ADMISSION, "出院": DISCHARGE, "discharge": DISCHARGE}
KIND_LABELS = {ADMISSION: "入院", DISCHARGE: "出院"}

# Who the case timeline names as the source of an automatic link (卫健: the health commission).
SOURCE_LABEL = "卫健"


@dataclass(frozen=True)
class Candidate:
    """One open injury case of the notice's person."""

    case_id: int
    number: str
    accident_date: date


@dataclass(frozen=True)
class Choice:
    case_id: int | None
    note: str                 # why this case (or why none), kept on the notice for staff


def kind_of(word: str) -> str | None:
    """The notice kind for the `kind` column's text, None when it is neither."""
    return KIND_WORDS.get(str(word or "").strip().lower())


def timeline_text(hospital_name: str, kind: str, event_date: date) -> str:
    """The case timeline line of a linked notice: 卫健：青岛市市立医院 入院 2026-03-02."""
    return f"{SOURCE_LABEL}：{hospital_name} {KIND_LABELS.get(kind, kind)} {event_date.isoformat()}"


def choose_case(candidates: list[Candidate], event_date: date, *, kind: str = ADMISSION,
                admission_case_id: int | None = None, admission_dismissed: bool = False) -> Choice:
    """The case to link a notice to, and why.

    `admission_case_id`: for a discharge, the case its admission at the same hospital is linked to;
    `admission_dismissed`: that admission was dismissed by staff (the stay has nothing to do with a
    work injury, so its discharge is not linked behind their back).
    """
    if kind == DISCHARGE and admission_case_id is not None:
        return Choice(admission_case_id, "与同一医院的入院通知关联同一工伤案件")
    if kind == DISCHARGE and admission_dismissed:
        return Choice(None, "同一医院的入院通知已核查排除（与工伤无关），出院通知未自动关联，请核查")
    if not candidates:
        return Choice(None, "该人员在本统筹区没有在办的工伤案件")
    eligible = [c for c in candidates if c.accident_date <= event_date]
    if not eligible:
        return Choice(None, f"该人员在办工伤案件的事故日期均晚于{KIND_LABELS.get(kind, '')}日期，未关联")
    chosen = max(eligible, key=lambda c: (c.accident_date, c.case_id))
    if len(eligible) == 1:
        return Choice(chosen.case_id, f"关联该人员唯一的在办工伤案件（事故日期 {chosen.accident_date.isoformat()}）")
    return Choice(chosen.case_id, f"该人员有 {len(eligible)} 件事故日期不晚于{KIND_LABELS.get(kind, '')}日期的在办工伤案件，"
                                  f"关联事故日期最近的 {chosen.number}（事故日期 {chosen.accident_date.isoformat()}）")
