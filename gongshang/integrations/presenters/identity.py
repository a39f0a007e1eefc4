"""身份核验 rows as the page and the API show them: the ID number masked, labels in Chinese."""

from django.utils import timezone

from gongshang.accounts.choices import Audience
from gongshang.core.pii.masking import mask_id_number, mask_name

from ..choices import IdentityContext, IdentityResult


def check_row(check) -> dict:
    return {
        "id": check.pk,
        "checked_at": timezone.localtime(check.checked_at).isoformat(),
        "region": check.region,
        "id_number": mask_id_number(check.id_number),
        "context": check.context,
        "context_label": str(IdentityContext(check.context).label),
        "result": check.result,
        "result_label": str(IdentityResult(check.result).label),
        "cached": check.cached,
        "actor": actor_label(check.actor) if check.actor_id else "—",
    }


def actor_label(user) -> str:
    """Staff by name; an outside account by what it is, its person's name masked (a list is no
    place for an individual's full name)."""
    if user.kind == Audience.STAFF:
        return str(user)
    if user.kind == Audience.EMPLOYER:
        return f"单位经办人（{user.employer.name}）" if user.employer_id else "单位经办人"
    if user.kind == Audience.INDIVIDUAL:
        return f"个人（{mask_name(user.display_name)}）" if user.display_name else "个人"
    return "定点机构"


BADGES = {IdentityResult.MATCH: "badge-ok", IdentityResult.UNAVAILABLE: "badge-warn"}


def page_row(check) -> dict:
    """A list row of the page: the API row and the badge of its result."""
    return {**check_row(check), "badge": BADGES.get(check.result, "badge-error")}
