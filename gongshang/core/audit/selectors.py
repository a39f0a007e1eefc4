"""Reads of the audit trail, scoped by the actor's jurisdiction (统筹区)."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.core import counting
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
    if filters.get("target_type"):
        queryset = queryset.filter(target_type=filters["target_type"].strip())
    if filters.get("target_id"):
        queryset = queryset.filter(target_id=filters["target_id"].strip())
    queryset = _date_range(queryset, filters)
    username = (filters.get("actor") or "").strip()
    if username:
        return _by_actor(queryset, username)
    return queryset.order_by("-at", "-id")


def _by_actor(queryset, username: str):
    """Events of the account with that username, and events without an account recorded under that
    name (failed logins, a deleted account). Two index-ordered parts joined by UNION ALL, so the
    newest rows of each are read first: an OR of the two would read all of an actor's events."""
    users = list(get_user_model().objects.filter(username__iexact=username).values_list("pk", flat=True))
    by_label = queryset.filter(actor__isnull=True, actor_label__iexact=username).order_by()
    if not users:
        return by_label.order_by("-at", "-id")
    by_user = queryset.filter(actor_id__in=users).order_by()
    if connection.features.supports_slicing_ordering_in_compound:
        # Each part read newest first and no further than the lists' count cap (PostgreSQL plans a
        # top-level UNION ALL without merging ordered parts: unbounded, it would read them whole).
        cap = counting.COUNT_CAP + 1
        by_user, by_label = by_user.order_by("-at", "-id")[:cap], by_label.order_by("-at", "-id")[:cap]
    return by_user.union(by_label, all=True).order_by("-at", "-id")


TYPES_CACHE_SECONDS = 600


def audit_event_types(*, actor) -> list[str]:
    """The event types present in the actor's scope, for the filter's suggestions. Read one type at
    a time along the event_type index (a DISTINCT would read the whole log), and kept for a while."""
    key = f"audit-event-types:{actor.pk}:{getattr(actor, 'jurisdiction', '')}"
    types = cache.get(key)
    if types is None:
        scoped = audit_event_list(actor=actor).order_by("event_type").values_list("event_type", flat=True)
        types = []
        while (following := (scoped.filter(event_type__gt=types[-1]) if types else scoped).first()) is not None:
            types.append(following)
        cache.set(key, types, TYPES_CACHE_SECONDS)
    return types


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
