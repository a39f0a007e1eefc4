"""Who may do what in 工伤待遇. Pages use the decorators of accounts.permissions; services call
these checks themselves, so the API, pages and tasks share them."""

from gongshang.accounts.choices import Audience, StaffRole
from gongshang.accounts.permissions import require_role
from gongshang.core.errors import DomainError, Forbidden

from .choices import NATIONAL_REGION
from .errors import BenefitsErrorCode

PARAMETER_ROLES = (StaffRole.BENEFITS_REVIEWER, StaffRole.SYSTEM_ADMIN)


def require_reviewer(actor) -> None:
    require_role(actor, StaffRole.BENEFITS_REVIEWER)


def require_entitlement_reader(actor) -> None:
    """Entitlements name people and amounts: among staff only 待遇审核员 read them (403 otherwise);
    an employer sees its own cases' rows and an individual their own (scoped by the selector)."""
    if getattr(actor, "kind", None) == Audience.STAFF:
        require_reviewer(actor)


def require_parameter_editor(actor, region: str) -> None:
    """Regional values by staff of that 统筹区; national values by system administrators."""
    require_role(actor, *PARAMETER_ROLES)
    if region == NATIONAL_REGION:
        if not actor.has_role(StaffRole.SYSTEM_ADMIN):
            raise Forbidden("全国参数只能由系统管理员录入。")
    elif region != actor.jurisdiction:
        raise Forbidden("只能录入本统筹区的参数。")


def require_second_person(actor, *others) -> None:
    """Maker-checker: the checker is never the maker."""
    if any(other is not None and getattr(other, "pk", other) == actor.pk for other in others):
        raise DomainError(BenefitsErrorCode.SAME_PERSON, status=409)
