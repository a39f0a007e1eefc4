"""The shapes of a registration and a referral for the API and the pages (one place)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from gongshang.core.money import fen_str
from gongshang.core.regions import full_name

from ..services.remote import lock_ends_on


def registration_dict(row, today=None) -> dict:
    today = today or timezone.localdate()
    try:
        replaced_by = row.replaced_by
    except ObjectDoesNotExist:
        replaced_by = None
    return {
        "id": row.pk, "case_number": row.case.number, "region": row.region, "region_name": full_name(row.region),
        "treatment_region": row.treatment_region, "treatment_region_name": full_name(row.treatment_region),
        "reason": row.reason, "reason_label": row.get_reason_display(), "start_date": row.start_date,
        "valid_until": row.valid_until, "status": row.status, "status_label": row.get_status_display(),
        "active": row.is_active_on(today), "change_possible_from": lock_ends_on(row),
        "replaces_id": row.replaces_id, "replaced_by_id": replaced_by.pk if replaced_by else None,
    }


def referral_dict(row) -> dict:
    inst = row.institution
    self_amount = row.amount - row.fund_amount if row.amount is not None and row.fund_amount is not None else None
    return {
        "id": row.pk, "case_number": row.case.number, "kind": row.kind, "kind_label": row.get_kind_display(),
        "item_code": row.item_code, "item_name": row.item_name, "confirmed_on": row.confirmed_on,
        "status": row.status, "status_label": row.get_status_display(),
        "institution_code": inst.code if inst else None, "institution_name": inst.name if inst else None,
        "amount": fen_str(row.amount) if row.amount is not None else None,
        "fund_amount": fen_str(row.fund_amount) if row.fund_amount is not None else None,
        "self_amount": fen_str(self_amount) if self_amount is not None else None,
        "settled_on": row.settled_on, "replace_due_on": row.replace_due_on,
    }
