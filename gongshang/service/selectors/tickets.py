"""Reads of 12333 工单: the queue with its filters, the caller lookup of the agent's screen."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongshang.accounts.access import require, restrict
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import is_valid_id_number, validate_mobile
from gongshang.registry.models import InsuredPerson

from ..choices import TicketCategory, TicketStatus
from ..errors import ServiceErrorCode as E
from ..models import Ticket

VIEWS = {
    "": "全部",
    "mine": "我登记的",
    "desk": "转办给我岗位的",
    "overdue": "已超时未办结",
    "complaints": "投诉（跟踪至办结）",
    "open": "未办结",
}


def ticket_list(*, actor, filters: dict | None = None, action: str = "queue") -> QuerySet[Ticket]:
    """The region's tickets the actor may see, filtered. `view`: mine (registered by the actor),
    desk (transferred to one of the actor's roles, not yet replied), overdue (past due, not
    closed), complaints (every complaint until closed), open (not closed)."""
    filters = filters or {}
    qs = restrict(actor, Ticket, action).select_related("case", "quick_report", "created_by")
    now = timezone.now()
    view = filters.get("view") or ""
    if view == "mine":
        qs = qs.filter(created_by=actor)
    elif view == "desk":
        qs = qs.filter(desk__in=list(actor.role_codes), status=TicketStatus.TRANSFERRED)
    elif view == "overdue":
        qs = qs.exclude(status=TicketStatus.CLOSED).filter(due_at__lt=now)
    elif view == "complaints":
        qs = qs.filter(category=TicketCategory.COMPLAINT).exclude(status=TicketStatus.CLOSED)
    elif view == "open":
        qs = qs.exclude(status=TicketStatus.CLOSED)
    if filters.get("status") in TicketStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("category") in TicketCategory.values:
        qs = qs.filter(category=filters["category"])
    number = (filters.get("number") or "").strip()
    if number:
        qs = qs.filter(number__icontains=number[:32])
    mobile = (filters.get("caller_mobile") or "").strip()
    if mobile:
        qs = qs.filter(caller_mobile_index=blind_index(_mobile_or_raw(mobile)))
    if view in ("overdue", "complaints", "desk", "open"):
        return qs.order_by("due_at", "pk")
    return qs.order_by("-created_at", "-pk")


def overdue_count(*, actor) -> int:
    return ticket_list(actor=actor, filters={"view": "overdue"}).count()


def _mobile_or_raw(value: str) -> str:
    try:
        return validate_mobile(value)
    except Exception:
        return value


@dataclass
class Lookup:
    """What the agent's screen shows about a caller (masked by the presenter)."""

    by: str  # "id_number" | "mobile"
    persons: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    tickets: list = field(default_factory=list)


def caller_lookup(*, actor, id_number: str = "", mobile: str = "", limit: int = 20) -> Lookup:
    """The caller's insured person (参保库) and cases in the agent's 统筹区, and earlier tickets, by ID
    number or mobile (exact match on the blind index: nothing else is searchable)."""
    require(actor, "service_ticket", "lookup")
    id_number, mobile = (id_number or "").strip().upper(), (mobile or "").strip()
    if not id_number and not mobile:
        raise DomainError(E.LOOKUP_EMPTY, status=422, details=[{"field": "id_number", "message": E.LOOKUP_EMPTY.label}])
    region = actor.jurisdiction
    if not region:
        return Lookup(by="id_number" if id_number else "mobile")
    if id_number:
        if not is_valid_id_number(id_number):
            raise FieldErrors({"id_number": "身份证号（id_number）不正确，请核对 18 位号码"})
        index = blind_index(id_number)
        persons = InsuredPerson.objects.filter(region=region, id_number_index=index)
        case_where = Q(injured_id_number_index=index) | Q(person__in=persons)
        ticket_where = Q(caller_id_number_index=index)
        by = "id_number"
    else:
        try:
            mobile = validate_mobile(mobile)
        except Exception:
            raise FieldErrors({"mobile": "手机号（mobile）应为 11 位数字、以 13-19 开头，请核对"}) from None
        index = blind_index(mobile)
        persons = InsuredPerson.objects.filter(region=region, mobile_index=index)
        case_where = Q(injured_mobile_index=index) | Q(person__in=persons)
        ticket_where = Q(caller_mobile_index=index)
        by = "mobile"
    cases = (InjuryCase.objects.filter(region=region).filter(case_where).select_related("employer")
             .order_by("-created_at")[:limit])
    tickets = ticket_list(actor=actor, action="lookup").filter(ticket_where)[:limit]
    return Lookup(by=by, persons=list(persons[:limit]), cases=list(cases), tickets=list(tickets))
