"""缴费比对差异: the staff list (受理员, 数据交换管理员) of what the tax bureau's files and the roster
disagree on, scoped by the one access mechanism (the 统筹区 of the staff member)."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, restrict
from gongshang.core.money import fen_str
from gongshang.core.pii.masking import mask_id_number, mask_name

from ..choices import MismatchStatus
from ..models import ContributionMismatch

QS = ContributionMismatch.objects.select_related("employer", "batch", "resolved_by")


def mismatch_list(*, actor, filters: dict | None = None) -> QuerySet:
    """Open first, newest month first. Filters: kind, status, month (a date: its month), employer_code."""
    filters = filters or {}
    qs = restrict(actor, QS, "view")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if isinstance(filters.get("month"), date):
        qs = qs.filter(month=filters["month"].replace(day=1))
    if filters.get("employer_code"):
        qs = qs.filter(employer_code__startswith=filters["employer_code"].strip().upper())
    return qs.order_by("status", "-month", "employer_code", "pk")  # "open" sorts before "resolved"


def mismatch_get(*, actor, mismatch_id: int, action: str = "view") -> ContributionMismatch:
    """Out of the actor's 统筹区: 404; in it but not allowed: 403."""
    return get_for(actor, QS, mismatch_id, action)


def mismatch_row(mismatch: ContributionMismatch, *, actor=None) -> dict:
    """What lists, pages and the API show of one difference: ID number and name masked (nobody's role
    needs them in full here: the employer and the registry have them)."""
    resolved_at = timezone.localtime(mismatch.resolved_at).isoformat() if mismatch.resolved_at else None
    return {
        "id": mismatch.pk, "kind": mismatch.kind, "kind_label": str(mismatch.get_kind_display()),
        "status": mismatch.status, "status_label": str(mismatch.get_status_display()),
        "is_open": mismatch.status == MismatchStatus.OPEN,
        "employer_code": mismatch.employer_code, "employer_name": mismatch.employer.name if mismatch.employer else "",
        "id_number": mask_id_number(mismatch.id_number), "name": mask_name(mismatch.name),
        "month": f"{mismatch.month:%Y-%m}", "wage_base": fen_str(mismatch.wage_base) if mismatch.wage_base else None,
        "batch_id": mismatch.batch_id, "note": mismatch.note,
        "resolved_by": str(mismatch.resolved_by) if mismatch.resolved_by else "", "resolved_at": resolved_at,
        "created_at": timezone.localtime(mismatch.created_at).isoformat(),
        "actions": sorted(allowed_actions(actor, mismatch)) if actor is not None else [],
    }
