"""Named permissions and access helpers for the four audiences.

Pages use the decorators; API functions use `require_*` on request.auth. Jurisdiction scoping:
`restrict(actor, queryset, region_field)` is the one mechanism every selector uses.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongshang.core.errors import Forbidden, NotFound

from .choices import Audience


def audience_required(*kinds, roles=None):
    """Page decorator: signed in as one of `kinds` (and, for staff, holding one of `roles`)."""
    kinds = {str(k) for k in kinds}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or user.kind not in kinds:
                login_view = {
                    Audience.STAFF: "accounts:staff_login",
                    Audience.EMPLOYER: "accounts:employer_login",
                    Audience.INDIVIDUAL: "accounts:individual_login",
                }.get(next(iter(kinds)) if len(kinds) == 1 else None, "accounts:login")
                return redirect_to_login(request.get_full_path(), reverse(login_view))
            if roles and not user.has_role(*roles):
                raise PermissionDenied("您的角色无权办理此业务。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def staff_required(*roles):
    """Page decorator for the workbench: staff, optionally with one of `roles`."""
    return audience_required(Audience.STAFF, roles=set(roles) or None)


def require_audience(user, *kinds) -> None:
    """API check: the token's account is one of `kinds`, else 403 in the one error format."""
    if user is None or user.kind not in {str(k) for k in kinds}:
        raise Forbidden("该接口不对您的账户类型开放。")


def require_role(user, *roles) -> None:
    require_audience(user, Audience.STAFF)
    if not user.has_role(*roles):
        raise Forbidden("您的角色无权办理此业务。")


def restrict(actor, queryset, *, region_field: str = "region", employer_field: str | None = "employer",
             person_field: str | None = None):
    """Scope a queryset to what `actor` may see: staff their jurisdiction (统筹区), employers their
    own rows, individuals their own person's rows, anyone else nothing."""
    if actor is None or not actor.is_authenticated:
        return queryset.none()
    if actor.kind == Audience.STAFF:
        if not actor.jurisdiction:
            return queryset.none()
        return queryset.filter(**{region_field: actor.jurisdiction})
    if actor.kind == Audience.EMPLOYER and employer_field:
        return queryset.filter(**{employer_field: actor.employer_id})
    if actor.kind == Audience.INDIVIDUAL and person_field and actor.person_id:
        return queryset.filter(**{person_field: actor.person_id})
    return queryset.none()


def get_scoped_or_404(actor, queryset, **lookup):
    """Load-and-check in one call: a missing row and a forbidden row answer the same 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj
