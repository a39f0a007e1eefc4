"""Reads of 异地就医备案 and 辅助器具/康复 (every list starts from restrict(actor, ...))."""

from datetime import date

from gongshang.accounts.access import restrict

from ..choices import RemoteStatus
from ..models import Referral, RemoteRegistration


def active_registration(case, on: date) -> RemoteRegistration | None:
    """The case's registration active on `on`: status ACTIVE and start_date ≤ on ≤ valid_until (the same
    rule as RemoteRegistration.is_active_on; eligibility and settlement read it here)."""
    case_id = getattr(case, "pk", case)
    return (RemoteRegistration.objects.filter(case_id=case_id, status=RemoteStatus.ACTIVE, start_date__lte=on,
                                              valid_until__gte=on).order_by("-start_date", "-pk").first())


def treatment_region_of(case, on: date) -> str:
    """Where 待遇 are computed on `on`: the place of treatment of an active registration, else the
    case's own 统筹区 (the settle service reads catalogue caps of this region)."""
    found = active_registration(case, on)
    return found.treatment_region if found is not None else getattr(case, "region", "")


def remote_registration_list(*, actor, filters: dict | None = None, action: str = "view"):
    """Registrations the actor may see; staff filters: status, treatment_region, reason, case number,
    active_on (a date)."""
    filters = filters or {}
    qs = restrict(actor, RemoteRegistration.objects.select_related("case"), action)
    if filters.get("status") in RemoteStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("treatment_region"):
        qs = qs.filter(treatment_region=filters["treatment_region"])
    if filters.get("reason"):
        qs = qs.filter(reason=filters["reason"])
    if filters.get("case_number"):
        qs = qs.filter(case__number=filters["case_number"])
    on = filters.get("active_on")
    if isinstance(on, date):
        qs = qs.filter(status=RemoteStatus.ACTIVE, start_date__lte=on, valid_until__gte=on)
    return qs.order_by("-start_date", "-pk")


def referral_list(*, actor, filters: dict | None = None, action: str = "view"):
    filters = filters or {}
    qs = restrict(actor, Referral.objects.select_related("case", "institution"), action)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("case_number"):
        qs = qs.filter(case__number=filters["case_number"])
    return qs.order_by("-confirmed_on", "-pk")
