"""The one access mechanism: each model declares its scope once; the matrix says who may do what.

- A model declares `access = Scope(kind=..., staff=in_region(), employer=of_employer(), ...)`: which
  rows an account of each audience can reach at all ("own" rows; staff: their 统筹区). An audience
  without a rule reaches nothing.
- `accounts/rules/access.py` (the matrix) says which audiences and staff roles may take each action.
- `restrict(actor, queryset, action)` applies both; every selector starts from it.
- `get_for(actor, Model, pk, action)` loads one row: out of scope → 404, in scope but not allowed → 403.
- `allowed_actions(actor, obj)` is what pages show as buttons: the matrix, the model's per-row
  condition and, for workflow models, the transition table from the current status.
- `permit(kind, action)` / `public` mark each page view and API function with what it does; the
  URL × role test reads the marks, so an unmarked endpoint fails it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.urls import reverse

from gongshang.core.errors import CoreErrorCode, DomainError, Forbidden, NotFound

from .choices import Audience
from .rules.access import MATRIX, permits

Rule = Callable[[object], Q | None]


# --- scope rules: which rows an account reaches at all ------------------------------------------------

def in_region(path: str = "region") -> Rule:
    """Staff: rows of their own 统筹区 (none without a jurisdiction)."""
    def rule(actor):
        return Q(**{path: actor.jurisdiction}) if actor.jurisdiction else None
    rule.describe = f"统筹区（{path}）"
    return rule


def in_region_or_platform(path: str = "region") -> Rule:
    """Staff: rows of their own 统筹区; staff of the home region (settings.DEFAULT_POOLING_REGION)
    also reach platform-wide rows (an empty region: failed logins of unknown accounts, login codes)."""
    def rule(actor):
        from django.conf import settings  # read at call time: tests override it

        if not actor.jurisdiction:
            return None
        where = Q(**{path: actor.jurisdiction})
        if actor.jurisdiction == settings.DEFAULT_POOLING_REGION:
            where |= Q(**{path: ""})
        return where
    rule.describe = f"统筹区（{path}；本平台所在统筹区另含无统筹区的记录）"
    return rule


def of_employer(path: str = "employer") -> Rule:
    """Employer handlers: rows of their own employer."""
    def rule(actor):
        return Q(**{path: actor.employer_id}) if actor.employer_id else None
    rule.describe = f"本单位（{path}）"
    return rule


def of_person(path: str = "person") -> Rule:
    """Individuals: rows of the insured person their account is bound to (实名绑定)."""
    def rule(actor):
        return Q(**{path: actor.person_id}) if actor.person_id else None
    rule.describe = f"本人（{path}）"
    return rule


def of_user(path: str) -> Rule:
    """Rows the account itself created or owns (e.g. the reporter of a quick report)."""
    def rule(actor):
        return Q(**{path: actor.pk})
    rule.describe = f"本人账户（{path}）"
    return rule


def either(*rules: Rule) -> Rule:
    """Rows reached by any of `rules` (e.g. the reporter, or the person of one of the cases)."""
    def rule(actor):
        parts = [q for q in (r(actor) for r in rules) if q is not None]
        if not parts:
            return None
        combined = parts[0]
        for q in parts[1:]:
            combined |= q
        return combined
    rule.describe = " 或 ".join(getattr(r, "describe", "") for r in rules)
    return rule


def everything() -> Rule:
    """No row limit (public figures such as 待遇参数; the matrix still decides who)."""
    def rule(actor):
        return Q()
    rule.describe = "全部"
    return rule


@dataclass(frozen=True)
class Scope:
    """What rows of a model each audience reaches, and which matrix row governs them.

    `variants` splits one model into several matrix kinds by a row filter (case documents:
    materials, agency-internal papers, conclusions): an account sees the rows of the kinds it may
    `view`. `condition(actor, obj, action)` adds a per-row test the matrix cannot express (the
    applicant who owns an application may change it; an employer who is only told may not).
    """

    kind: str
    staff: Rule | None = None
    employer: Rule | None = None
    individual: Rule | None = None
    institution: Rule | None = None
    variants: Mapping[str, Q] | None = None
    condition: Callable[[object, Model, str], bool] | None = None
    # True: every audience's rows need DISTINCT (its rule joins a to-many relation); or the set of
    # audiences that need it (the others are read in index order and counted without sorting).
    distinct: bool | frozenset[str] = False
    kinds: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        kinds = tuple(self.variants) if self.variants else (self.kind,)
        for kind in kinds:
            if kind not in MATRIX:
                raise KeyError(f"unknown object kind {kind!r}: add it to accounts/rules/access.py")
        object.__setattr__(self, "kinds", kinds)

    def needs_distinct(self, actor) -> bool:
        if isinstance(self.distinct, bool):
            return self.distinct
        return getattr(actor, "kind", None) in self.distinct

    def rule_for(self, actor) -> Rule | None:
        return {
            Audience.STAFF: self.staff,
            Audience.EMPLOYER: self.employer,
            Audience.INDIVIDUAL: self.individual,
            Audience.INSTITUTION: self.institution,
        }.get(getattr(actor, "kind", None))

    def rows(self, actor) -> Q | None:
        """The rows `actor` reaches, whatever the action; None when none."""
        if not is_signed_in(actor):
            return None
        rule = self.rule_for(actor)
        return rule(actor) if rule is not None else None

    def kind_of(self, obj) -> str:
        if not self.variants:
            return self.kind
        model = type(obj)
        for kind, where in self.variants.items():
            if model._default_manager.filter(where, pk=obj.pk).exists():
                return kind
        return self.kind


def scope_of(model) -> Scope:
    scope = getattr(model, "access", None)
    if not isinstance(scope, Scope):
        raise TypeError(f"{model.__name__} declares no access scope (access = Scope(...))")
    return scope


# --- the actor ----------------------------------------------------------------------------------------

def is_signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def may(actor, kind: str, action: str) -> bool:
    """The matrix alone: whether `actor` (any account, or None) may take `action` on `kind`."""
    if not is_signed_in(actor):
        return False
    roles = actor.role_codes if actor.kind == Audience.STAFF else ()
    return permits(kind, action, audience=str(actor.kind), roles=roles)


def require(actor, kind: str, action: str) -> None:
    """403 (401 when not signed in) unless the matrix lets `actor` take `action` on `kind`."""
    if not is_signed_in(actor):
        raise DomainError(CoreErrorCode.UNAUTHENTICATED, status=401)
    if not may(actor, kind, action):
        raise Forbidden(_refusal(actor))


def _refusal(actor) -> str:
    if actor.kind == Audience.STAFF:
        return "您的角色无权办理此业务。如确需办理，请联系安全管理员调整角色。"
    return "该业务不对您的账户类型开放。"


# --- reads ---------------------------------------------------------------------------------------------

def _queryset(source) -> QuerySet:
    if isinstance(source, QuerySet):
        return source
    return source._default_manager.all()


def _kinds_filter(actor, scope: Scope, action: str) -> Q | None:
    if not scope.variants:
        return Q() if may(actor, scope.kind, action) else None
    allowed = [where for kind, where in scope.variants.items() if may(actor, kind, action)]
    if not allowed:
        return None
    combined = allowed[0]
    for where in allowed[1:]:
        combined |= where
    return combined


def restrict(actor, source, action: str = "view") -> QuerySet:
    """The rows of `source` (a model or queryset) that `actor` may take `action` on."""
    qs = _queryset(source)
    scope = scope_of(qs.model)
    where = scope.rows(actor)
    kinds = _kinds_filter(actor, scope, action) if where is not None else None
    if where is None or kinds is None:
        return qs.none()
    qs = qs.filter(where).filter(kinds)
    return qs.distinct() if scope.needs_distinct(actor) else qs


def in_scope(actor, source) -> QuerySet:
    """The rows `actor` reaches before the matrix is asked (for load-and-check only)."""
    qs = _queryset(source)
    scope = scope_of(qs.model)
    where = scope.rows(actor)
    if where is None:
        return qs.none()
    qs = qs.filter(where)
    return qs.distinct() if scope.needs_distinct(actor) else qs


def get_for(actor, source, pk=None, action: str = "view", **lookup):
    """Load one row and check `action` on it.

    Out of the actor's scope (another employer, person or 统筹区) or missing: 404. An outside
    account that may not even see rows of this kind: 404 as well (it learns nothing). In scope
    but not allowed (a staff role without this action, an applicant who is only told): 403.
    """
    if pk is not None:
        lookup["pk"] = pk
    qs = in_scope(actor, source)
    try:
        obj = qs.filter(**lookup).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise NotFound()
    check(actor, obj, action)
    return obj


def check(actor, obj, action: str) -> None:
    """403/404 unless `actor` may take `action` on the loaded `obj` (matrix + per-row condition)."""
    if not is_signed_in(actor):  # nothing is in an anonymous caller's scope (was: AttributeError)
        raise NotFound()
    scope = scope_of(type(obj))
    kind = scope.kind_of(obj)
    if actor.kind != Audience.STAFF and not may(actor, kind, "view"):
        raise NotFound()
    if not may(actor, kind, action):
        raise Forbidden(_refusal(actor))
    if scope.condition is not None and not scope.condition(actor, obj, action):
        raise Forbidden(condition_refusal(obj, action))


def condition_refusal(obj, action: str) -> str:
    message = getattr(type(obj), "access_refusal", None)
    if callable(message):
        return message(action)
    return "您不能对该记录办理此业务。"


def can(actor, obj, action: str) -> bool:
    try:
        check(actor, obj, action)
    except (Forbidden, NotFound):
        return False
    return True


def allowed_actions(actor, obj) -> frozenset[str]:
    """The actions `actor` may take on `obj` now: the matrix, the per-row condition and, when the
    model has a workflow, its transition table from the current status. Templates test membership
    (`"decide" in actions`) instead of comparing status strings."""
    if not is_signed_in(actor):
        return frozenset()
    scope = scope_of(type(obj))
    kind = scope.kind_of(obj)
    workflow = getattr(type(obj), "workflow", None)
    current = getattr(obj, workflow.field) if workflow is not None else None
    result = set()
    for action in MATRIX[kind]:
        if not may(actor, kind, action):
            continue
        if workflow is not None and action in workflow.steps and not workflow.can(action, current):
            continue
        if scope.condition is not None and not scope.condition(actor, obj, action):
            continue
        result.add(action)
    return frozenset(result)


# --- endpoint marks -----------------------------------------------------------------------------------

PUBLIC = ("public", "")


def _mark(func, kind: str, action: str):
    func.access = (kind, action)
    return func


def public(view):
    """A page or API function open to anyone (login, calculator, 文书核验, the quick-report code)."""
    return _mark(view, *PUBLIC)


def permit(kind: str, action: str):
    """Page decorator: sign in first (redirect to the right login page), then the matrix decides
    (403 with a Chinese page). Marks the view for the URL × role test."""
    if kind not in MATRIX or action not in MATRIX[kind]:
        raise KeyError(f"{kind}.{action} is not in accounts/rules/access.py")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                from django.contrib.auth.views import (
                    redirect_to_login,  # not at import: models import this module
                )

                return redirect_to_login(request.get_full_path(), reverse(_login_page(kind, action)))
            if not may(user, kind, action):
                raise PermissionDenied(_refusal(user))
            return view(request, *args, **kwargs)

        return _mark(wrapper, kind, action)

    return decorator


def api_permit(kind: str, action: str):
    """API function mark: the matrix decides (401/403 in the one error format). Put it under the
    router decorator."""
    if kind not in MATRIX or action not in MATRIX[kind]:
        raise KeyError(f"{kind}.{action} is not in accounts/rules/access.py")

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            require(getattr(request, "auth", None) or request.user, kind, action)
            return func(request, *args, **kwargs)

        return _mark(wrapper, kind, action)

    return decorator


def _login_page(kind: str, action: str) -> str:
    who = MATRIX[kind][action]
    outside = {str(a) for a in (Audience.INDIVIDUAL, Audience.EMPLOYER, Audience.INSTITUTION)} & who
    staff = who - outside
    if outside == {Audience.INDIVIDUAL} and not staff:
        return "accounts:individual_login"
    if outside == {Audience.EMPLOYER} and not staff:
        return "accounts:employer_login"
    if outside == {Audience.INSTITUTION} and not staff:
        return "accounts:institution_login"
    if not outside and staff:
        return "accounts:staff_login"
    return "accounts:login"
