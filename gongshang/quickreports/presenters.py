"""Shaping reports for the API and pages: the reporter sees his own data; staff see it masked."""

from django.urls import reverse

from gongshang.core.pii.masking import mask_id_number, mask_mobile, mask_name

from . import selectors
from .services.people import person_flags


def media_url(media, variant: str) -> str:
    return reverse("quickreports:media", args=[media.pk, variant])


def media_item(m) -> dict:
    return {"id": m.pk, "kind": m.kind, "sha256": m.original.sha256, "size": m.original.size,
            "content_type": m.original.content_type, "captured_at": m.captured_at,
            "duration_seconds": float(m.duration_seconds) if m.duration_seconds is not None else None,
            "flags": m.flags, "revision": m.revision, "current": m.replaced_by_id is None,
            "replaced_by": m.replaced_by_id, "original_url": media_url(m, "original"),
            "watermarked_url": media_url(m, "watermarked") if m.watermarked_id else None,
            "watermarked_sha256": m.watermarked.sha256 if m.watermarked_id else None}


def timeline_item(e, *, reveal: bool) -> dict:
    details = dict(e.details or {})
    details.pop("snapshot", None)
    details.pop("ip", None)
    item = {"at": e.created_at, "event": e.event_type, "label": e.get_event_type_display(),
            "revision": e.revision, "by": e.actor_label, "details": details}
    if reveal and e.details.get("snapshot"):
        item["version"] = e.details["snapshot"]
    return item


def _accident(report) -> dict:
    a = report.accident
    return {"accident_at": a.occurred_at, "address": a.address,
            "latitude": float(a.latitude) if a.latitude is not None else None,
            "longitude": float(a.longitude) if a.longitude is not None else None,
            "accuracy_m": a.location_accuracy_m, "description": a.description}


def reporter_view(report) -> dict:
    cases = report.accident.cases.order_by("pk")
    return {
        "case_numbers": [c.number for c in cases], "status": report.status, "flags": report.flags,
        "submitted_at": report.submitted_at, "reporter_kind": report.reporter_kind, **_accident(report),
        "persons": [{"case_number": c.number, "name": c.injured_name, "id_number": mask_id_number(c.injured_id_number),
                     "mobile": mask_mobile(c.injured_mobile), "body_part": c.body_part,
                     "injury_type": c.injury_type, "flags": person_flags(c)} for c in cases],
        "media": [media_item(m) for m in selectors.all_media(report)],
        "timeline": [timeline_item(e, reveal=False) for e in selectors.timeline(report)],
    }


def staff_row(report) -> dict:
    cases = list(report.accident.cases.order_by("pk"))
    return {"id": report.pk, "status": report.status, "flags": report.flags, "submitted_at": report.submitted_at,
            "accident_at": report.accident.occurred_at, "address": report.accident.address,
            "employer": report.employer.name if report.employer_id else "",
            "case_numbers": [c.number for c in cases], "injured": [mask_name(c.injured_name) for c in cases],
            "unread": report.first_viewed_at is None, "reporter_kind": report.reporter_kind}


def staff_view(report) -> dict:
    return {**staff_row(report), **_accident(report),
            "reporter": mask_name(report.reporter_name), "reporter_mobile": mask_mobile(report.reporter_mobile),
            "pledge_version": report.pledge_version, "pledge_accepted_at": report.pledge_accepted_at,
            "closed_reason": report.closed_reason,
            "persons": [{**selectors.masked_person(c), "flags": person_flags(c)}
                        for c in report.accident.cases.order_by("pk")],
            "map_url": map_url(report.accident),
            "media": [media_item(m) for m in selectors.all_media(report)],
            "timeline": [timeline_item(e, reveal=False) for e in selectors.timeline(report)]}


def map_url(accident) -> str:
    if accident.latitude is None or accident.longitude is None:
        return ""
    # Browser geolocation gives WGS-84; 高德 marker links accept it with coordinate=wgs84.
    return (f"https://uri.amap.com/marker?position={accident.longitude},{accident.latitude}"
            f"&coordinate=wgs84&name=事故地点")
