"""Reads of 死亡信息 and 多发待遇追回 (scoped by restrict/get_for), and their shapes for the pages
and the API: ID numbers masked always, names masked in lists; what a role may not see of the
money (payments, overpayments) is given as counts only."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, may, restrict
from gongshang.benefits.choices import BenefitType, EntitlementStatus, PaymentStatus
from gongshang.benefits.models import Entitlement
from gongshang.core import regions
from gongshang.core.money import fen_str
from gongshang.core.pii.masking import mask_id_number, mask_name

from ..choices import DeathStatus, Partner, RecoveryStatus
from ..models import DeathRecord, Overpayment
from ..rules.deaths import ROUTES

DEATH_SOURCES = (Partner.CIVIL_AFFAIRS, Partner.PUBLIC_SECURITY)
DEATHS = DeathRecord.objects.select_related("handled_by", "batch")
OVERPAYMENTS = Overpayment.objects.select_related("death", "handled_by", "payment", "payment__entitlement",
                                                  "payment__entitlement__case")
BENEFIT_NAMES = dict(BenefitType.choices)


def death_list(*, actor, status: str = "", source: str = "") -> QuerySet[DeathRecord]:
    """The 统筹区's death records the actor may see: those waiting for a decision (applied) first,
    then the newest."""
    qs = restrict(actor, DEATHS, "view")
    if status in DeathStatus.values:
        qs = qs.filter(status=status)
    if source in Partner.values:
        qs = qs.filter(source=source)
    waiting = Case(When(status=DeathStatus.APPLIED, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(waiting=waiting).order_by("waiting", "-created_at", "-pk")


def death_get(*, actor, death_id: int, action: str = "view") -> DeathRecord:
    return get_for(actor, DEATHS, death_id, action)


def overpayment_list(*, actor, status: str = "", death_id: int | None = None) -> QuerySet[Overpayment]:
    """The 统筹区's overpayments: open ones first, then by payment month."""
    qs = restrict(actor, OVERPAYMENTS, "view")
    if status in RecoveryStatus.values:
        qs = qs.filter(status=status)
    if death_id:
        qs = qs.filter(death_id=death_id)
    waiting = Case(When(status=RecoveryStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(waiting=waiting).order_by("waiting", "-created_at", "payment__period", "pk")


def overpayment_get(*, actor, overpayment_id: int, action: str = "view") -> Overpayment:
    return get_for(actor, OVERPAYMENTS, overpayment_id, action)


# --- shapes -------------------------------------------------------------------------------------------

def _when(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _shown(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def death_summary(death: DeathRecord) -> dict:
    """A list row: the name and ID number masked."""
    effects = death.effects or {}
    return {
        "id": death.pk, "name": mask_name(death.name), "id_number": mask_id_number(death.id_number),
        "death_date": death.death_date.isoformat(), "source": death.source, "source_label": death.get_source_display(),
        "status": death.status, "status_label": death.get_status_display(), "batch_id": death.batch_id,
        "created_at": _when(death.created_at), "created_shown": _shown(death.created_at),
        "suspended": len(effects.get("suspended", [])) + len(effects.get("already_suspended", [])),
        "withdrawn": len(effects.get("withdrawn", [])),
        "overpayments": (effects.get("overpayments") or {}).get("count", 0),
    }


def _entitlements(death: DeathRecord, actor) -> list[dict]:
    effects = death.effects or {}
    roles = {pk: "suspended" for pk in effects.get("suspended", [])}
    roles.update({pk: "already_suspended" for pk in effects.get("already_suspended", [])})
    roles.update({pk: "pending" for pk in effects.get("pending_entitlements", [])})
    rows = Entitlement.objects.filter(pk__in=list(roles)).select_related("case").order_by("pk")
    statuses = dict(EntitlementStatus.choices)
    link = may(actor, "entitlement", "view")
    return [{"id": e.pk, "case_id": e.case_id, "case_number": e.case.number,
             "case_url": reverse("benefits:case_benefits", args=[e.case_id]) if link else "",
             "benefit_type": e.benefit_type, "benefit_label": str(BENEFIT_NAMES.get(e.benefit_type, e.benefit_type)),
             "relation": e.beneficiary_relation, "amount": fen_str(e.amount),
             "start_month": f"{e.start_month:%Y-%m}", "end_month": f"{e.end_month:%Y-%m}" if e.end_month else "",
             "status": e.status, "status_label": str(statuses.get(e.status, e.status)), "effect": roles[e.pk]}
            for e in rows]


def _withdrawn(death: DeathRecord, actor) -> list[dict]:
    link = may(actor, "payroll_run", "view")
    return [{**w, "benefit_label": str(BENEFIT_NAMES.get(w.get("benefit_type"), w.get("benefit_type", ""))),
             "run_url": reverse("benefits:payroll_detail", args=[w["run"]]) if link else ""}
            for w in (death.effects or {}).get("withdrawn", [])]


def _routes(death: DeathRecord, actor) -> list[dict]:
    link = may(actor, "entitlement", "view")
    found = []
    for r in (death.effects or {}).get("routes", []):
        route = ROUTES.get(r.get("code"))
        if route is None:
            continue
        found.append({"case_id": r["case"], "case_number": r.get("case_number", ""), "code": route.code,
                      "grade": r.get("grade"), "title": route.title, "text": route.text, "basis": route.basis,
                      "items": [str(BENEFIT_NAMES.get(i, i)) for i in route.items],
                      "case_url": reverse("benefits:case_benefits", args=[r["case"]]) if link else ""})
    return found


def death_detail(death: DeathRecord, *, actor) -> dict:
    """Everything the death did, for a 待遇审核员 (payments and overpayments in full) or another role
    that may see the record (数据交换管理员: counts of the money only)."""
    effects = death.effects or {}
    money = may(actor, "overpayment", "view")
    region = effects.get("registered_region") or ""
    detail = {
        **death_summary(death), "name": death.name, "certificate_number": death.certificate_number,
        "registered_region": region, "registered_region_name": regions.full_name(region) if region else "",
        "person_id": death.person_id, "name_matches": effects.get("name_matches"),
        "note": death.note, "handled_by": str(death.handled_by) if death.handled_by_id else "",
        "handled_at": _when(death.handled_at), "handled_shown": _shown(death.handled_at),
        "entitlements": _entitlements(death, actor),
        "withdrawn_payments": _withdrawn(death, actor) if may(actor, "payment", "view") else [],
        "overpayment_rows": [overpayment_dict(o, actor=actor) for o in death.overpayments.select_related(
            "payment", "payment__entitlement", "handled_by", "death").order_by("payment__period", "pk")] if money else [],
        "overpaid_total": (effects.get("overpayments") or {}).get("amount", "0.00"),
        "routes": _routes(death, actor), "unpaid_through_death": effects.get("unpaid_through_death", []),
        "actions": sorted(allowed_actions(actor, death)),
        "stopped_count": len((effects.get("confirmed") or {}).get("stopped", [])),
        "resumed_count": len((effects.get("refuted") or {}).get("resumed", [])),
        "waived_count": len((effects.get("refuted") or {}).get("waived", [])),
    }
    return detail


def overpayment_dict(row: Overpayment, *, actor=None) -> dict:
    """One overpayment; with `actor`, the actions that account may take on it now."""
    payment = row.payment
    statuses = dict(PaymentStatus.choices)
    return {
        "id": row.pk, "death_id": row.death_id, "name": mask_name(row.death.name),
        "benefit_type": payment.benefit_type, "benefit_label": str(BENEFIT_NAMES.get(payment.benefit_type, "")),
        "period": f"{payment.period:%Y-%m}", "amount": fen_str(row.amount), "payment_id": payment.pk,
        "payment_status": payment.status, "payment_status_label": str(statuses.get(payment.status, payment.status)),
        "returned_by_bank": payment.status == PaymentStatus.FAILED,
        "status": row.status, "status_label": row.get_status_display(), "note": row.note,
        "handled_by": str(row.handled_by) if row.handled_by_id else "", "handled_at": _when(row.handled_at),
        "handled_shown": _shown(row.handled_at), "death_status": row.death.status,
        "death_confirmed": row.death.status == DeathStatus.CONFIRMED,
        "actions": sorted(allowed_actions(actor, row)) if actor is not None else [],
    }
