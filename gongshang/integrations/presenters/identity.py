"""身份核验 rows as the page and the API show them: the ID number masked, labels in Chinese."""

from django.utils import timezone

from gongshang.core.pii.masking import mask_id_number

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
        "actor": str(check.actor) if check.actor_id else "—",
    }


BADGES = {IdentityResult.MATCH: "badge-ok", IdentityResult.UNAVAILABLE: "badge-warn"}


def page_row(check) -> dict:
    """A list row of the page: the API row and the badge of its result."""
    return {**check_row(check), "badge": BADGES.get(check.result, "badge-error")}
