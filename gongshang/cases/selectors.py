"""Case reads through the one access model: the scope InjuryCase declares (staff their 统筹区,
employers their own, individuals theirs) and the role × action matrix."""

from gongshang.accounts.access import get_for, restrict
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import WORKING

from . import rules
from .models import InjuryCase


def case_list(*, actor, action: str = "view"):
    return restrict(actor, InjuryCase.objects.select_related("accident", "employer"), action)


def case_access(*, actor, case_id: int, action: str = "view") -> InjuryCase:
    """Load-and-check: missing or out of scope 404; in scope but `action` not allowed 403."""
    return get_for(actor, InjuryCase.objects.select_related("accident", "employer"), case_id, action)


def case_timeline(*, case: InjuryCase):
    return case.events.select_related("actor").order_by("created_at", "pk")


def green_channel_due(*, case: InjuryCase, accepted_on):
    """The recognition decision date promised to a green-channel case (None for other cases)."""
    if not case.green_channel:
        return None
    return compute_due_date(accepted_on, rules.GREEN_CHANNEL_DECISION_WORKDAYS, WORKING)
