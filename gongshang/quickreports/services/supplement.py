"""quick_report_supplement (补充信息): corrections, text, added or replacing media. Nothing is
deleted: old values stay in the timeline, replaced media stay with `replaced_by` set."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.validation import collect
from gongshang.cases import services as case_services
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError

from .. import selectors
from ..choices import MediaKind, ReporterKind, ReportEventType
from ..errors import QuickReportErrorCode as E
from ..models import QuickReport, QuickReportEvent, QuickReportMedia
from ..rules import WORKFLOW
from . import media, people, watermarks
from .submission import check_accident_time, location_errors

PERSON_FIELDS = {"name": "injured_name", "id_number": "injured_id_number", "mobile": "injured_mobile",
                 "body_part": "body_part", "injury_type": "injury_type"}


@dataclass
class SupplementInput:
    persons: list[dict] = field(default_factory=list)  # {"case_number", and any of PERSON_FIELDS}
    accident_at: datetime | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None
    note: str = ""
    replace_media_ids: list[int] = field(default_factory=list)


def _replaced(report, ids: list[int]) -> list[QuickReportMedia]:
    current = {m.pk: m for m in report.media.filter(replaced_by__isnull=True)}
    if any(i not in current for i in ids):
        raise DomainError(E.MEDIA_NOT_FOUND, status=422, details={"field": "replace_media_ids"})
    return [current[i] for i in dict.fromkeys(ids)]


def _check_location(accident, data: SupplementInput) -> None:
    """Half a coordinate pair is refused (never dropped), and the only place may not be cleared."""
    with collect() as errors:
        location_errors(errors, latitude=data.latitude, longitude=data.longitude, address=None,
                        address_given=False)
        has_geo = data.latitude is not None or accident.latitude is not None
        if data.address is not None and not data.address.strip() and not has_geo:
            errors["address"] = "该快报没有定位，事故发生地点（address）不能清空；请填写更正后的地点。"


def _counts_under_lock(report, replaced, checked) -> None:
    """Media counts again under the report's row lock: two concurrent supplements cannot both
    pass the early check and together exceed 4 photos / 1 video."""
    current = {m.pk: m for m in report.media.select_for_update().filter(replaced_by__isnull=True)}
    if any(m.pk not in current for m in replaced):  # replaced meanwhile by another supplement
        raise DomainError(E.MEDIA_NOT_FOUND, status=409, details={"field": "replace_media_ids"})
    def kept(kind):
        return sum(1 for m in current.values() if m.kind == kind) - sum(1 for m in replaced if m.kind == kind)
    media.check_counts(photos=sum(1 for c in checked if c.kind == MediaKind.PHOTO),
                       videos=sum(1 for c in checked if c.kind == MediaKind.VIDEO),
                       existing_photos=kept(MediaKind.PHOTO), existing_videos=kept(MediaKind.VIDEO))


def _check(report, data: SupplementInput, photos, video, now):
    if not WORKFLOW.can("supplement", report.status):
        raise DomainError(E.REPORT_CLOSED, status=409)
    closed = selectors.supplement_closed_reason(report)
    if closed:
        raise DomainError(E.SUPPLEMENT_CLOSED, closed, status=409)
    if data.accident_at is not None:
        check_accident_time(data.accident_at, report.submitted_at)
    _check_location(report.accident, data)
    cases = {c.number: c for c in report.accident.cases.all()}
    if any(p.get("case_number") not in cases for p in data.persons):
        raise DomainError(E.PERSON_NOT_FOUND, status=422, details={"field": "persons"})
    replaced = _replaced(report, data.replace_media_ids)
    current = report.media.filter(replaced_by__isnull=True)
    r_photos = [m for m in replaced if m.kind == MediaKind.PHOTO]
    r_videos = [m for m in replaced if m.kind == MediaKind.VIDEO]
    if len(r_photos) > len(photos) or len(r_videos) > (1 if video else 0):
        raise DomainError(E.MEDIA_NOT_FOUND, "每个被替换的影像都需要上传一个同类型的新文件（照片换照片、视频换视频）。",
                          status=422, details={"field": "replace_media_ids"})
    accident_at = data.accident_at or report.accident.occurred_at
    checked = media.check_all(
        photos=list(photos), video=video, accident_at=accident_at, uploaded_at=now,
        existing_photos=current.filter(kind=MediaKind.PHOTO).count() - len(r_photos),
        existing_videos=current.filter(kind=MediaKind.VIDEO).count() - len(r_videos))
    return cases, replaced, checked


def quick_report_supplement(*, actor, report: QuickReport, data: SupplementInput, photos=(), video=None,
                            actor_label: str = "") -> QuickReportEvent:
    """New media are watermarked with the case numbers, time and place (never the code).
    The caller has checked the access: the reporter's account, or the code and its SMS grant."""
    now = timezone.now()
    report = QuickReport.objects.select_related("accident").get(pk=report.pk)  # the current status
    cases, replaced, checked = _check(report, data, photos, video, now)
    written: list[str] = []
    try:
        return _write(actor=actor, report=report, data=data, cases=cases, replaced=replaced, checked=checked,
                      written=written, actor_label=actor_label or str(actor or "补充人"))
    except Exception:
        media.delete_blobs(written)
        raise


def _correct_people(actor, report, data, cases, label) -> dict:
    """A corrected ID number re-resolves the registry person and the employer (an ID that matches
    nobody unlinks the person); the reporting employer of a 单位申报 stays its employer."""
    changes = {}
    declared = report.reporter.employer if (report.reporter_kind == ReporterKind.EMPLOYER
                                            and report.reporter_id) else None
    for entry in data.persons:
        case = cases[entry["case_number"]]
        wanted = {PERSON_FIELDS[k]: str(v or "").strip()[:50] for k, v in entry.items() if k in PERSON_FIELDS}
        if "injured_id_number" in wanted:
            wanted["injured_id_number"] = wanted["injured_id_number"].upper()
        person = people.registry_person(wanted.get("injured_id_number", ""))
        employer = people.injury_employer_of(person) or declared
        diff = case_services.case_correct_injured(actor=actor, case=case, changes=wanted, person=person,
                                                  employer=employer, actor_label=label)
        if diff:
            changes[case.number] = sorted(diff)
    return changes


def _same_minute(given, current) -> bool:
    """The forms give minutes: the time as shown, re-entered, is no change (seconds are kept)."""
    return current is not None and given.replace(second=0, microsecond=0) == current.replace(second=0, microsecond=0)


def _correct_accident(actor, report, data, label) -> list[str]:
    wanted = {}
    if data.accident_at is not None and not _same_minute(data.accident_at, report.accident.occurred_at):
        wanted["occurred_at"] = data.accident_at
    if data.address is not None:
        wanted["address"] = data.address.strip()[:300]
    if data.latitude is not None and data.longitude is not None:
        wanted.update(latitude=data.latitude, longitude=data.longitude, location_accuracy_m=data.accuracy_m)
    return sorted(case_services.accident_correct(actor=actor, accident=report.accident, changes=wanted,
                                                 actor_label=label))


@transaction.atomic
def _write(*, actor, report, data, cases, replaced, checked, written, actor_label) -> QuickReportEvent:
    report = QuickReport.objects.select_for_update().select_related("accident").get(pk=report.pk)
    revision = (report.events.exclude(revision=None).order_by("-revision").values_list("revision", flat=True)
                .first() or 1) + 1
    _counts_under_lock(report, replaced, checked)
    person_changes = _correct_people(actor, report, data, cases, actor_label)
    people.schedule_identity_checks(actor=actor, region=report.region, cases=[
        c for c in report.accident.cases.all()
        if {"injured_id_number", "injured_name"} & set(person_changes.get(c.number, ()))])
    accident_changes = _correct_accident(actor, report, data, actor_label)
    if not (person_changes or accident_changes or data.note.strip() or checked):
        raise DomainError(E.NOTHING_TO_SUPPLEMENT, status=422)
    accident = report.accident
    accident.refresh_from_db()
    added = media.store_all(report=report, items=checked, revision=revision, actor=actor, written=written)
    watermarks.schedule([m.pk for m in added])
    pairs = _pair_replacements(replaced, added)
    details = {"note": data.note.strip()[:2000], "persons": person_changes, "accident": accident_changes,
               "media_added": [m.pk for m in added], "media_replaced": pairs, "snapshot": people.snapshot(report)}
    event = QuickReportEvent.objects.create(report=report, event_type=ReportEventType.SUPPLEMENTED,
                                            revision=revision, actor=actor if getattr(actor, "pk", None) else None,
                                            actor_label=actor_label[:100], details=details)
    people.refresh_flags(report)  # after the event: "supplemented" counts this one too
    record_event(actor=actor, actor_label=actor_label, event_type=ReportEventType.SUPPLEMENTED, target=report,
                 region=report.region,
                 details={"revision": revision, "persons": person_changes, "accident": accident_changes,
                          "media_added": len(added), "media_replaced": len(pairs)})
    return event


def _pair_replacements(replaced, added) -> dict:
    pairs = {}
    for kind in (MediaKind.PHOTO, MediaKind.VIDEO):
        new = [m for m in added if m.kind == kind]
        for old, newer in zip([m for m in replaced if m.kind == kind], new, strict=False):
            QuickReportMedia.objects.filter(pk=old.pk).update(replaced_by=newer)
            pairs[str(old.pk)] = newer.pk
    return pairs
