"""The appraisal side of the one transition helper (core.workflow.transition): the audit event
type and refusal message of each action, the stored deadlines after every change, and events that
change no status (materials, messages, documents)."""

from gongshang.core.audit import record_event
from gongshang.core.workflow import transition

from .. import deadlines
from ..models import AppraisalApplication, AppraisalBatch, AppraisalEvent
from ..rules import workflow


def move(actor, application, action: str, *, details: dict | None = None, changes: dict | None = None,
         check_access: bool = True):
    """Take `action` on `application` (matrix, condition, lock, table, timeline, audit), then store
    its deadlines again. Returns the saved row. `check_access=False` only where another matrix row
    has decided (the province's conclusion arriving by exchange file: integrations/adapters/province.py)."""
    row = transition(actor, application, action, event_type=workflow.TIMELINE_EVENTS.get(action),
                     details=details, changes=changes, region=application.region,
                     message=workflow.message_for(action), check_access=check_access)
    return refresh_due(row)


def move_batch(actor, batch, action: str, *, details: dict | None = None, changes: dict | None = None):
    return transition(actor, batch, action, workflow=workflow.BATCH_WORKFLOW, event_type=f"appraisal_batch.{action}",
                      details=details, changes=changes, region=batch.region,
                      message=workflow.BATCH_MESSAGES.get(action))


def event_append(*, application, event_type: str, actor=None, details: dict | None = None,
                 audit: bool = True) -> AppraisalEvent:
    """An event that changes no status: a timeline entry and an audit event, in the caller's transaction."""
    user = actor if getattr(actor, "pk", None) else None
    event = AppraisalEvent.objects.create(application=application, event_type=event_type, status=application.status,
                                          actor=user, actor_label=str(actor)[:100] if user else "",
                                          details=details or {})
    if audit:
        record_event(actor=actor, event_type=event_type, target=application, region=application.region,
                     details={"status": application.status, **(details or {})})
    return event


def refresh_due(application: AppraisalApplication) -> AppraisalApplication:
    """Store the deadlines (for sorting, the overdue list and every page)."""
    fields = deadlines.stored_fields(application)
    for name, value in fields.items():
        setattr(application, name, value)
    AppraisalApplication.objects.filter(pk=application.pk).update(**fields)
    return application


def lock(application) -> AppraisalApplication:
    return AppraisalApplication.objects.select_for_update().select_related("case").get(pk=application.pk)


def lock_batch(batch) -> AppraisalBatch:
    return AppraisalBatch.objects.select_for_update().get(pk=batch.pk)
