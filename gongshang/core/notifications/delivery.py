"""Sending outbox messages: one attempt per call, retries with exponential backoff.

The task functions in gongshang.core.tasks are thin wrappers around `deliver_message` and
`due_message_ids`; the send_outbox command calls them directly, so operators can flush the
outbox without a worker.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxStatus

from .backends import get_backend

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
ERROR_MAX_CHARS = 2000
CLOCK_SLACK = timedelta(seconds=2)

OPEN_STATUSES = (OutboxStatus.PENDING, OutboxStatus.RETRYING)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: 30 s, 60 s, 120 s … at most 1 h."""
    exponent = max(attempts - 1, 0)
    seconds = BACKOFF_BASE_SECONDS * 2 ** min(exponent, 16)
    return timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def schedule_delivery(message_id: int, *, run_after=None) -> bool:
    """Enqueue the delivery task; False if it could not be (the sweep will pick the row up).

    Backends without deferred runs (immediate, dummy) get no delayed retry: the sweep
    (send_outbox / deliver_due_messages) is then what retries.
    """
    from gongshang.core.tasks import deliver_outbox_message

    task = deliver_outbox_message
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return False
            task = task.using(run_after=run_after)
        task.enqueue(message_id)
    except Exception:
        # The row is safe in the database; a broken queue must not break the business request.
        logger.exception("outbox #%s: enqueue failed, left for the sweep", message_id)
        return False
    return True


def deliver_message(message_id: int) -> str:
    """Try to send one message now. Returns what happened: sent, retrying, failed, or skipped:…"""
    now = timezone.now()
    with transaction.atomic():
        # The row lock makes a second worker (a retry and the sweep racing) wait, then skip.
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return "skipped:missing"
        if message.status not in OPEN_STATUSES:
            return f"skipped:{message.status}"
        # A duplicate task (sweep + scheduled retry) must not cut the backoff short.
        if message.next_attempt_at is not None and message.next_attempt_at > now + CLOCK_SLACK:
            return "skipped:not_due"
        try:
            get_backend(message.channel).send(message)
        except Exception as exc:
            return _record_failure(message, exc, now)
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.attempts += 1
        message.next_attempt_at = None
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at", "last_error"])
        return OutboxStatus.SENT.value


def _record_failure(message: OutboxMessage, exc: Exception, now) -> str:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = None
        logger.error("outbox #%s failed after %s attempts: %s", message.pk, message.attempts,
                     message.last_error)
    else:
        message.status = OutboxStatus.RETRYING
        message.next_attempt_at = now + backoff(message.attempts)
        logger.warning("outbox #%s attempt %s failed, retry at %s: %s", message.pk, message.attempts,
                       message.next_attempt_at, message.last_error)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    if message.status == OutboxStatus.RETRYING:
        pk, run_after = message.pk, message.next_attempt_at
        transaction.on_commit(lambda: schedule_delivery(pk, run_after=run_after))
    return message.status


def due_message_ids(*, grace: timedelta = timedelta(0), limit: int | None = None) -> list[int]:
    """Open messages whose next attempt was due more than `grace` ago (oldest first)."""
    cutoff = timezone.now() - grace
    queryset = (OutboxMessage.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=cutoff)
                .order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    if limit:
        queryset = queryset[:limit]
    return list(queryset)
