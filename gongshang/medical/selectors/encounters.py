"""Reads of 就诊与费用明细: every list starts from restrict() (an institution sees its own encounters,
staff their 统筹区, a worker their own), and the shapes the API answers."""

from django.db.models import Count, QuerySet
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, restrict
from gongshang.core.money import fen_str

from ..models import Encounter


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def encounter_access(*, actor, pk: int, action: str = "view") -> Encounter:
    return get_for(actor, Encounter.objects.select_related("institution", "case"), pk, action)


def encounter_list(*, actor, status: str = "") -> QuerySet[Encounter]:
    rows = restrict(actor, Encounter.objects.select_related("institution", "case"), "view")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-admitted_at", "-pk")


def my_encounters(*, actor) -> QuerySet[Encounter]:
    """A worker's own encounters (read only), newest first."""
    return encounter_list(actor=actor)


def row_dict(encounter: Encounter) -> dict:
    return {"id": encounter.pk, "case_number": encounter.case.number, "institution": encounter.institution.name,
            "kind": encounter.kind, "kind_label": encounter.get_kind_display(), "status": encounter.status,
            "status_label": encounter.get_status_display(), "admitted_at": _iso(encounter.admitted_at),
            "discharged_at": _iso(encounter.discharged_at), "total": fen_str(encounter.total),
            "fund_amount": fen_str(encounter.fund_amount), "self_amount": fen_str(encounter.self_amount),
            "flagged": encounter.flagged}


def encounter_dict(encounter: Encounter, *, actor) -> dict:
    line_count = Encounter.objects.filter(pk=encounter.pk).aggregate(n=Count("lines"))["n"]
    return {**row_dict(encounter), "institution_code": encounter.institution.code,
            "department": encounter.department, "diagnoses": encounter.diagnoses, "region": encounter.region,
            "treatment_region": encounter.treatment_region,
            "remote_registration_id": encounter.remote_registration_id, "line_count": line_count,
            "deducted_amount": fen_str(encounter.deducted_amount), "settled_at": _iso(encounter.settled_at),
            "review_note": encounter.review_note,
            "allowed_actions": sorted(allowed_actions(actor, encounter))}


def settle_dict(encounter: Encounter, result) -> dict:
    """The settlement answer: amounts as strings to the fen; each flag's rule, reason and amount."""
    def flag(f):
        return {"rule": f.rule, "reason": f.reason, "amount": fen_str(f.amount)}

    return {"id": encounter.pk, "status": encounter.status, "total": fen_str(result.total),
            "fund_amount": fen_str(result.fund_amount), "self_amount": fen_str(result.self_amount),
            "lines": [{"line_no": line.line_no, "fund_amount": fen_str(line.fund_amount),
                       "self_amount": fen_str(line.self_amount), "flags": [flag(f) for f in line.flags]}
                      for line in result.lines],
            "flags": [flag(f) for f in result.encounter_flags]}


def case_encounters(*, actor, case) -> list[dict]:
    """The encounters of `case` the actor may see (the worker: their own, read only), for the case page."""
    rows = restrict(actor, Encounter.objects.select_related("institution", "case"), "view").filter(case=case)
    return [{**row_dict(e), "admitted_on": timezone.localtime(e.admitted_at).date(),
             "discharged_on": timezone.localtime(e.discharged_at).date() if e.discharged_at else None}
            for e in rows.order_by("-admitted_at", "-pk")[:50]]
