"""Reads for 工伤待遇: every read of people or money starts from restrict/get_for (accounts.access)."""

from datetime import date

from django.db.models import Q, QuerySet

from gongshang.accounts.access import get_for, restrict

from .choices import NATIONAL_REGION, ParameterKind, ParameterStatus
from .models import Adjustment, CaseConclusion, Entitlement, Parameter, Payment, PayrollRun


# The calculator (public, no login) and the benefit computation read the figures in force through
# these two: they are deliberately NOT actor-scoped — 待遇参数 are published figures.
def parameter_in_force(*, region: str, kind: str, on: date) -> Parameter | None:
    return (Parameter.objects.filter(region=region, kind=kind, status=ParameterStatus.ACTIVE, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from", "-pk").first())


def national_income(*, year: int) -> Parameter | None:
    return (Parameter.objects.filter(region=NATIONAL_REGION, kind=ParameterKind.NATIONAL_INCOME,
                                     status=ParameterStatus.ACTIVE, data_year=year).order_by("-pk").first())


def parameter_list(*, actor, filters: dict | None = None) -> QuerySet[Parameter]:
    """Every value ever entered (history included), for those the matrix lets see the page."""
    filters = filters or {}
    queryset = restrict(actor, Parameter.objects.select_related("created_by", "supersedes"), "view")
    if filters.get("region"):
        queryset = queryset.filter(region=filters["region"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    return queryset


def parameter_regions() -> list[str]:
    """The 统筹区 that have figures (the filter's choices): public, like the figures themselves."""
    return sorted(set(Parameter.objects.exclude(region=NATIONAL_REGION).values_list("region", flat=True)))


def entitlement_list(*, actor, filters: dict | None = None) -> QuerySet[Entitlement]:
    """Staff: their 统筹区; an employer: its cases' items; an individual: their own (Entitlement.access)."""
    filters = filters or {}
    queryset = restrict(actor, Entitlement.objects.select_related("case", "created_by", "approved_by"), "view")
    if filters.get("case"):
        queryset = queryset.filter(case_id=filters["case"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("benefit_type"):
        queryset = queryset.filter(benefit_type=filters["benefit_type"])
    return queryset.order_by("-created_at", "pk")


def entitlement_get(*, actor, entitlement_id: int, action: str = "view") -> Entitlement:
    return get_for(actor, Entitlement.objects.select_related("case"), entitlement_id, action)


def conclusion_current(*, case) -> CaseConclusion:
    """The case's current conclusion (the caller has loaded the case through get_for)."""
    return CaseConclusion.objects.filter(case=case, superseded_by__isnull=True).order_by("-pk").first()


def run_list(*, actor) -> QuerySet[PayrollRun]:
    return restrict(actor, PayrollRun.objects.select_related("created_by", "approved_by", "released_by"), "view")


def run_get(*, actor, run_id: int, action: str = "view") -> PayrollRun:
    return get_for(actor, PayrollRun.objects.select_related("created_by", "approved_by", "released_by"), run_id,
                   action)


def adjustment_list(*, actor) -> QuerySet[Adjustment]:
    return restrict(actor, Adjustment.objects.select_related("created_by", "approved_by"), "view")


def adjustment_get(*, actor, adjustment_id: int, action: str = "view") -> Adjustment:
    return get_for(actor, Adjustment.objects.select_related("created_by", "approved_by"), adjustment_id, action)


def statements_for(*, actor) -> dict:
    """个人门户「我的待遇」: the bound person's entitlements and payments, newest first (the page is the
    individual's own: `payment.statement`; the rows are what Entitlement/Payment.access give them)."""
    entitlements = restrict(actor, Entitlement, "view").exclude(status="rejected").order_by("-created_at")
    payments = restrict(actor, Payment, "view").select_related("entitlement").order_by("-period", "pk")
    return {"entitlements": entitlements, "payments": payments}
