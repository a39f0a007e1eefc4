"""Reads of the audit trail, scoped by the actor's jurisdiction (统筹区)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.core.models import AuditEvent, PiiAccessLog

# Bounds beyond which a filter date cannot restrict anything but could overflow (a day start in
# Asia/Shanghai converted to UTC, the day after 9999-12-31): such a bound is simply dropped.
_EARLIEST, _LATEST = date(1900, 1, 1), date(9000, 12, 31)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _date_range(queryset, filters: dict, field: str = "at"):
    """Inclusive date range; a bound that is not a date, or absurdly far off, is ignored."""
    date_from, date_to = _as_date(filters.get("date_from")), _as_date(filters.get("date_to"))
    if date_from is not None and date_from > _LATEST or date_to is not None and date_to < _EARLIEST:
        return queryset.none()
    if date_from is not None and date_from >= _EARLIEST:
        queryset = queryset.filter(**{f"{field}__gte": _day_start(date_from)})
    if date_to is not None and date_to <= _LATEST:  # inclusive: the whole last day
        queryset = queryset.filter(**{f"{field}__lt": _day_start(date_to + timedelta(days=1))})
    return queryset


def audit_event_list(*, actor, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """Audit events of the actor's jurisdiction (auditors only: AuditEvent.access), newest first.

    Events without a region (failed logins of unknown accounts, system jobs) belong to the
    installation's home region (settings.DEFAULT_POOLING_REGION): its auditors see them too.
    Filters (all optional): event_type (exact; a trailing "." or "*" matches a prefix such as
    "auth."), actor (username), date_from / date_to (dates, inclusive), target_type, target_id.
    """
    queryset = restrict(actor, AuditEvent, "view").select_related("actor")
    filters = filters or {}
    event_type = (filters.get("event_type") or "").strip()
    if event_type.endswith(("*", ".")):
        queryset = queryset.filter(event_type__startswith=event_type.rstrip("*"))
    elif event_type:
        queryset = queryset.filter(event_type=event_type)
    username = (filters.get("actor") or "").strip()
    if username:
        queryset = queryset.filter(Q(actor_label__iexact=username) | Q(actor__username__iexact=username))
    if filters.get("target_type"):
        queryset = queryset.filter(target_type=filters["target_type"].strip())
    if filters.get("target_id"):
        queryset = queryset.filter(target_id=filters["target_id"].strip())
    return _date_range(queryset, filters).order_by("-at", "-id")


def audit_event_types(*, actor) -> list[str]:
    """The event types present in the actor's scope, for the filter's suggestions."""
    return list(audit_event_list(actor=actor).order_by("event_type")
                .values_list("event_type", flat=True).distinct())


def pii_access_list(*, actor, filters: dict | None = None) -> QuerySet[PiiAccessLog]:
    """Views of unmasked personal information by staff of the actor's jurisdiction, newest first.
    Filters: actor (username), date_from / date_to, target_type, target_id, field."""
    queryset = restrict(actor, PiiAccessLog, "view").select_related("actor")
    filters = filters or {}
    username = (filters.get("actor") or "").strip()
    if username:
        queryset = queryset.filter(actor__username__iexact=username)
    for key in ("target_type", "target_id", "field"):
        if filters.get(key):
            queryset = queryset.filter(**{key: filters[key].strip()})
    return _date_range(queryset, filters).order_by("-at", "-id")
