"""Shaping 12333 工单, caller lookups and knowledge articles for the API and pages (personal data masked)."""

from __future__ import annotations

from django.utils import timezone

from gongshang.core.models import OutboxMessage
from gongshang.core.pii.masking import mask_id_number, mask_mobile, mask_name
from gongshang.core.workdays.calendar import days_left

from ..choices import TicketStatus


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def desk_label(code: str) -> str:
    from gongshang.accounts.choices import StaffRole

    return str(StaffRole(code).label) if code in StaffRole.values else ""


def ticket_dict(ticket, now=None) -> dict:
    now = now or timezone.now()
    is_open = ticket.status != TicketStatus.CLOSED
    due_day = timezone.localtime(ticket.due_at).date()
    return {
        "id": ticket.pk, "number": ticket.number, "region": ticket.region,
        "channel": ticket.channel, "channel_label": ticket.get_channel_display(),
        "category": ticket.category, "category_label": ticket.get_category_display(),
        "status": ticket.status, "status_label": ticket.get_status_display(),
        "caller_name": mask_name(ticket.caller_name), "caller_mobile": mask_mobile(ticket.caller_mobile),
        "caller_id_number": mask_id_number(ticket.caller_id_number),
        "summary": ticket.summary,
        "case_number": ticket.case.number if ticket.case_id else None,
        "quick_report_id": ticket.quick_report_id,
        "desk": ticket.desk or None, "desk_label": desk_label(ticket.desk) or None,
        "due_at": _iso(ticket.due_at),
        "days_left": days_left(due_day, timezone.localtime(now).date()) if is_open else None,
        "overdue": is_open and ticket.due_at < now,
        "reply": ticket.reply or None, "replied_at": _iso(ticket.replied_at), "closed_at": _iso(ticket.closed_at),
        "created_by": str(ticket.created_by), "created_at": _iso(ticket.created_at),
    }


def event_list(ticket) -> list[dict]:
    rows = []
    for e in ticket.events.all():
        d = e.details or {}
        text = {
            "ticket.created": f"登记工单，办结时限 {_local(d.get('due_at'))}",
            "ticket.transferred": f"转办至{d.get('desk_label', '')}" + (f"：{d['note']}" if d.get("note") else ""),
            "ticket.replied": f"答复：{d.get('text', '')}",
            "ticket.closed": f"办结，已告知来电人：{d.get('note', '')}",
            "ticket.quick_report": ("代报工伤快报，案件编号 " + "、".join(d.get("case_numbers", []))
                                    + "；快报唯一标志码已短信发送至 " + "、".join(d.get("sms_to", []))),
            "ticket.revealed": f"查看完整{d.get('label', '来电信息')}（已记录）",
        }.get(e.event_type, e.get_event_type_display())
        rows.append({"at": _iso(e.created_at), "type": e.event_type, "label": e.get_event_type_display(),
                     "by": e.actor_label, "text": text})
    return rows


def _local(iso: str | None) -> str:
    if not iso:
        return ""
    from datetime import datetime

    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


def sms_status(ticket) -> list[dict]:
    """The SMS carrying the quick report's code (its status only: the text is a credential)."""
    event = ticket.events.filter(event_type="ticket.quick_report").first()
    if event is None:
        return []
    ids = (event.details or {}).get("outbox", [])
    return [{"to": mask_mobile(m.recipient), "status": m.status, "status_label": m.get_status_display(),
             "sent_at": _iso(m.sent_at)} for m in OutboxMessage.objects.filter(pk__in=ids).order_by("pk")]


def lookup_dict(found) -> dict:
    return {
        "by": found.by,
        "persons": [{"name": mask_name(p.name), "id_number": mask_id_number(p.id_number),
                     "mobile": mask_mobile(p.mobile), "region": p.region} for p in found.persons],
        "cases": [{"number": c.number, "status": c.status, "status_label": c.get_status_display(),
                   "injured_name": mask_name(c.injured_name),
                   "employer": c.employer.name if c.employer_id else None,
                   "created_at": _iso(c.created_at)} for c in found.cases],
        "tickets": [{"id": t.pk, "number": t.number, "category_label": t.get_category_display(),
                     "status_label": t.get_status_display(), "created_at": _iso(t.created_at)}
                    for t in found.tickets],
    }


def article_dict(article) -> dict:
    return {"id": article.pk, "question": article.question, "answer": article.answer, "basis": article.basis,
            "keywords": article.keywords, "category": article.category,
            "category_label": article.get_category_display(), "published": article.published,
            "national": not article.region, "updated_at": _iso(article.updated_at)}
