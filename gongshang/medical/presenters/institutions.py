"""Rows of 协议机构 and 目录 as the API and the pages show them (money as strings to the fen)."""

from django.utils import timezone

from gongshang.core.money import fen_str
from gongshang.core.pii.masking import mask_mobile
from gongshang.core.regions import get_region


def county_name(code: str) -> str:
    region = get_region(code)
    return region.name if region else code


def institution_dict(institution) -> dict:
    return {"id": institution.pk, "code": institution.code, "name": institution.name, "kind": institution.kind,
            "kind_label": institution.get_kind_display(), "level": institution.level, "region": institution.region,
            "county": institution.county, "county_name": county_name(institution.county),
            "agreement_no": institution.agreement_no, "agreement_from": institution.agreement_from,
            "agreement_to": institution.agreement_to, "status": institution.status,
            "status_label": institution.get_status_display(),
            "may_settle_today": institution.agreement_in_force(timezone.localdate()),
            "address": institution.address, "contact_name": institution.contact_name,
            "contact_phone": mask_mobile(institution.contact_phone) if institution.contact_phone else ""}


def _quantity(value) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def catalogue_item_dict(item) -> dict:
    return {"id": item.pk, "code": item.code, "name": item.name, "kind": item.kind,
            "kind_label": item.get_kind_display(), "specification": item.specification, "unit": item.unit,
            "price_cap": fen_str(item.price_cap) if item.price_cap is not None else None,
            "price_class": item.price_class, "work_injury_only": item.work_injury_only,
            "frequency_limit": _quantity(item.frequency_limit), "frequency_days": item.frequency_days,
            "service_life_months": item.service_life_months, "valid_from": item.valid_from,
            "valid_to": item.valid_to, "national": item.region == ""}
