"""quick_report_submit: one accident, one InjuryCase per injured person, evidence, the code, SMS."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.accounts.choices import Audience
from gongshang.accounts.validation import collect
from gongshang.cases import services as case_services
from gongshang.core.audit import record_event
from gongshang.core.audit.context import current
from gongshang.core.errors import DomainError
from gongshang.core.queue import batched_jobs
from gongshang.core.validators import is_valid_mobile

from .. import content, notifications, rules
from ..choices import ReporterKind, ReportEventType
from ..errors import QuickReportErrorCode as E
from ..models import QuickReport, QuickReportEvent
from . import access, media, people, watermarks

MAX_PERSONS = 20


@dataclass
class InjuredInput:
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    body_part: str = ""
    injury_type: str = ""


@dataclass
class ReportInput:
    reporter_kind: str
    accident_at: datetime
    description: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None
    persons: list[InjuredInput] = field(default_factory=list)
    reporter_mobile: str = ""
    employer_uscc: str = ""
    pledge_version: str = ""
    pledge_accepted_at: datetime | None = None


@dataclass
class SubmitResult:
    report: QuickReport
    code: str  # formatted; shown once, never stored
    case_numbers: list[str]
    sms_recipients: list[str]


def check_accident_time(accident_at: datetime, reference: datetime, field_name="accident_at") -> None:
    problem = rules.accident_time_problem(accident_at, reference)
    if problem:
        why = "晚于当前时间" if problem == "future" else "早于提交前 48 小时"
        raise DomainError(E.ACCIDENT_TIME_OUT_OF_WINDOW, f"事故发生时间（{field_name}）{why}：只能填写提交前 48 小时之内、"
                          "且不晚于当前的时间，请修改后重试。", status=422,
                          details={"field": field_name, "earliest": (reference - rules.ACCIDENT_WINDOW).isoformat(),
                                   "latest": reference.isoformat()})


def _check_fields(actor, data: ReportInput) -> None:
    allowed = {Audience.INDIVIDUAL: {ReporterKind.SELF, ReporterKind.OTHER},
               Audience.EMPLOYER: {ReporterKind.EMPLOYER}}.get(getattr(actor, "kind", None), set())
    if data.reporter_kind not in allowed:
        raise DomainError(E.REPORTER_KIND, status=422, details={"field": "reporter_kind"})
    with collect() as errors:
        if not (data.description or "").strip():
            errors["description"] = "请简要描述事故经过（description）"
        location_errors(errors, latitude=data.latitude, longitude=data.longitude, address=data.address,
                        address_given=True)
        if data.reporter_kind != ReporterKind.SELF and not data.persons:
            errors["persons"] = "请至少填写一名受伤人员（姓名、身份证号、手机号可先填已知的）"
        if data.reporter_kind == ReporterKind.OTHER and len(data.persons) > 1:
            errors["persons"] = "个人申报一次只能报一名受伤人员；多人受伤请由单位申报"
        if data.reporter_kind != ReporterKind.SELF:
            _check_persons(errors, data.persons)
        if len(data.persons) > MAX_PERSONS:
            errors["persons"] = f"一次最多报 {MAX_PERSONS} 名受伤人员"
        if not is_valid_mobile(_reporter_mobile(actor, data)):
            errors["reporter_mobile"] = "请填写快报人的手机号（11 位），用于接收快报唯一标志码"
        if data.pledge_version != content.PLEDGE_VERSION:
            errors["pledge_version"] = f"请先阅读并接受最新的《{content.PLEDGE_TITLE}》（版本 {content.PLEDGE_VERSION}）"


def location_errors(errors, *, latitude, longitude, address, address_given: bool) -> None:
    """Both coordinates or neither, within range; without them an address is required."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        errors[missing] = E.LOCATION_INCOMPLETE.label
    for name, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if value is not None and not (-bound <= value <= bound):
            errors[name] = f"{'纬度' if name == 'latitude' else '经度'}（{name}）应在 -{bound} 到 {bound} 之间"
    if address_given and latitude is None and longitude is None and not (address or "").strip():
        errors["address"] = E.LOCATION_REQUIRED.label


def _check_persons(errors, persons) -> None:
    for i, p in enumerate(persons):
        if not any((getattr(p, k, "") or "").strip() for k in ("name", "id_number", "mobile")):
            errors[f"persons.{i}"] = "每名受伤人员至少填写姓名、身份证号、手机号中的一项"


def _reporter_mobile(actor, data: ReportInput) -> str:
    if data.reporter_kind == ReporterKind.HOTLINE:  # the caller's phone, never the agent's own
        return (data.reporter_mobile or "").strip()
    return (getattr(actor, "mobile", "") or data.reporter_mobile or "").strip()


def _injured(actor, data: ReportInput) -> list[dict]:
    """Resolve each injured person: 本人 from the registry, others as typed (matched if possible)."""
    if data.reporter_kind == ReporterKind.SELF:
        if not actor.person_id:
            raise DomainError(E.NOT_BOUND, status=422, details={"field": "reporter_kind"})
        found = people.injured_self(actor.person_id)  # the person with the enrolment: one query
        if found is None:
            raise DomainError(E.NOT_ENROLLED, status=422, details={"field": "reporter_kind"})
        person, employer = found
        extra = data.persons[0] if data.persons else InjuredInput()
        return [{"name": person.name, "id_number": person.id_number, "mobile": person.mobile or actor.mobile,
                 "person": person, "employer": employer, "body_part": extra.body_part[:50],
                 "injury_type": extra.injury_type[:50]}]
    typed_employer = actor.employer if data.reporter_kind == ReporterKind.EMPLOYER else \
        people.employer_by_uscc(data.employer_uscc)
    result = []
    for p in data.persons:
        person = people.registry_person(p.id_number)
        employer = typed_employer or people.injury_employer_of(person)
        result.append({"name": p.name.strip()[:50], "id_number": p.id_number.strip().upper()[:30],
                        "mobile": p.mobile.strip()[:20], "person": person, "employer": employer,
                        "body_part": p.body_part[:50], "injury_type": p.injury_type[:50]})
    return result


def quick_report_submit(*, actor, data: ReportInput, photos=(), video=None) -> SubmitResult:
    """Check everything first (nothing written on a refusal), then write it all in one transaction."""
    require(actor, "quick_report", "create")
    now = timezone.now()
    check_accident_time(data.accident_at, now)
    _check_fields(actor, data)
    injured = _injured(actor, data)
    checked = media.check_all(photos=list(photos), video=video, accident_at=data.accident_at, uploaded_at=now)
    written: list[str] = []
    try:
        return _write(actor=actor, data=data, injured=injured, checked=checked, now=now,
                      written=written)
    except Exception:
        media.delete_blobs(written)
        raise


def quick_report_submit_by_hotline(*, actor, data: ReportInput, caller_name: str) -> SubmitResult:
    """12333 热线代报: the agent files a quick report for a caller who has no account (济宁: 12333 as a
    24-hour channel for 工伤认定备案). The same checks as a report made by the caller (48-hour window,
    place, injured person, the caller's mobile for the code, the pledge read out to the caller);
    the agent is the reporter account, the caller's name and mobile are the reporter's, so the code
    goes by SMS to the caller and the caller supplements by it. No media: the call has none.
    The caller's service (service.services.tickets) checks the agent's right to file."""
    if not getattr(actor, "is_staff_user", False):
        raise DomainError(E.REPORTER_KIND, status=422, details={"field": "reporter_kind"})
    data.reporter_kind = ReporterKind.HOTLINE
    now = timezone.now()
    check_accident_time(data.accident_at, now)
    with collect() as errors:
        if not (data.description or "").strip():
            errors["description"] = "请简要描述事故经过（description）"
        location_errors(errors, latitude=data.latitude, longitude=data.longitude, address=data.address,
                        address_given=True)
        if not data.persons:
            errors["persons"] = "请至少填写一名受伤人员（姓名、身份证号、手机号可先填已知的）"
        elif len(data.persons) > 1:
            errors["persons"] = "电话代报一次只能报一名受伤人员；多人受伤请由单位申报"
        _check_persons(errors, data.persons)
        if not is_valid_mobile(_reporter_mobile(actor, data)):
            errors["reporter_mobile"] = "请填写来电人的手机号（11 位），用于接收快报唯一标志码"
        if data.pledge_version != content.PLEDGE_VERSION:
            errors["pledge_version"] = f"请先向来电人宣读《{content.PLEDGE_TITLE}》并确认其接受（版本 {content.PLEDGE_VERSION}）"
    injured = _injured(actor, data)
    reporter = (caller_name or "").strip()[:100] or "12333 来电人"  # the agent is the reporter account
    return _write(actor=actor, data=data, injured=injured, checked=[], now=now, written=[],
                  reporter_name=reporter, fallback_region=actor.jurisdiction)


@transaction.atomic
def _write(*, actor, data, injured, checked, now, written, reporter_name: str = "",
           fallback_region: str = "") -> SubmitResult:
    # The identity checks, the copies and each SMS are jobs: written together, in one INSERT.
    with batched_jobs():
        return _write_report(actor=actor, data=data, injured=injured, checked=checked, now=now, written=written,
                             reporter_name=reporter_name, fallback_region=fallback_region)


def _write_report(*, actor, data, injured, checked, now, written, reporter_name, fallback_region) -> SubmitResult:
    employer = injured[0]["employer"]
    region = people.region_for(employer=employer, person=injured[0]["person"], actor=actor)
    if fallback_region and employer is None and injured[0]["person"] is None:
        region = fallback_region  # neither employer nor person known: the 统筹区 of the hotline taking the call
    accident = case_services.accident_create(
        region=region, occurred_at=data.accident_at, employer=employer, address=data.address.strip()[:300],
        latitude=data.latitude, longitude=data.longitude, accuracy_m=data.accuracy_m,
        description=data.description.strip())
    cases = [case_services.case_create(actor=actor, accident=accident, injured=i) for i in injured]
    people.schedule_identity_checks(actor=actor, cases=cases, region=region)  # it never refuses: off the request
    compact, index = access.issue_code()
    code = rules.format_code(compact)
    report = QuickReport(
        code_index=index, accident=accident, region=region, employer=employer, reporter_kind=data.reporter_kind,
        reporter=actor, reporter_name=reporter_name or str(actor)[:100], reporter_mobile=_reporter_mobile(actor, data),
        pledge_version=data.pledge_version, pledge_accepted_at=data.pledge_accepted_at or now,
        submitted_at=now, submit_ip=current().ip)
    # A new report: its flags are known before it is written (no second write, no read back).
    report.flags = people.report_flags(report, cases=cases, media=checked, supplemented=False)
    report.flag_index = people.flag_index(report.flags)
    report.save(force_insert=True)
    numbers = [c.number for c in cases]
    # The watermark (derived after commit) shows the case numbers, never the code (a credential).
    stored = media.store_all(report=report, items=checked, revision=1, actor=actor, written=written)
    watermarks.schedule([m.pk for m in stored])
    QuickReportEvent.objects.create(report=report, event_type=ReportEventType.SUBMITTED, revision=1, actor=actor,
                                    actor_label=str(actor)[:100],
                                    details={"snapshot": people.snapshot(report, cases=cases, media=stored),
                                             "pledge_version": data.pledge_version})
    record_event(actor=actor, event_type=ReportEventType.SUBMITTED, target=report, region=region,
                 details={"cases": numbers, "media": len(checked), "flags": report.flags})
    mobiles = [c.injured_mobile for c in cases if is_valid_mobile(c.injured_mobile)]
    recipients = notifications.send_code(report=report, code=code, case_numbers=numbers, injured_mobiles=mobiles)
    return SubmitResult(report=report, code=code, case_numbers=numbers, sms_recipients=recipients)
