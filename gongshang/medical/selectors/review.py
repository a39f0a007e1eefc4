"""Reads of the review desk and the monthly statements, each from restrict(actor, ...)."""

from datetime import date

from django.db.models import Count, Sum
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.core.workdays.calendar import compute_due_date, days_left
from gongshang.core.workdays.rules import WORKING, PeriodError

from ..choices import EncounterStatus
from ..models import Encounter, InstitutionStatement
from .institutions import setting_for

QUEUE_STATUSES = (EncounterStatus.SETTLED, EncounterStatus.QUERIED)


def review_working_days(region: str, on: date) -> int:
    """The region's 费用审核时限 in working days valid on `on` (MedicalSetting; default 20)."""
    return setting_for(region, on).review_working_days


def review_queue(*, actor, flagged_only: bool = False):
    """Bills waiting for review in the actor's region: flagged first, oldest settlement first."""
    rows = (restrict(actor, Encounter.objects.select_related("institution", "case"), "queue")
            .filter(status__in=QUEUE_STATUSES))
    if flagged_only:
        rows = rows.filter(flagged=True)
    return rows.annotate(flag_count=Count("flags")).order_by("-flagged", "settled_at", "pk")


def with_due_dates(encounters) -> list:
    """Set `review_due` and `review_days_left` on each row of one page (the working-day engine runs
    for those rows only; one setting lookup per region and settlement day)."""
    rows = list(encounters)
    cache: dict = {}
    for e in rows:
        settled_on = timezone.localdate(e.settled_at) if e.settled_at else None
        e.review_due = e.review_days_left = None
        if settled_on is None:
            continue
        key = (e.region, settled_on)
        if key not in cache:
            try:
                cache[key] = compute_due_date(settled_on, review_working_days(e.region, settled_on), WORKING).first_due
            except PeriodError:
                cache[key] = None
        e.review_due = cache[key]
        e.review_days_left = days_left(e.review_due) if e.review_due else None
    return rows


def previous_stays(*, actor, encounter: Encounter, limit: int = 10):
    """The same case's other stays (分解住院 and repeat services read against them)."""
    return (restrict(actor, Encounter.objects.select_related("institution"), "view")
            .filter(case_id=encounter.case_id).exclude(pk=encounter.pk).order_by("-admitted_at")[:limit])


def statement_list(*, actor, period: date | None = None, institution_id: int | None = None):
    rows = restrict(actor, InstitutionStatement.objects.select_related("institution"), "view")
    if period:
        rows = rows.filter(period=period)
    if institution_id:
        rows = rows.filter(institution_id=institution_id)
    return rows.order_by("-period", "institution__code")


def statement_months(*, actor) -> list[dict]:
    """Per month: how many statements and their totals (the list page's summary)."""
    return list(restrict(actor, InstitutionStatement, "view").values("period").annotate(
        count=Count("pk"), fund=Sum("fund_amount"), deducted=Sum("deducted_amount"), payable=Sum("payable"))
        .order_by("-period"))
