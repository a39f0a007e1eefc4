"""The recognition side of the one transition helper (core.workflow.transition): the timeline
entries, the stored next due date, and the events that change no status (materials, notes,
documents issued). Every status change is `core.workflow.transition(actor, application, action)`
on the table in rules/workflow.py; the model's `append_timeline` writes the entry and refreshes
the due date."""

from gongshang.core.audit import record_event
from gongshang.core.workflow import transition

from .. import deadlines
from ..models import RecognitionApplication, RecognitionEvent
from ..rules import periods, workflow


def timeline_append(*, application, event_type: str, actor=None, details: dict | None = None) -> RecognitionEvent:
    """One timeline entry of `application` (what the applicant sees as progress), no audit event."""
    user = actor if getattr(actor, "pk", None) else None
    return RecognitionEvent.objects.create(application=application, event_type=event_type,
                                           status=application.status, actor=user,
                                           actor_label=str(actor)[:100] if user else "", details=details or {})


def event_append(*, application, event_type: str, actor=None, details: dict | None = None,
                 audit: bool = True) -> RecognitionEvent:
    """An event that changes no status (material, note, document): timeline entry and audit event,
    in the caller's transaction. The client's address comes from the audit context."""
    event = timeline_append(application=application, event_type=event_type, actor=actor, details=details)
    if audit:
        record_event(actor=actor, event_type=event_type, target=application, region=application.region,
                     details={"status": application.status, **(details or {})})
    return event


def move(actor, application, action: str, *, details: dict | None = None, changes: dict | None = None):
    """`core.workflow.transition` with the recognition audit event type and refusal message."""
    return transition(actor, application, action, event_type=workflow.timeline_event(action, details),
                      details=details, changes=changes, region=application.region,
                      message=workflow.message_for(action, application.status))


def move_period(actor, application, action: str, *, details: dict | None = None, changes: dict | None = None):
    """The same helper on the second status field, period_status (rules/periods.PERIOD_WORKFLOW)."""
    target = periods.PERIOD_WORKFLOW.steps[action].target
    return transition(actor, application, action, workflow=periods.PERIOD_WORKFLOW,
                      event_type=workflow.timeline_event(action, details, target), details=details,
                      changes=changes, region=application.region, message=periods.PERIOD_MESSAGES[action])


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
