"""Due dates of an application, through the one deadline engine (core.workdays) and the specs in
rules/deadlines.py: acceptance, decision (with 中止 stopping the clock), delivery. Also the
application period shown to the applicant (rules/periods.py) and the jurisdiction's promises."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from gongshang.core.workdays.calendar import ChineseCalendar, compute_due_date, days_left

from .models import JurisdictionSetting, RecognitionApplication
from .rules import codes, deadlines, periods, workflow


@dataclass(frozen=True)
class Due:
    key: str  # acceptance | decision | delivery
    label: str
    due: date | None
    days_left: int | None
    provisional: bool
    paused: bool
    basis: str
    urgency: str
    earliest: date | None = None  # provisional: the earlier candidate date, when it differs from `due`
    met: bool = False  # the step was done: the clock stopped, nothing counts down any more
    met_on: date | None = None

    @property
    def in_time(self) -> bool:
        return self.met and (self.met_on is None or self.due is None or self.met_on <= self.due)


# Within `shared_lookups()`: settings and engine results by their arguments, so a refresh of many
# rows asks the database once per distinct (region, day) and start date, not once per row.
_memo: ContextVar[dict | None] = ContextVar("recognition_deadline_memo", default=None)


@contextmanager
def shared_lookups():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _remembered(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def local_setting(region: str, on: date) -> JurisdictionSetting | None:
    """The setting in force on `on` for the handling region, else for its 统筹区."""
    return _remembered(("setting", region, on), lambda: _local_setting(region, on))


def _local_setting(region: str, on: date) -> JurisdictionSetting | None:
    for code in dict.fromkeys([region, _pooling(region)]):
        if not code:
            continue
        row = (JurisdictionSetting.objects.filter(region=code, valid_from__lte=on)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first())
        if row is not None:
            return row
    return None


def _pooling(region: str) -> str:
    from gongshang.core.regions import pooling_region_of

    return pooling_region_of(region) or "" if region else ""


def local_promise(application: RecognitionApplication, on: date) -> deadlines.LocalPromise | None:
    row = local_setting(application.handling_region or application.region, on)
    if row is None:
        return None
    return deadlines.LocalPromise(acceptance_days=row.acceptance_days, decision_days=row.decision_days,
                                  simple_decision_days=row.simple_decision_days, name=row.name)


def _due(key: str, label: str, start: date, spec: deadlines.DeadlineSpec, suspensions=(), *,
         met: bool = False, met_on: date | None = None) -> Due:
    suspensions = list(suspensions)
    result = _remembered(("due", start, spec.length, spec.unit, tuple(suspensions)),
                         lambda: compute_due_date(start, spec.length, spec.unit, suspensions))
    if met:
        return Due(key=key, label=label, due=result.due, days_left=None, provisional=False, paused=False,
                   basis=spec.basis, urgency="met", met=True, met_on=met_on)
    # The agency's own deadline: counted down to the earlier candidate date while it is provisional,
    # so staff are never told they have days that the year's holiday notice may take away.
    left = days_left(result.first_due)
    return Due(key=key, label=label, due=result.due, days_left=left, provisional=result.provisional,
               paused=result.paused, basis=spec.basis, urgency=deadlines.urgency(left), earliest=result.earliest)


def suspension_periods(application) -> list[tuple[date, date | None]]:
    """(first, last) suspended day, both counted out; a suspension lifted the day it began
    (ended_on before started_on) stopped no day."""
    return [(s.started_on, s.ended_on) for s in application.suspensions.all()
            if s.ended_on is None or s.ended_on >= s.started_on]


def acceptance_due(application) -> Due | None:
    if application.received_on is None:
        return None
    spec = deadlines.acceptance_spec(local_promise(application, application.received_on))
    met = application.accepted_on is not None or application.status == workflow.NOT_ACCEPTED
    return _due("acceptance", "受理时限", application.received_on, spec, met=met, met_on=application.accepted_on)


def decision_due(application) -> Due | None:
    if application.accepted_on is None:
        return None
    green = bool(application.from_quick_report and application.case.green_channel)
    spec = deadlines.decision_spec(simple=application.simple_procedure, green_channel=green,
                                   local=local_promise(application, application.accepted_on))
    return _due("decision", "认定时限", application.accepted_on, spec, suspension_periods(application),
                met=application.decided_on is not None, met_on=application.decided_on)


def delivery_due(application) -> Due | None:
    if application.decided_on is None:
        return None
    return _due("delivery", "送达时限", application.decided_on, deadlines.DELIVERY,
                met=application.delivered_on is not None, met_on=application.delivered_on)


def all_due(application) -> dict[str, Due | None]:
    return {"acceptance": acceptance_due(application), "decision": decision_due(application),
            "delivery": delivery_due(application)}


def current_due(application) -> Due | None:
    """What the agency owes next, for lists and the `due_on` column (None when nothing is owed)."""
    status = application.status
    if status in workflow.AWAITING_ACCEPTANCE:
        return acceptance_due(application)
    if status in workflow.AWAITING_DECISION:
        return decision_due(application)
    if status == workflow.DECIDED:
        return delivery_due(application)
    return None


def stored_fields(application) -> dict:
    """The columns lists read instead of computing per row: the next due date (the earlier
    candidate while the year's holidays are not entered: the agency's own deadline), what it is
    for, and whether it may still move."""
    due = current_due(application)
    return {"due_on": (due.earliest or due.due) if due else None, "due_label": due.label if due else "",
            "due_provisional": bool(due and due.provisional)}


def period_start(application) -> date | None:
    if application.circumstance == codes.OCCUPATIONAL_DISEASE and application.diagnosed_on:
        return application.diagnosed_on
    if application.accident_at is None:
        return None
    return timezone.localtime(application.accident_at).date()


def application_period(application, filed_on: date | None = None) -> periods.PeriodResult | None:
    start = period_start(application)
    if start is None or not application.applicant_kind:
        return None
    filed_on = filed_on or application.received_on or timezone.localdate()
    return periods.application_period(start, application.applicant_kind, filed_on, ChineseCalendar(),
                                      extension_recorded=bool(application.period_extension_reason))
