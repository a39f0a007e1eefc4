"""身份核验 reads: the staff list (scoped by the actor), and the latest answer for a person that
other pages show as a warning (a quick report's injured worker, a 增员 request)."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import is_valid_id_number

from ..choices import IdentityResult
from ..models import IdentityCheck
from ..rules.identity import staff_warning
from ..services.identity import compact_name, name_index


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def identity_check_list(*, actor, filters: dict | None = None) -> QuerySet:
    """The checks `actor` may see, newest first. Filters (all optional): context, result,
    cached ("1"/"0"), id_number (exact, by its blind index), date_from / date_to (dates, inclusive)."""
    filters = filters or {}
    qs = restrict(actor, IdentityCheck.objects.select_related("actor", "actor__employer"), "view")
    if filters.get("context"):
        qs = qs.filter(context=filters["context"])
    if filters.get("result"):
        qs = qs.filter(result=filters["result"])
    if filters.get("cached") in ("1", "0", True, False):
        qs = qs.filter(cached=filters["cached"] in ("1", True))
    if filters.get("id_number"):
        qs = qs.filter(id_number_index=blind_index(filters["id_number"]))
    if filters.get("date_from"):
        qs = qs.filter(checked_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(checked_at__lt=_day_start(filters["date_to"]) + timedelta(days=1))
    return qs.order_by("-checked_at", "-pk")


def latest_result(id_number: str, name: str) -> str | None:
    """The latest answer recorded for this ID number and name (any context), None if never checked."""
    if not is_valid_id_number(id_number) or not compact_name(name):
        return None
    return (IdentityCheck.objects.filter(id_number_index=blind_index(id_number), name_index=name_index(name))
            .order_by("-checked_at", "-pk").values_list("result", flat=True).first())


def identity_warning(id_number: str, name: str) -> str:
    """What staff should be told about this person's identity ("" when it matched or was never checked)."""
    return staff_warning(latest_result(id_number, name))


def identity_summary(id_number: str, name: str) -> dict:
    """The latest answer for a page: {"result", "label" (未核验 if never checked), "warning"}."""
    result = latest_result(id_number, name)
    return {"result": result or "", "label": str(IdentityResult(result).label) if result else "未核验",
            "warning": staff_warning(result)}
