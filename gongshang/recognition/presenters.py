"""Shaping applications for the API and the pages (one place, masked where lists need it)."""

from django.utils import timezone

from gongshang.accounts.access import allowed_actions
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.workdays.calendar import days_left

from . import deadlines, selectors, timeline_text
from .rules import deadlines as rules_deadlines
from .rules import workflow


def due_dict(due) -> dict | None:
    if due is None:
        return None
    return {"due": due.due.isoformat() if due.due else None, "days_left": due.days_left, "paused": due.paused,
            "provisional": due.provisional, "earliest": due.earliest.isoformat() if due.earliest else None,
            "basis": due.basis, "urgency": due.urgency, "met": due.met,
            "met_on": due.met_on.isoformat() if due.met_on else None}


def deadlines_dict(application) -> dict:
    due = deadlines.all_due(application)
    period = deadlines.application_period(application)
    return {
        "acceptance_due": due["acceptance"].due.isoformat() if due["acceptance"] and due["acceptance"].due else None,
        "decision_due": due["decision"].due.isoformat() if due["decision"] and due["decision"].due else None,
        "delivery_due": due["delivery"].due.isoformat() if due["delivery"] and due["delivery"].due else None,
        "provisional": any(d.provisional for d in due.values() if d),
        "paused": bool(due["decision"] and due["decision"].paused),
        "acceptance": due_dict(due["acceptance"]), "decision": due_dict(due["decision"]),
        "delivery": due_dict(due["delivery"]),
        "application_period": None if period is None else {
            "due": period.due.isoformat(), "status": period.status, "message": period.message,
            "basis": period.basis, "provisional": period.provisional,
            "earliest": period.earliest.isoformat() if period.earliest else None},
    }


def event_dict(event, *, for_staff: bool = False) -> dict:
    """Codes and details for programs; `text`, `at_display`, `by` for people (applicants see "经办机构")."""
    return {"type": event.event_type, "label": event.get_event_type_display(), "status": event.status,
            "actor": event.actor_label if for_staff else timeline_text.actor_shown(event, for_staff=False),
            "at": timezone.localtime(event.created_at).isoformat(),
            "details": _public_details(event.details), **timeline_text.event_view(event, for_staff=for_staff)}


def _public_details(details: dict) -> dict:
    keep = ("from", "to", "reason", "items", "result", "article", "kind", "title", "version", "method_label",
            "period_message", "fields", "case", "evidence_attached", "simple")
    return {k: v for k, v in (details or {}).items() if k in keep}


def document_dict(record) -> dict:
    doc = record.document
    return {"id": record.pk, "kind": record.kind, "title": doc.title, "version": record.version,
            "code": doc.code, "issued_at": timezone.localtime(doc.issued_at).isoformat(),
            "revoked": doc.is_revoked, "download": f"/recognition/{record.application_id}/documents/{record.pk}/"}


def application_dict(application, *, for_staff: bool = False, actor=None) -> dict:
    """`editable`: `actor` may modify it now (the owner, in a status the table lets it edit); without
    an actor, whether the table lets its owner edit it."""
    return {
        "id": application.pk, "case_number": application.case.number, "status": application.status,
        "status_label": application.get_status_display(), "region": application.region,
        "from_quick_report": application.from_quick_report, "green_channel": application.case.green_channel,
        "injured_name": application.injured_name, "injured_id_number": mask_id_number(application.injured_id_number),
        "employer_name": application.employer_name, "applicant_kind": application.applicant_kind,
        "circumstance": application.circumstance, "treatments": application.treatments,
        "died": application.died, "serious_injury": application.serious_injury,
        "accident_at": application.accident_at.isoformat() if application.accident_at else None,
        "period_status": application.period_status, "correction_items": application.correction_items,
        "not_accepted_reason": application.not_accepted_reason, "decision_result": application.decision_result,
        "decision_article": application.decision_article,
        "assignee": str(application.assignee) if application.assignee_id else None,
        "editable": ("edit" in allowed_actions(actor, application) if actor is not None
                     else workflow.WORKFLOW.can("edit", application.status)),
        "deadlines": deadlines_dict(application),
        "timeline": [event_dict(e, for_staff=for_staff) for e in selectors.timeline(application)],
        "documents": [document_dict(d) for d in selectors.documents(application)],
    }


def row_dict(application) -> dict:
    """A list row (masked): what is due next and how urgent, from the stored due date (no deadline
    computation per row: the services, the nightly refresh and calendar changes keep it current)."""
    due_on = application.due_on
    paused = application.status == workflow.SUSPENDED
    left = None if paused or due_on is None else days_left(due_on)
    return {"id": application.pk, "case_number": application.case.number, "status": application.status,
            "status_label": application.get_status_display(), "injured_name": mask_name(application.injured_name),
            "employer_name": application.employer_name, "due_label": application.due_label,
            "due": due_on.isoformat() if due_on else None, "days_left": left,
            "urgency": rules_deadlines.urgency(left) if (due_on or paused) else "", "paused": paused,
            "provisional": application.due_provisional,
            "assignee": str(application.assignee) if application.assignee_id else ""}
