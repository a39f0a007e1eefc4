"""Due dates of an appraisal application through the one deadline engine (core.workdays) and the
specs in rules/deadlines.py: completeness check, conclusion (extended once, 顺延 by postponements),
delivery; and the applicant's own periods (再次鉴定 within 15 days, 复查 after one year). The
results are stored on the row (`completeness_due`, `conclusion_due`, `delivery_due`, `due_on`) by
`services.transition.refresh_due`, so lists sort and filter in SQL."""

from dataclasses import dataclass
from datetime import date

from gongshang.core.workdays.calendar import compute_due_date, days_left

from .rules import deadlines, workflow


@dataclass(frozen=True)
class Due:
    key: str          # completeness | conclusion | delivery
    label: str
    due: date | None
    basis: str
    provisional: bool
    met: bool
    met_on: date | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return not self.met and self.days_left is not None and self.days_left < 0


def _due(key, label, start, spec, *, met_on) -> Due:
    result = compute_due_date(start, spec.length, spec.unit)
    due = result.first_due
    return Due(key=key, label=label, due=due, basis=spec.basis, provisional=result.provisional,
               met=met_on is not None, met_on=met_on, days_left=None if met_on else days_left(due))


def completeness_due(application) -> Due | None:
    if application.received_on is None:
        return None
    # only a decision on the current submission meets the check: after a correction notice the
    # resubmission restarts the 5 working days (鉴定办法 第九条), the old notice does not count
    received = application.received_on
    met_on = next((d for d in (application.accepted_on, application.correction_notified_on)
                   if d is not None and d >= received), None)
    return _due("completeness", "材料审核时限", application.received_on, deadlines.COMPLETENESS, met_on=met_on)


def conclusion_due(application) -> Due | None:
    """Started once the application is accepted, counted from the day the complete application was
    received (the submission that was accepted, 条例 第二十五条: 自收到劳动能力鉴定申请之日起60日内),
    not from the day staff got round to accepting it."""
    if application.accepted_on is None:
        return None
    spec = deadlines.conclusion_spec(extended=bool(application.extended_on),
                                     postponed_days=application.postponed_days)
    start = application.received_on or application.accepted_on
    return _due("conclusion", "作出结论时限", start, spec, met_on=application.concluded_on)


def delivery_due(application) -> Due | None:
    if application.concluded_on is None:
        return None
    return _due("delivery", "送达时限", application.concluded_on, deadlines.DELIVERY, met_on=application.delivered_on)


def all_due(application) -> list[Due]:
    """Every deadline that has started, in order (what every page shows)."""
    return [d for d in (completeness_due(application), conclusion_due(application), delivery_due(application)) if d]


def current_due(application) -> Due | None:
    """What the agency owes next (None when nothing is owed)."""
    status = application.status
    if status == workflow.SUBMITTED:
        return completeness_due(application)
    if status in workflow.AWAITING_CONCLUSION:
        return conclusion_due(application)
    if status == workflow.CONCLUDED:
        return delivery_due(application)
    return None


def stored_fields(application) -> dict:
    """The stored deadline columns of `application` (refreshed at every change and nightly)."""
    completeness, conclusion, delivery = (completeness_due(application), conclusion_due(application),
                                          delivery_due(application))
    current = current_due(application)
    return {
        "completeness_due": completeness.due if completeness else None,
        "conclusion_due": conclusion.due if conclusion else None,
        "delivery_due": delivery.due if delivery else None,
        "due_on": current.due if current else None,
        "due_label": current.label if current else "",
    }
