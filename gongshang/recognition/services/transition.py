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
    """Store the next due date (for sorting, the overdue list and every list row). These are the
    agency's own deadlines: in a year whose holidays are not yet entered it works to the earlier
    candidate date."""
    fields = deadlines.stored_fields(application)
    for name, value in fields.items():
        setattr(application, name, value)
    RecognitionApplication.objects.filter(pk=application.pk).update(**fields)
    return application


def lock(application) -> RecognitionApplication:
    return RecognitionApplication.objects.select_for_update().select_related("case").get(pk=application.pk)


def due_dates_refresh(*, chunk: int = 500) -> int:
    """Recompute the stored due dates of every open application (the holiday calendar may have been
    entered or corrected since they were computed) and write only the rows whose values moved, one
    UPDATE per chunk. Run nightly and after a change of the calendar; returns how many rows changed."""
    fields = ("due_on", "due_label", "due_provisional")
    rows = (RecognitionApplication.objects.filter(status__in=sorted(workflow.OPEN))
            .select_related("case").prefetch_related("suspensions").order_by("pk"))
    changed = 0
    last_pk = 0
    with deadlines.shared_lookups():
        while True:
            batch = list(rows.filter(pk__gt=last_pk)[:chunk])
            if not batch:
                return changed
            last_pk = batch[-1].pk
            moved = []
            for application in batch:
                values = deadlines.stored_fields(application)
                if any(getattr(application, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(application, name, value)
                    moved.append(application)
            if moved:
                RecognitionApplication.objects.bulk_update(moved, fields)
                changed += len(moved)
