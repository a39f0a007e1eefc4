"""Dicts of the review desk and the statements for the API and the pages (money to the fen as
strings, local ISO times, names masked in lists)."""

from django.utils import timezone

from gongshang.core.money import fen_str
from gongshang.core.pii.masking import mask_name


def iso(value):
    return timezone.localtime(value).isoformat() if value else None


def queue_row(e) -> dict:
    return {"id": e.pk, "institution": e.institution.name, "case_number": e.case.number,
            "worker": mask_name(e.case.injured_name), "kind": e.kind, "kind_label": e.get_kind_display(),
            "admitted_at": iso(e.admitted_at), "discharged_at": iso(e.discharged_at), "settled_at": iso(e.settled_at),
            "total": fen_str(e.total), "fund_amount": fen_str(e.fund_amount), "self_amount": fen_str(e.self_amount),
            "flagged": e.flagged, "flag_count": getattr(e, "flag_count", 0), "status": e.status,
            "status_label": e.get_status_display(),
            "review_due": e.review_due.isoformat() if getattr(e, "review_due", None) else None,
            "review_days_left": getattr(e, "review_days_left", None)}


def reviewed(e) -> dict:
    return {"id": e.pk, "status": e.status, "status_label": e.get_status_display(),
            "fund_amount": fen_str(e.fund_amount), "deducted_amount": fen_str(e.deducted_amount),
            "review_note": e.review_note}


def statement(s) -> dict:
    return {"id": s.pk, "institution_id": s.institution_id, "institution": s.institution.name,
            "period": f"{s.period:%Y-%m}", "status": s.status, "status_label": s.get_status_display(),
            "encounter_count": s.encounter_count, "total": fen_str(s.total), "fund_amount": fen_str(s.fund_amount),
            "deducted_amount": fen_str(s.deducted_amount), "payable": fen_str(s.payable),
            "created_at": iso(s.created_at), "approved_at": iso(s.approved_at), "released_at": iso(s.released_at),
            "paid_at": iso(s.paid_at)}


def statement_detail(s) -> dict:
    data = statement(s)
    data["encounters"] = [
        {"id": e.pk, "case_number": e.case.number, "worker": mask_name(e.case.injured_name),
         "admitted_at": iso(e.admitted_at), "discharged_at": iso(e.discharged_at), "total": fen_str(e.total),
         "fund_amount": fen_str(e.fund_amount), "deducted_amount": fen_str(e.deducted_amount)}
        for e in s.encounters.select_related("case").order_by("settled_at", "pk")]
    data["deductions"] = [
        {"id": d.pk, "encounter_id": d.encounter_id, "amount": fen_str(d.amount), "reason": d.reason,
         "created_at": iso(d.created_at)} for d in s.deductions.order_by("pk")]
    return data


def adjustment(d) -> dict:
    return {"id": d.pk, "institution_id": d.institution_id, "amount": fen_str(d.amount), "reason": d.reason,
            "created_at": iso(d.created_at)}
