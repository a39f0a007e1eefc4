"""Reads for 工伤待遇, scoped by the actor where they concern people."""

from datetime import date

from django.db.models import Q, QuerySet

from gongshang.accounts.choices import Audience
from gongshang.accounts.permissions import get_scoped_or_404, restrict
from gongshang.core.pii.crypto import blind_index

from .choices import NATIONAL_REGION, ParameterKind, ParameterStatus
from .models import Adjustment, CaseConclusion, Entitlement, Parameter, Payment, PayrollRun


def parameter_in_force(*, region: str, kind: str, on: date) -> Parameter | None:
    return (Parameter.objects.filter(region=region, kind=kind, status=ParameterStatus.ACTIVE, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from", "-pk").first())


def national_income(*, year: int) -> Parameter | None:
    return (Parameter.objects.filter(region=NATIONAL_REGION, kind=ParameterKind.NATIONAL_INCOME,
                                     status=ParameterStatus.ACTIVE, data_year=year).order_by("-pk").first())


def parameter_list(*, filters: dict | None = None) -> QuerySet[Parameter]:
    """Every value ever entered (history included); parameters are public figures."""
    filters = filters or {}
    queryset = Parameter.objects.select_related("created_by", "supersedes")
    if filters.get("region"):
        queryset = queryset.filter(region=filters["region"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    return queryset


def parameter_regions() -> list[str]:
    return sorted(set(Parameter.objects.exclude(region=NATIONAL_REGION).values_list("region", flat=True)))


def _own_person_q(actor, prefix: str = "") -> Q | None:
    """An individual's own rows: linked to the bound person, or naming the bound person's ID number
    as the beneficiary (a dependant or next of kin registered by ID number, blind index)."""
    person = getattr(actor, "person", None) if getattr(actor, "person_id", None) else None
    if person is None:
        return None
    q = Q(**{f"{prefix}person_id": person.pk})
    index = blind_index(person.id_number)
    return q | Q(**{f"{prefix}beneficiary_id_index": index}) if index else q


def entitlement_list(*, actor, filters: dict | None = None) -> QuerySet[Entitlement]:
    filters = filters or {}
    base = Entitlement.objects.select_related("case", "created_by", "approved_by")
    if getattr(actor, "is_authenticated", False) and actor.kind == Audience.INDIVIDUAL:
        own = _own_person_q(actor)
        queryset = base.filter(own) if own is not None else base.none()
    else:
        queryset = restrict(actor, base, region_field="region", employer_field="case__employer", person_field="person")
    if filters.get("case"):
        queryset = queryset.filter(case_id=filters["case"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("benefit_type"):
        queryset = queryset.filter(benefit_type=filters["benefit_type"])
    return queryset.order_by("-created_at", "pk")


def entitlement_access(*, actor, entitlement_id: int) -> Entitlement:
    return get_scoped_or_404(actor, entitlement_list(actor=actor), pk=entitlement_id)


def conclusion_current(*, case) -> CaseConclusion | None:
    return CaseConclusion.objects.filter(case=case, superseded_by__isnull=True).order_by("-pk").first()


def run_list(*, actor) -> QuerySet[PayrollRun]:
    return restrict(actor, PayrollRun.objects.select_related("created_by", "approved_by", "released_by"),
                    employer_field=None)


def run_access(*, actor, run_id: int) -> PayrollRun:
    return get_scoped_or_404(actor, run_list(actor=actor), pk=run_id)


def adjustment_list(*, actor) -> QuerySet[Adjustment]:
    return restrict(actor, Adjustment.objects.select_related("created_by", "approved_by"), employer_field=None)


def statements_for(*, actor) -> dict:
    """个人门户「我的待遇」: the bound person's entitlements and payments, newest first."""
    own = _own_person_q(actor)
    if own is None:
        return {"entitlements": Entitlement.objects.none(), "payments": Payment.objects.none()}
    entitlements = Entitlement.objects.filter(own).exclude(status="rejected").order_by("-created_at")
    payments = (Payment.objects.filter(_own_person_q(actor, "entitlement__")).select_related("entitlement")
                .order_by("-period", "pk"))
    return {"entitlements": entitlements, "payments": payments}
