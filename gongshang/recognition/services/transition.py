"""The one transition helper: checks rules.workflow.TRANSITIONS, locks the row, applies the
changes, recomputes the next due date and appends the timeline and audit events."""

from django.db import OperationalError, transaction

from gongshang.accounts.choices import Audience
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError

from .. import deadlines
from ..errors import RecognitionErrorCode as E
from ..models import RecognitionApplication, RecognitionEvent
from ..rules import workflow


def event_append(*, application, event_type: str, actor=None, details: dict | None = None, request=None,
                 audit: bool = True) -> RecognitionEvent:
    """Timeline event (and the platform audit event) for `application`, in the caller's transaction."""
    user = actor if getattr(actor, "pk", None) else None
    event = RecognitionEvent.objects.create(application=application, event_type=event_type,
                                            status=application.status, actor=user,
                                            actor_label=str(actor)[:100] if user else "", details=details or {})
    if audit:
        record_event(actor=actor, event_type=event_type, target=application, request=request,
                     region=application.region, details={"status": application.status, **(details or {})})
    return event


def refresh_due(application: RecognitionApplication) -> RecognitionApplication:
    """Store the next due date (for sorting and the overdue list). These are the agency's own
    deadlines: in a year whose holidays are not yet entered it works to the earlier candidate date."""
    due = deadlines.current_due(application)
    application.due_on = (due.earliest or due.due) if due else None
    application.due_label = due.label if due else ""
    RecognitionApplication.objects.filter(pk=application.pk).update(due_on=application.due_on,
                                                                    due_label=application.due_label)
    return application


def lock(application) -> RecognitionApplication:
    return RecognitionApplication.objects.select_for_update().select_related("case").get(pk=application.pk)


def _party(actor) -> str | None:
    if actor is None or not getattr(actor, "pk", None):
        return None
    return workflow.STAFF if getattr(actor, "kind", None) == Audience.STAFF else workflow.APPLICANT


def _is_lock_conflict(exc: OperationalError) -> bool:
    # SQLite answers a concurrent writer with "database is locked" / "database table is locked".
    return "locked" in str(exc).lower()


def application_transition(*, actor, application, to: str, event_type: str, changes: dict | None = None,
                           details: dict | None = None, request=None, check=None) -> RecognitionApplication:
    """Move `application` to `to`. `check(locked)` runs on the locked row before anything changes
    (it raises to refuse); `changes` are field values written with the status. Another writer
    holding the row (two officers at once) answers 409, never a 500."""
    try:
        with transaction.atomic():
            return _transition(actor=actor, application=application, to=to, event_type=event_type,
                               changes=changes, details=details, request=request, check=check)
    except OperationalError as exc:
        if not _is_lock_conflict(exc):
            raise
        raise DomainError(E.CONFLICT, status=409) from None


def _transition(*, actor, application, to, event_type, changes, details, request, check):
    locked = lock(application)
    party = _party(actor)
    if not workflow.can_transition(locked.status, to, by=party):
        raise DomainError(E.TRANSITION_NOT_ALLOWED, workflow.refusal_message(locked.status, to, party), status=409,
                          details={"from": locked.status, "to": str(to)})
    if check is not None:
        check(locked)
    previous = locked.status
    locked.status = str(to)
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
    locked.save()
    event_append(application=locked, event_type=event_type, actor=actor, request=request,
                 details={"from": previous, "to": str(to), **(details or {})})
    return refresh_due(locked)


STALE_DAYS = 15  # a holiday arrangement entered later moves a due date by at most about this much


def due_dates_refresh(*, actor) -> int:
    """Recompute the stored `due_on` (used for sorting and the overdue list in SQL) of the open
    applications near the overdue line, so a holiday arrangement entered after their last
    transition (e.g. 2027) takes effect. Called before the overdue list is shown."""
    from gongshang.recognition import selectors

    changed = 0
    for application in selectors.near_overdue(actor=actor, stale_days=STALE_DAYS):
        before = application.due_on
        if refresh_due(application).due_on != before:
            changed += 1
    return changed
