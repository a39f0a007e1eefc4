"""合作经办 pages and API: rows as plain dicts (masked: the cooperator never sees full personal data)."""

from django.utils import timezone

from gongshang.core.pii.masking import mask_id_number, mask_name

from ..selectors import cooperation as s


def _at(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def investigation_row(application) -> dict:
    return {"id": application.pk, "case_number": application.case.number, "status": application.status,
            "status_label": application.get_status_display(), "injured_name": mask_name(application.injured_name),
            "employer_name": application.employer_name, "due_on": application.due_on}


def visit_row(visit) -> dict:
    return {"id": visit.pk, "institution": visit.institution.name, "campaign": visit.campaign.name,
            "status": visit.status, "status_label": visit.get_status_display(), "visited_on": visit.visited_on}


def session_row(session) -> dict:
    return {"id": session.pk, "course": session.course.title, "venue": session.venue,
            "starts_at": _at(session.starts_at), "status": session.status, "status_label": session.get_status_display()}


def trail_row(event) -> dict:
    return {"at": _at(event.at), "label": s.event_label(event.event_type),
            "target": s.target_label(event.target_type, event.target_id)}


def note_row(note) -> dict:
    return {"at": _at(note.created_at), "author": str(note.author), "text": note.text}


def application_detail(application) -> dict:
    """What an assisting cooperator reads of the application: the facts to investigate, masked."""
    accident_at = application.accident_at
    return {**investigation_row(application), "injured_id_number": mask_id_number(application.injured_id_number),
            "accident_at": _at(accident_at), "accident_place": application.accident_place,
            "description": application.description, "body_part": application.body_part,
            "investigators": [str(u) for u in application.investigators.all()]}


def tasks(*, actor) -> dict:
    return {
        "investigations": [investigation_row(a) for a in s.assigned_investigations(actor=actor)[:100]],
        "visits": [visit_row(v) for v in s.audit_visits(actor=actor)[:100]],
        "sessions": [session_row(x) for x in s.prevention_sessions(actor=actor)[:100]],
        "trail": [trail_row(e) for e in s.own_trail(actor=actor)],
        "organisation": actor.organisation,
    }
