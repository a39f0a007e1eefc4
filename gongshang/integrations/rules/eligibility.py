"""待遇领取资格认证 (yearly benefit eligibility) as pure rules: when a beneficiary's certification is
due, which data proves that the beneficiary is alive, when to remind. No Django, no database.

Who is asked: every beneficiary of a monthly benefit the fund pays (伤残津贴, 生活护理费, 供养亲属抚恤金,
伤残津贴与基本养老金差额), once a year, on the anniversary of the first month of their first monthly
benefit (the 1st of that month).

Data first (静默认证): 潍坊 shares 人口信息、住院信息、死亡信息、社保信息 with 公安、卫健、民政、医保 and
compares them automatically (潍坊市人社局，《潍坊市工伤鉴定“加减乘除”》). What the comparison accepts is
what shows the beneficiary in person somewhere recently:
- a hospital admission or discharge reported by 卫健 (住院信息: HospitalNotice), whatever the
  illness, work-related or not;
- a stay or visit settled at a 工伤协议机构 (the platform's own medical encounters);
- a 劳动能力鉴定 exam at which staff checked the worker's identity against the person present.
What it does not accept: money. A payment credited to the beneficiary's account (this fund's or
another benefit's) and contributions an employer declares go on after a death until somebody reports
it; they show that an account or a payroll exists, not that the person is alive. A recorded death
(死亡信息 from 民政 or 公安, not refuted) is never confirmed, by data or by anyone.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Defaults; the platform reads settings ELIGIBILITY_REMINDER_DAYS, ELIGIBILITY_HORIZON_DAYS,
# ELIGIBILITY_EVIDENCE_MONTHS (services/eligibility_cycle.py).
REMINDER_DAYS = (30, 7)         # reminders this many days before the due date, once each
HORIZON_DAYS = 60               # a certification is opened this many days before it is due
EVIDENCE_MONTHS = 6             # data younger than this confirms

LAPSE_NOTE = "逾期未进行待遇领取资格认证"  # the suspension's note: what resumes on confirmation

# Sources of data that show the beneficiary in person (see the module docstring).
HOSPITAL_NOTICE = "hospital_notice"
MEDICAL_ENCOUNTER = "medical_encounter"
APPRAISAL_EXAM = "appraisal_exam"
PROOF_OF_LIFE = {
    HOSPITAL_NOTICE: "卫健委入出院信息",
    MEDICAL_ENCOUNTER: "工伤协议机构就诊结算",
    APPRAISAL_EXAM: "劳动能力鉴定现场核验身份",
}
# Data the comparison sees but never accepts, and why (shown in the docs, tested).
NOT_PROOF = {
    "payment": "待遇到账只说明账户在用，不能证明本人在世",
    "contribution": "缴费由单位申报，人员死亡后可能未及时停报",
}


@dataclass(frozen=True)
class Evidence:
    """One datum found for a beneficiary: its source, its date and the record it comes from
    ("app.model:pk"); nothing else about the person."""

    source: str
    on: date
    record: str

    def as_dict(self) -> dict:
        return {"source": self.source, "label": PROOF_OF_LIFE.get(self.source, self.source),
                "date": self.on.isoformat(), "record": self.record}


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = year + day.year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anniversary(first_start: date, year: int) -> date:
    """The due date of `year`: the 1st of the month the first monthly benefit started, in `year`."""
    return date(year, first_start.month, 1)


def year_to_open(first_start: date, approved_on: date, today: date, horizon: int = HORIZON_DAYS) -> int | None:
    """The year whose certification opens today, or None. A year opens once its anniversary is at
    most `horizon` days away; never the year the benefit started, and never for an anniversary
    that came before the benefit was approved (staff had just checked everything)."""
    for year in (today.year, today.year + 1):
        due = anniversary(first_start, year)
        if year > first_start.year and due > approved_on and today <= due <= today + timedelta(days=horizon):
            return year
    return None


def due_date(first_start: date, year: int, *, opened_on: date, notice_days: int) -> date:
    """The anniversary, or later: a certification opened late (a benefit approved a few days
    before its anniversary) still leaves the beneficiary the first reminder's notice."""
    return max(anniversary(first_start, year), opened_on + timedelta(days=notice_days))


def reminder_step(due_on: date, today: date, last_reminded_on: date | None,
                  steps: Iterable[int] = REMINDER_DAYS) -> int | None:
    """The reminder to send today (its days before the due date), or None. A step is reached
    `step` days before the due date and sent once; a certification opened after several steps
    were reached gets one reminder, the nearest step's."""
    days_left = (due_on - today).days
    reached = [s for s in steps if 0 <= days_left <= s]
    if not reached:
        return None
    step = min(reached)
    if last_reminded_on is not None and last_reminded_on >= due_on - timedelta(days=step):
        return None
    return step


def is_overdue(due_on: date, today: date) -> bool:
    """The due date is the last day to certify: lapsed from the day after."""
    return today > due_on


def confirming_evidence(found: Iterable[Evidence], *, today: date, death_recorded: bool,
                        months: int = EVIDENCE_MONTHS) -> Evidence | None:
    """The newest datum that proves the beneficiary alive: a source in PROOF_OF_LIFE, dated within
    the last `months` months and not in the future. None after a recorded death, whatever else."""
    if death_recorded:
        return None
    earliest = add_months(today, -months)
    accepted = [e for e in found if e.source in PROOF_OF_LIFE and earliest <= e.on <= today]
    return max(accepted, key=lambda e: (e.on, e.record), default=None)


def names_match(registered: str, given: str) -> bool:
    """The name given in person against the registered one: spaces and the middle dot of minority
    names (·, •, ・) are ignored, nothing else."""
    def clean(value: str) -> str:
        return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in "·•・.")
    return bool(clean(given)) and clean(registered) == clean(given)
