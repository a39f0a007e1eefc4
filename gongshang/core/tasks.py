"""Background tasks of the shared kernel (django-tasks finds them by this import path)."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from gongshang.core.notifications.delivery import deliver_message, drain, due_message_ids, schedule_drain

# A message left due this long has no job coming for it: its after-commit job was lost, or the
# workers were down, or a retry's delayed job went missing.
SWEEP_GRACE = timedelta(minutes=5)


@task()
def deliver_outbox_message(message_id: int) -> str:
    """Send one outbox message; on failure it records the error and re-enqueues itself later."""
    return deliver_message(message_id)


@task()
def drain_outbox() -> dict:
    """Send due messages in batches for up to settings.NOTIFY_DRAIN_SECONDS; if the time ran out
    with work left, enqueue itself again (another worker may pick it up). Returns the outcomes."""
    outcomes, more = drain()
    if more:
        schedule_drain()
    return dict(outcomes, more=more)


@task()
def deliver_due_messages(grace_seconds: int = int(SWEEP_GRACE.total_seconds())) -> int:
    """Safety net: when any open message is overdue by more than the grace, enqueue a few drain
    jobs (settings.NOTIFY_DRAIN_JOBS), however large the backlog. Returns how many were enqueued."""
    if not due_message_ids(grace=timedelta(seconds=grace_seconds), limit=1):
        return 0
    return schedule_drain(jobs=settings.NOTIFY_DRAIN_JOBS)
