"""Reads of the province area, each scoped by the actor (restrict / get_for): packages, transfers in,
statistics reports."""

from django.db.models import QuerySet

from gongshang.accounts.access import get_for, restrict

from ..choices import PackagePurpose, PackageStatus, TransferStatus
from ..models import CasePackage, StatisticsReport, TransferIn

PACKAGES = CasePackage.objects.select_related("case", "created_by", "batch", "file")
TRANSFERS = TransferIn.objects.select_related("case", "person", "handled_by", "batch")
REPORTS = StatisticsReport.objects.select_related("created_by", "batch", "file")


def package_list(*, actor, filters: dict | None = None) -> QuerySet[CasePackage]:
    """Filters: purpose, status, q (a reference or a case number, exact)."""
    filters = filters or {}
    qs = restrict(actor, PACKAGES, "view")
    if filters.get("purpose") in PackagePurpose.values:
        qs = qs.filter(purpose=filters["purpose"])
    if filters.get("status") in PackageStatus.values:
        qs = qs.filter(status=filters["status"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(reference=q) | qs.filter(case__number=q)
    return qs.order_by("-created_at", "-pk")


def package_get(*, actor, package_id: int, action: str = "view") -> CasePackage:
    return get_for(actor, PACKAGES, package_id, action)


def transfer_list(*, actor, filters: dict | None = None) -> QuerySet[TransferIn]:
    """Filters: status (received first by default: the 待遇审核员's queue)."""
    filters = filters or {}
    qs = restrict(actor, TRANSFERS, "view")
    if filters.get("status") in TransferStatus.values:
        qs = qs.filter(status=filters["status"])
    return qs.order_by("-status", "-created_at", "-pk")  # received (待接续) before accepted


def transfer_get(*, actor, transfer_id: int, action: str = "view") -> TransferIn:
    return get_for(actor, TRANSFERS, transfer_id, action)


def report_list(*, actor) -> QuerySet[StatisticsReport]:
    return restrict(actor, REPORTS, "view").order_by("-month", "-version")


def report_get(*, actor, report_id: int, action: str = "view") -> StatisticsReport:
    return get_for(actor, REPORTS, report_id, action)
