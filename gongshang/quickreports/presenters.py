"""Shaping reports for the API and pages: the reporter sees his own data; staff see it masked.

Codes (status, flags) go out as they are, with their Chinese labels next to them for screens.
"""

from django.urls import reverse

from gongshang.accounts.choices import Audience
from gongshang.cases.presenters import shown_at
from gongshang.core.pii.masking import mask_id_number, mask_mobile, mask_name
from gongshang.integrations.selectors.identity import identity_warning

from . import selectors, timeline_text
from .choices import MediaFlag, PersonFlag, ReporterKind, ReportEventType, ReportFlag, ReportStatus
from .services.media import original_servable
from .services.people import person_flags

GREEN_CHANNEL_PROMISE = "受理后 5 个工作日内作出认定决定"
AGENCY_LABEL = "经办机构"
STAFF_EVENTS = frozenset({ReportEventType.RECEIVED, ReportEventType.MESSAGED, ReportEventType.CASE_OPENED,
                          ReportEventType.GREEN_CHANNEL, ReportEventType.CLOSED_INVALID, ReportEventType.VIEWED})
ACCIDENT_LABELS = {"accident_at": "事故时间", "address": "事故地点", "latitude": "纬度", "longitude": "经度",
                   "description": "事故经过"}
PERSON_LABELS = {"name": "姓名", "id_number": "身份证号", "mobile": "手机号", "body_part": "受伤部位",
                 "injury_type": "伤害类型"}
STAFF_MASKS = {"id_number": mask_id_number, "mobile": mask_mobile}


def labels(values, choices) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(v, v)) for v in values or []]


def media_url(media, variant: str) -> str:
    return reverse("quickreports:media", args=[media.pk, variant])


def media_item(m) -> dict:
    return {"id": m.pk, "kind": m.kind, "kind_label": m.get_kind_display(), "sha256": m.original.sha256,
            "size": m.original.size, "content_type": m.original.content_type, "captured_at": m.captured_at,
            "duration_seconds": float(m.duration_seconds) if m.duration_seconds is not None else None,
            "flags": m.flags, "flag_labels": labels(m.flags, MediaFlag), "revision": m.revision,
            "current": m.replaced_by_id is None, "replaced_by": m.replaced_by_id,
            "original_url": media_url(m, "original"),
            # A photo's original is handed out only after the full check (the link answers 404 before).
            "original_available": original_servable(m),
            "original_refused": MediaFlag.ACTIVE_CONTENT.value in (m.flags or []),
            "watermarked_url": media_url(m, "watermarked") if m.watermarked_id else None,
            "watermark_failed": MediaFlag.WATERMARK_FAILED.value in (m.flags or []),
            "watermarked_sha256": m.watermarked.sha256 if m.watermarked_id else None}


def _value(key: str, value, *, masked: bool) -> str:
    if key == "accident_at":
        return shown_at(value)
    value = "" if value is None else str(value)
    return STAFF_MASKS[key](value) if masked and key in STAFF_MASKS and value else value


def version_changes(before: dict, after: dict, *, masked: bool) -> list[dict]:
    """Old → new of every field that differs, as shown, between two kept versions (snapshots)."""
    changes = [{"field": key, "label": label, "old": _value(key, before.get(key), masked=masked),
                "new": _value(key, after.get(key), masked=masked)}
               for key, label in ACCIDENT_LABELS.items() if before.get(key) != after.get(key)]
    old_people = {p["case_number"]: p for p in before.get("persons", [])}
    for person in after.get("persons", []):
        old = old_people.get(person["case_number"], {})
        changes += [{"field": key, "label": label, "case_number": person["case_number"],
                     "old": _value(key, old.get(key), masked=masked), "new": _value(key, person.get(key), masked=masked)}
                    for key, label in PERSON_LABELS.items() if old.get(key, "") != person.get(key, "")]
    return [c for c in changes if c["old"] != c["new"]]


def _by(e, *, for_reporter: bool) -> str:
    """Reporters see "经办机构", never a staff member's name."""
    staff = e.event_type in STAFF_EVENTS or getattr(e.actor, "kind", None) == Audience.STAFF
    return AGENCY_LABEL if for_reporter and staff else e.actor_label


def timeline(report, *, for_reporter: bool) -> list[dict]:
    """Every event; each new version shows what changed from the one before (masked for staff)."""
    items, previous = [], None
    for e in selectors.timeline(report):
        if for_reporter and e.event_type == ReportEventType.VIEWED:
            continue
        details = dict(e.details or {})
        snapshot = details.pop("snapshot", None)
        details.pop("ip", None)
        item = {"at": e.created_at, "at_display": shown_at(e.created_at), "event": e.event_type,
                "label": e.get_event_type_display(), "text": timeline_text.sentence(e, for_staff=not for_reporter),
                "revision": e.revision, "by": _by(e, for_reporter=for_reporter), "details": details}
        if snapshot is not None:
            if previous is not None:
                item["changes"] = version_changes(previous, snapshot, masked=not for_reporter)
            previous = snapshot
        items.append(item)
    return items


def _accident(report) -> dict:
    a = report.accident
    return {"accident_at": a.occurred_at, "address": a.address,
            "latitude": float(a.latitude) if a.latitude is not None else None,
            "longitude": float(a.longitude) if a.longitude is not None else None,
            "accuracy_m": a.location_accuracy_m, "description": a.description}


def green_channel(case) -> dict:
    """The green-channel promise of a case; the date once a recognition application is accepted
    (recognition.deadlines uses the same 5 working days for applications from a quick report)."""
    if not case.green_channel:
        return {"green_channel": False}
    from gongshang.cases.selectors import green_channel_due
    from gongshang.recognition.models import RecognitionApplication

    accepted_on = (RecognitionApplication.objects.filter(case=case, accepted_on__isnull=False,
                                                         from_quick_report=True)
                   .order_by("-accepted_on").values_list("accepted_on", flat=True).first())
    due = green_channel_due(case=case, accepted_on=accepted_on) if accepted_on else None
    return {"green_channel": True, "green_channel_promise": GREEN_CHANNEL_PROMISE,
            "green_channel_accepted_on": accepted_on, "green_channel_due": due.due if due else None,
            "green_channel_provisional": bool(due and due.provisional),
            "green_channel_earliest": due.earliest if due else None}


def _report_labels(report) -> dict:
    return {"status_label": ReportStatus(report.status).label if report.status in ReportStatus.values else report.status,
            "flag_labels": labels(report.flags, ReportFlag),
            "green_channel": "green_channel" in (report.flags or [])}


def reporter_view(report) -> dict:
    cases = report.accident.cases.order_by("pk")
    return {
        "case_numbers": [c.number for c in cases], "status": report.status, "flags": report.flags,
        **_report_labels(report),
        "submitted_at": report.submitted_at, "reporter_kind": report.reporter_kind, **_accident(report),
        "persons": [{"case_number": c.number, "name": c.injured_name, "id_number": mask_id_number(c.injured_id_number),
                     "mobile": mask_mobile(c.injured_mobile), "body_part": c.body_part,
                     "injury_type": c.injury_type, "flags": person_flags(c),
                     "flag_labels": labels(person_flags(c), PersonFlag), **green_channel(c)} for c in cases],
        "media": [media_item(m) for m in selectors.all_media(report)],
        "timeline": timeline(report, for_reporter=True),
        "supplement_closed_reason": selectors.supplement_closed_reason(report),
    }


def staff_row(report) -> dict:
    """One inbox row; reads only what selectors.with_rows prefetches."""
    cases = list(report.accident.cases.all())
    return {"id": report.pk, "status": report.status, "flags": report.flags, **_report_labels(report),
            "submitted_at": report.submitted_at, "accident_at": report.accident.occurred_at,
            "address": report.accident.address, "employer": report.employer.name if report.employer_id else "",
            "case_numbers": [c.number for c in cases], "injured": [mask_name(c.injured_name) for c in cases],
            "unread": report.first_viewed_at is None, "reporter_kind": report.reporter_kind,
            "hotline": report.reporter_kind == ReporterKind.HOTLINE}


def staff_view(report) -> dict:
    cases = list(report.accident.cases.order_by("pk"))
    return {**staff_row(report), **_accident(report),
            "case_numbers": [c.number for c in cases], "injured": [mask_name(c.injured_name) for c in cases],
            "reporter": mask_name(report.reporter_name), "reporter_mobile": mask_mobile(report.reporter_mobile),
            "pledge_version": report.pledge_version, "pledge_accepted_at": report.pledge_accepted_at,
            "closed_reason": report.closed_reason,
            "persons": [{**selectors.masked_person(c), "flags": person_flags(c),
                         "flag_labels": labels(person_flags(c), PersonFlag), **green_channel(c),
                         "identity_warning": identity_warning(c.injured_id_number, c.injured_name)} for c in cases],
            "map_url": map_url(report.accident),
            "media": [media_item(m) for m in selectors.all_media(report)],
            "timeline": timeline(report, for_reporter=False)}


def map_url(accident) -> str:
    if accident.latitude is None or accident.longitude is None:
        return ""
    # Browser geolocation gives WGS-84; 高德 marker links accept it with coordinate=wgs84.
    return (f"https://uri.amap.com/marker?position={accident.longitude},{accident.latitude}"
            f"&coordinate=wgs84&name=事故地点")
