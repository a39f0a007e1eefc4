"""12333 工单: register a call, transfer it to a desk, reply, close after telling the caller.

济宁 runs 12333 as a 24-hour channel for 工伤认定备案 and questions: every call is logged, passed on
and tracked to closure. Each ticket is due a regional number of working days after it is registered
(服务地区参数, per category: e.g. referred questions answered within 2 working days), counted by the
platform's working-day engine. A call reporting an accident (`accident_filing`) files a 工伤快报 on the
caller's behalf; its 快报唯一标志码 goes to the caller by SMS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import check, may, require
from gongshang.accounts.rules.access import MATRIX
from gongshang.cases.models import InjuryCase
from gongshang.core.audit import record_event
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors
from gongshang.core.models import OutboxMessage
from gongshang.core.pii.access import reveal
from gongshang.core.pii.masking import mask_mobile
from gongshang.core.validators import is_valid_id_number, validate_mobile
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import WORKING
from gongshang.core.workflow import transition

from ..choices import TicketCategory, TicketChannel, TicketEventType, TicketStatus
from ..errors import ServiceErrorCode as E
from ..models import Ticket, TicketEvent
from ..selectors.settings import setting_for

NUMBER_RETRIES = 5
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def desk_choices() -> list[tuple[str, str]]:
    """The desks a ticket may be transferred to: every staff role the matrix lets reply, but the
    hotline itself (it transfers)."""
    from gongshang.accounts.choices import StaffRole

    allowed = set(MATRIX["service_ticket"]["reply"])
    return [(role.value, str(role.label)) for role in StaffRole if role.value in allowed and role != StaffRole.HOTLINE]


def category_days(setting, category: str) -> int:
    """Working days a ticket of `category` has (服务地区参数; 12333: answer, or log, pass on and track)."""
    return int(getattr(setting, f"{category}_days"))


def due_at_for(region: str, category: str, registered_at: datetime) -> datetime:
    """The end of the last working day of the category's period, counted from the day after the
    call (民法典 第二百零一条: a period in days starts the next day) by the working-day engine."""
    day = timezone.localtime(registered_at).date()
    days = category_days(setting_for(region, day), category)
    due = compute_due_date(day, days, WORKING).first_due
    return timezone.make_aware(datetime.combine(due, time(23, 59, 59)))


def _number_prefix(region: str, year: int) -> str:
    return f"12333-{region}-{year}-"


def next_ticket_number(region: str, year: int) -> str:
    """The next readable number of the region and year (12333-370200-2026-000001). The unique
    constraint on `number` refuses a duplicate taken by a concurrent call; ticket_create retries."""
    prefix = _number_prefix(region, year)
    last = (Ticket.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def _refusal(ticket):
    return E.TICKET_CLOSED if ticket.status == "closed" else E.INVALID_TRANSITION


def _event(ticket, event_type, actor, details=None) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, event_type=event_type, actor=actor,
                                      actor_label=str(actor)[:100], details=details or {})


# --- input ---------------------------------------------------------------------------------------------

@dataclass
class AccidentInput:
    """What the agent asks a caller reporting an accident (the 工伤快报's fields)."""

    accident_at: datetime | None = None
    address: str = ""
    description: str = ""
    injured_name: str = ""
    injured_id_number: str = ""
    injured_mobile: str = ""
    employer_uscc: str = ""
    body_part: str = ""
    injury_type: str = ""
    pledge_read: bool = False


@dataclass
class TicketInput:
    channel: str
    category: str
    summary: str
    caller_name: str = ""
    caller_mobile: str = ""
    caller_id_number: str = ""
    case_number: str = ""
    answer: str = ""  # answered during the call: the ticket is closed at once with it
    accident: AccidentInput | None = None


@dataclass
class CreateResult:
    ticket: Ticket
    quick_report: object = None
    case_numbers: list[str] = field(default_factory=list)
    sms_to: list[str] = field(default_factory=list)  # masked


def _clean(data: TicketInput, actor) -> tuple[dict, InjuryCase | None]:
    errors = {}
    if data.channel not in TicketChannel.values:
        errors["channel"] = "来源渠道（channel）请选择：电话 phone、窗口 window、网上 online"
    if data.category not in TicketCategory.values:
        errors["category"] = ("类别（category）请选择：政策咨询 consultation、投诉 complaint、意见建议 suggestion、"
                              "事故备案 accident_filing、求助 help")
    summary = (data.summary or "").strip()
    if not summary:
        errors["summary"] = "请填写来电内容（summary）：来电人反映的问题或诉求"
    elif len(summary) > 2000:
        errors["summary"] = "来电内容（summary）最多 2000 字，请精简"
    name = (data.caller_name or "").strip()
    if len(name) > 50:
        errors["caller_name"] = "来电人姓名（caller_name）最多 50 字"
    mobile = (data.caller_mobile or "").strip()
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except Exception:
            if not LANDLINE.match(mobile):
                errors["caller_mobile"] = "来电号码（caller_mobile）应为 11 位手机号，或带区号的固定电话（如 0532-88886666）"
    elif data.category in (TicketCategory.COMPLAINT, TicketCategory.ACCIDENT_FILING):
        errors["caller_mobile"] = "投诉和电话报工伤须留来电号码（caller_mobile），用于告知办理结果或发送快报唯一标志码"
    id_number = (data.caller_id_number or "").strip().upper()
    if id_number and not is_valid_id_number(id_number):
        errors["caller_id_number"] = "来电人身份证号（caller_id_number）不正确，请核对 18 位号码或留空"
    case = None
    number = (data.case_number or "").strip()
    if number:
        case = InjuryCase.objects.filter(number=number, region=actor.jurisdiction).first()
        if case is None:
            errors["case_number"] = (f"没有在本统筹区找到案件编号“{number[:32]}”（case_number），请核对后重新填写，"
                                     "或留空")
    answer = (data.answer or "").strip()
    if answer and data.category in (TicketCategory.COMPLAINT, TicketCategory.ACCIDENT_FILING):
        errors["answer"] = "投诉和电话报工伤须转办跟踪，不能当场办结；请清空“当场答复”后登记"
    elif answer and not (may(actor, "service_ticket", "close")
                         and ("hotline" in actor.role_codes or data.channel == TicketChannel.WINDOW)):
        errors["answer"] = "电话和网上的工单由热线坐席办结；请清空“当场答复”后登记，热线坐席将跟踪办理"
    if data.category == TicketCategory.ACCIDENT_FILING and data.accident is None:
        errors["accident"] = E.TICKET_ACCIDENT_MISSING.label
    if errors:
        raise FieldErrors(errors)
    return {"channel": data.channel, "category": data.category, "summary": summary, "caller_name": name,
            "caller_mobile": mobile, "caller_id_number": id_number, "answer": answer}, case


# --- create ----------------------------------------------------------------------------------------------

def ticket_create(*, actor, data: TicketInput) -> CreateResult:
    """登记工单 (and, for a call reporting an accident, the quick report on the caller's behalf).
    Everything in one transaction: a refusal writes nothing."""
    require(actor, "service_ticket", "create")
    values, case = _clean(data, actor)
    answer = values.pop("answer")
    region = actor.jurisdiction
    now = timezone.now()
    due_at = due_at_for(region, values["category"], now)
    for attempt in range(NUMBER_RETRIES):
        try:
            with transaction.atomic():
                return _create(actor=actor, values=values, case=case, region=region, now=now, due_at=due_at,
                               accident=data.accident, answer=answer)
        except IntegrityError:
            # Another agent took the same number between our read and our insert: read again.
            if attempt == NUMBER_RETRIES - 1:
                raise DomainError(CoreErrorCode.CONFLICT, "工单编号生成冲突，请稍后重新提交；已填写的内容没有丢失。",
                                  status=409) from None
    raise AssertionError("unreachable")


def _create(*, actor, values, case, region, now, due_at, accident, answer) -> CreateResult:
    ticket = Ticket.objects.create(
        region=region, number=next_ticket_number(region, timezone.localtime(now).year), case=case,
        due_at=due_at, created_by=actor, **values)
    _event(ticket, TicketEventType.CREATED, actor, {
        "channel": ticket.channel, "category": ticket.category, "due_at": due_at.isoformat(),
        "case_number": case.number if case else ""})
    record_event(actor=actor, event_type="service_ticket.created", target=ticket, region=region,
                 details={"number": ticket.number, "category": ticket.category, "due_at": due_at.isoformat()})
    result = CreateResult(ticket=ticket)
    if ticket.category == TicketCategory.ACCIDENT_FILING:
        _file_quick_report(actor=actor, ticket=ticket, accident=accident, result=result)
    if answer:
        ticket = ticket_close(actor=actor, ticket=ticket, note=answer)
        result.ticket = ticket
    return result


# Quick-report field names → the ticket form's (so a refusal names what the agent typed).
_ACCIDENT_FIELDS = {"reporter_mobile": "caller_mobile", "persons": "accident.injured_name",
                    "persons.0": "accident.injured_name", "pledge_version": "accident.pledge_read",
                    "reporter_kind": "category"}


def _file_quick_report(*, actor, ticket, accident: AccidentInput, result: CreateResult) -> None:
    from gongshang.quickreports import content
    from gongshang.quickreports.notifications import CODE_TEMPLATE
    from gongshang.quickreports.services.submission import (
        InjuredInput,
        ReportInput,
        quick_report_submit_by_hotline,
    )

    if accident.accident_at is None:
        raise FieldErrors({"accident.accident_at": "请填写事故发生时间（accident.accident_at），须在 48 小时之内"})
    accident_at = accident.accident_at
    if timezone.is_naive(accident_at):  # a time without offset is the caller's local time (北京时间)
        accident_at = timezone.make_aware(accident_at)
    report_input = ReportInput(
        reporter_kind="hotline", accident_at=accident_at, description=accident.description,
        address=accident.address, reporter_mobile=ticket.caller_mobile,
        employer_uscc=(accident.employer_uscc or "").strip().upper(),
        pledge_version=content.PLEDGE_VERSION if accident.pledge_read else "",
        persons=[InjuredInput(name=accident.injured_name, id_number=accident.injured_id_number,
                              mobile=accident.injured_mobile, body_part=accident.body_part,
                              injury_type=accident.injury_type)])
    marker = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        submitted = quick_report_submit_by_hotline(actor=actor, data=report_input, caller_name=ticket.caller_name)
    except FieldErrors as exc:
        raise FieldErrors({_ACCIDENT_FIELDS.get(k, f"accident.{k}"): v for k, v in exc.errors.items()}) from exc
    except DomainError as exc:
        if exc.status == 422:
            where = exc.details.get("field", "") if isinstance(exc.details, dict) else ""
            raise FieldErrors({_ACCIDENT_FIELDS.get(where, f"accident.{where or 'accident_at'}"): exc.message}) from exc
        raise
    report = submitted.report
    Ticket.objects.filter(pk=ticket.pk).update(quick_report=report)
    ticket.quick_report = report
    sent = [m for m in OutboxMessage.objects.filter(pk__gt=marker, template=CODE_TEMPLATE, region=report.region)
            if m.recipient in submitted.sms_recipients]
    result.quick_report, result.case_numbers = report, submitted.case_numbers
    result.sms_to = [mask_mobile(m) for m in submitted.sms_recipients]
    _event(ticket, TicketEventType.QUICK_REPORT, actor, {
        "quick_report": report.pk, "case_numbers": submitted.case_numbers, "sms_to": result.sms_to,
        "outbox": [m.pk for m in sent]})


# --- steps --------------------------------------------------------------------------------------------

def ticket_transfer(*, actor, ticket: Ticket, desk: str, note: str = "") -> Ticket:
    """转办 to a desk (a staff role of the region): it replies, the agent tracks the due time."""
    desks = dict(desk_choices())
    if desk not in desks:
        raise FieldErrors({"desk": "请选择转办的科室（desk）：" + "、".join(f"{label}（{code}）"
                                                                   for code, label in desks.items())})
    note = (note or "").strip()
    if len(note) > 500:
        raise FieldErrors({"note": "转办说明（note）最多 500 字"})
    with transaction.atomic():
        done = transition(actor, ticket, "transfer", event_type="service_ticket.transferred",
                          details={"desk": desk}, changes={"desk": desk, "assignee": None},
                          code=_refusal(ticket))
        _event(done, TicketEventType.TRANSFERRED, actor, {"desk": desk, "desk_label": desks[desk], "note": note})
    return done


def ticket_reply(*, actor, ticket: Ticket, text: str) -> Ticket:
    """答复: the desk it was transferred to (or the agent, before any transfer) answers."""
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": "请填写答复内容（text）：告诉来电人的答复口径"})
    if len(text) > 2000:
        raise FieldErrors({"text": "答复内容（text）最多 2000 字"})
    with transaction.atomic():
        done = transition(actor, ticket, "reply", event_type="service_ticket.replied",
                          changes={"reply": text, "replied_at": timezone.now(), "assignee": actor},
                          code=_refusal(ticket))
        _event(done, TicketEventType.REPLIED, actor, {"text": text})
    return done


def ticket_close(*, actor, ticket: Ticket, note: str) -> Ticket:
    """办结: the agent has told the caller the answer (`note`: what was said)."""
    note = (note or "").strip()
    if not note:
        raise FieldErrors({"note": "请填写办结说明（note）：已告知来电人的答复内容"})
    if len(note) > 2000:
        raise FieldErrors({"note": "办结说明（note）最多 2000 字"})
    changes = {"closed_at": timezone.now()}
    if not ticket.reply:
        changes.update(reply=note, replied_at=changes["closed_at"])
    with transaction.atomic():
        done = transition(actor, ticket, "close", event_type="service_ticket.closed", changes=changes,
                          code=_refusal(ticket))
        _event(done, TicketEventType.CLOSED, actor, {"note": note})
    return done


def ticket_reveal(*, actor, ticket: Ticket, field_name: str) -> str:
    """The caller's full mobile or ID number (热线坐席 only), logged as a PII view and on the ticket."""
    fields = {"caller_mobile": "来电号码", "caller_id_number": "来电人身份证号"}
    if field_name not in fields:
        raise FieldErrors({"field": "只能查看来电号码（caller_mobile）或来电人身份证号（caller_id_number）"})
    check(actor, ticket, "view_pii")
    with transaction.atomic():
        value = reveal(actor=actor, obj=ticket, field=field_name, purpose="12333 坐席回拨或核对来电人身份")
        _event(ticket, TicketEventType.REVEALED, actor, {"field": field_name, "label": fields[field_name]})
        record_event(actor=actor, event_type="service_ticket.revealed", target=ticket, region=ticket.region,
                     details={"field": field_name})
    return value


def ticket_due_dates_refresh(*, chunk: int = 500, region: str | None = None, since: date | None = None) -> int:
    """Recompute `due_at` of the tickets not yet closed (the holiday calendar may have changed since
    they were registered, or a 服务参数 version starting on `since` now governs those of `region`
    registered from that day); writes only the rows whose time moved. Returns how many changed."""
    memo: dict = {}
    moved = []
    rows = Ticket.objects.exclude(status=TicketStatus.CLOSED).only("pk", "region", "category", "created_at", "due_at")
    if region is not None:
        rows = rows.filter(region=region)
    if since is not None:
        rows = rows.filter(created_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    for ticket in rows.order_by("pk").iterator(chunk_size=chunk):
        key = (ticket.region, ticket.category, timezone.localtime(ticket.created_at).date())
        if key not in memo:
            memo[key] = due_at_for(ticket.region, ticket.category, ticket.created_at)
        if memo[key] != ticket.due_at:
            ticket.due_at = memo[key]
            moved.append(ticket)
    Ticket.objects.bulk_update(moved, ["due_at"], batch_size=chunk)
    return len(moved)
