"""Background tasks of the shared kernel (django-tasks finds them by this import path)."""

from datetime import timedelta

from django_tasks import task

from gongshang.core.notifications.delivery import deliver_message, due_message_ids, schedule_delivery

# The sweep leaves alone what a scheduled task is about to do anyway.
SWEEP_GRACE = timedelta(minutes=5)


@task()
def deliver_outbox_message(message_id: int) -> str:
    """Send one outbox message; on failure it records the error and re-enqueues itself later."""
    return deliver_message(message_id)


@task()
def deliver_due_messages(grace_seconds: int = int(SWEEP_GRACE.total_seconds())) -> int:
    """Safety net: enqueue delivery of pending/retrying messages overdue by more than the grace
    (a worker was down, a queue lost a job). Returns how many were enqueued."""
    ids = due_message_ids(grace=timedelta(seconds=grace_seconds))
    return sum(1 for message_id in ids if schedule_delivery(message_id))
