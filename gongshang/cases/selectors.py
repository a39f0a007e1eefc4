"""Case reads, scoped by the actor: staff their 统筹区, employers their own, individuals theirs."""

from gongshang.accounts.permissions import get_scoped_or_404, restrict
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import WORKING

from . import rules
from .models import InjuryCase


def case_list(*, actor):
    return restrict(actor, InjuryCase.objects.select_related("accident", "employer"),
                    region_field="region", employer_field="employer", person_field="person")


def case_access(*, actor, case_id: int) -> InjuryCase:
    """Load-and-check: a missing case and a forbidden one answer the same 404."""
    return get_scoped_or_404(actor, case_list(actor=actor), pk=case_id)


def case_timeline(*, case: InjuryCase):
    return case.events.select_related("actor").order_by("created_at", "pk")


def green_channel_due(*, case: InjuryCase, accepted_on):
    """The recognition decision date promised to a green-channel case (None for other cases)."""
    if not case.green_channel:
        return None
    return compute_due_date(accepted_on, rules.GREEN_CHANNEL_DECISION_WORKDAYS, WORKING)
