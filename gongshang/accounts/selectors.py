"""Reads about accounts, scoped by the actor."""

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from gongshang.accounts.access import get_for, restrict
from gongshang.accounts.choices import Audience
from gongshang.accounts.models import ApiToken, StaffRoleAssignment, User

RECENT_TOKEN_DAYS = 30


def staff_account_list(*, actor):
    """Staff accounts of the actor's jurisdiction (security administrators only: User.access)."""
    return (restrict(actor, User.objects.filter(kind=Audience.STAFF), "view")
            .prefetch_related(Prefetch("role_assignments", queryset=StaffRoleAssignment.objects.order_by("role")))
            .order_by("username"))


def employer_handler_list(*, actor):
    """The handlers of the actor's own employer."""
    return (restrict(actor, User.objects.filter(kind=Audience.EMPLOYER), "view")
            .order_by("-is_primary_handler", "username"))


def institution_client_list(*, actor):
    """Institution API clients of the actor's jurisdiction (security administrators only)."""
    return restrict(actor, User.objects.filter(kind=Audience.INSTITUTION), "view").order_by("username")


def api_token_list(*, actor, active: bool = True):
    """The actor's own API tokens, newest first: live ones, or (active=False) those that ended
    in the last RECENT_TOKEN_DAYS days. Nobody lists another account's tokens."""
    now = timezone.now()
    tokens = restrict(actor, ApiToken, "view")
    if active:
        tokens = tokens.filter(revoked_at__isnull=True, expires_at__gt=now)
    else:
        since = now - timedelta(days=RECENT_TOKEN_DAYS)
        tokens = tokens.filter(Q(revoked_at__gte=since) | Q(revoked_at__isnull=True, expires_at__range=(since, now)))
    return tokens.order_by("-created_at", "-pk")


def api_token_get_for(actor, pk, action: str = "view") -> ApiToken:
    """One of the actor's own tokens; another account's (or none) answers 404."""
    return get_for(actor, ApiToken, pk, action)


def staff_account_get_for(actor, pk, action: str = "view") -> User:
    """A staff account of the actor's jurisdiction: 404 outside it, 403 without the role."""
    return get_for(actor, User.objects.filter(kind=Audience.STAFF), pk, action)
