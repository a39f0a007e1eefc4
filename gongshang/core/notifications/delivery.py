"""Sending outbox messages: one attempt per claim, retries with exponential backoff.

Two ways in, one set of guarantees:
- `deliver_message(id)`: one message at once (a login code right after its commit);
- `deliver_batch(limit)` / `drain(...)`: claim up to `limit` due messages in one statement and send
  them one by one (bulk sends, the sweep, backlogs).
The task functions in gongshang.core.tasks are thin wrappers; the send_outbox command calls these
directly, so operators can flush the outbox without a worker.
"""

import logging
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxStatus
from gongshang.core.rules.outbox import OUTBOX_WORKFLOW

from .backends import get_backend

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
ERROR_MAX_CHARS = 2000
CLOCK_SLACK = timedelta(seconds=2)
# How long a claimed message is left alone by other workers: far longer than a gateway call
# (backends.HTTP_TIMEOUT_SECONDS) takes.
LEASE = timedelta(minutes=2)
EXPIRED_ERROR = "已过期，未发送"
# A batch starts a send only while its lease has this long left (a slow gateway call, clock slack);
# the rest of the batch is handed back, so no send ever runs on a lease that may have run out.
SEND_MARGIN = timedelta(seconds=30)

# The worker does not go through core.workflow.transition: each outcome is one conditional UPDATE
# (no row lock held across the gateway call, fenced by the attempt number). The conditions are
# the sources of the same table's steps (core/rules/outbox.py), so the table stays the one truth.
OPEN_STATUSES = tuple(sorted(OUTBOX_WORKFLOW.steps["send"].sources))
assert OUTBOX_WORKFLOW.steps["fail"].sources == OUTBOX_WORKFLOW.steps["defer"].sources == frozenset(OPEN_STATUSES)


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


def schedule_drain(*, jobs: int = 1, run_after=None) -> int:
    """Enqueue `jobs` drain jobs (each sends due messages in batches); how many were enqueued.

    A few drain jobs serve any backlog, so a bulk send or the sweep adds a bounded number of jobs
    to the queue however many messages wait."""
    from gongshang.core.tasks import drain_outbox

    task = drain_outbox
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return 0
            task = task.using(run_after=run_after)
        for _ in range(jobs):
            task.enqueue()
    except Exception:
        logger.exception("outbox: enqueueing a drain job failed, left for the sweep")
        return 0
    return jobs


def deliver_message(message_id: int) -> str:
    """Try to send one message now. Returns what happened: sent, retrying, failed, or skipped:…

    Three steps, so no transaction (and no SQLite write lock) is held during the gateway call:
    1. claim: one conditional UPDATE takes a lease (next_attempt_at = now + LEASE, attempts + 1)
       only if the message is still open and due; a second worker (a retry racing the sweep)
       then finds it not due and skips it;
    2. send, outside any transaction;
    3. record the outcome in a second short UPDATE, fenced by the attempt number claimed.
    A worker that dies between 1 and 3 leaves the lease to run out: the sweep sends again then,
    the one case where a message can go out twice.
    """
    now = timezone.now()
    message, skipped = _claim(message_id, now)
    if message is None:
        return skipped
    try:
        get_backend(message.channel).send(message)
    except Exception as exc:
        return _record_failure(message, exc, timezone.now())
    _record_success(message)
    return OutboxStatus.SENT.value


def _claim(message_id: int, now) -> tuple[OutboxMessage | None, str]:
    """(the claimed message, "") or (None, the outcome to report)."""
    # A duplicate task (sweep + scheduled retry) must not cut the backoff or a lease short.
    open_and_due = OutboxMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + CLOCK_SLACK),
        pk=message_id, status__in=OPEN_STATUSES)
    with transaction.atomic():
        if open_and_due.filter(expires_at__lte=now).update(
                status=OutboxStatus.FAILED, next_attempt_at=None, last_error=EXPIRED_ERROR):
            logger.warning("outbox #%s expired before it could be sent", message_id)
            return None, OutboxStatus.FAILED.value
        claimed = open_and_due.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).update(
            attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
        message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return None, "skipped:missing"
    if not claimed:
        if message.status not in OPEN_STATUSES:
            return None, f"skipped:{message.status}"
        return None, "skipped:not_due"
    return message, ""


def _record_success(message: OutboxMessage) -> None:
    # Not fenced by the attempt number: the message did go out, whoever else holds it now.
    OutboxMessage.objects.filter(pk=message.pk, status__in=OPEN_STATUSES).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")


def _record_failure(message: OutboxMessage, exc: Exception, now, *, reschedule: bool = True) -> str:
    last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        status, next_attempt_at = OutboxStatus.FAILED, None
    else:
        status, next_attempt_at = OutboxStatus.RETRYING, now + backoff(message.attempts)
    with transaction.atomic():
        # Fenced: if our lease ran out and another worker claimed the message since, its
        # outcome is the one that counts.
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status__in=OPEN_STATUSES, attempts=message.attempts,
        ).update(status=status, next_attempt_at=next_attempt_at, last_error=last_error)
        if not updated:
            logger.warning("outbox #%s attempt %s failed after its lease was taken over: %s", message.pk,
                           message.attempts, last_error)
            return "skipped:superseded"
        if status == OutboxStatus.FAILED:
            logger.error("outbox #%s failed after %s attempts: %s", message.pk, message.attempts, last_error)
        else:
            logger.warning("outbox #%s attempt %s failed, retry at %s: %s", message.pk, message.attempts,
                           next_attempt_at, last_error)
            if reschedule:
                pk = message.pk
                transaction.on_commit(lambda: schedule_delivery(pk, run_after=next_attempt_at))
    message.status, message.next_attempt_at, message.last_error = status, next_attempt_at, last_error
    return status.value


def due_message_ids(*, grace: timedelta = timedelta(0), limit: int | None = None) -> list[int]:
    """Open messages whose next attempt was due more than `grace` ago (oldest first)."""
    cutoff = timezone.now() - grace
    queryset = (OutboxMessage.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=cutoff)
                .order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    if limit:
        queryset = queryset[:limit]
    return list(queryset)


# --- batches -------------------------------------------------------------------------------------

# One statement picks and claims: the inner SELECT locks the rows it picks and skips rows another
# worker has locked (PostgreSQL), and the outer conditions fence again on the latest row version.
# SQLite has one writer at a time, so the single statement is the whole claim there. Expired rows
# among those picked are failed by the same statement (no second scan for them: expires_at has no
# index, and a scan over every due row per batch would make a backlog quadratic). Ordered by the
# indexed next_attempt_at alone, so the scan stops after `limit` rows.
_CLAIM_SQL = """
UPDATE {table} SET
    status = CASE WHEN {expired} THEN %(failed)s ELSE status END,
    last_error = CASE WHEN {expired} THEN %(error)s ELSE last_error END,
    attempts = CASE WHEN {expired} THEN attempts ELSE attempts + 1 END,
    next_attempt_at = CASE WHEN {expired} THEN NULL ELSE %(lease)s END
WHERE id IN (
    SELECT id FROM {table}
    WHERE status IN ({open}) AND next_attempt_at <= %(due)s
    ORDER BY next_attempt_at LIMIT %(limit)s {lock}
) AND status IN ({open}) AND next_attempt_at <= %(due)s
RETURNING *
"""


def _claim_sql() -> str:
    lock = "FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    return _CLAIM_SQL.format(table=connection.ops.quote_name(OutboxMessage._meta.db_table),
                             open=", ".join(f"'{status}'" for status in OPEN_STATUSES), lock=lock,
                             expired="(expires_at IS NOT NULL AND expires_at <= %(now)s)")


def _claim_due(limit: int, now) -> tuple[list[OutboxMessage], list[int]]:
    """(the claimed messages, the ids failed as expired): up to `limit` in all, in one statement.

    Claiming is what `_claim` does for one message: attempts + 1 and a lease
    (next_attempt_at = now + LEASE), only while the message is open and due."""
    adapt = connection.ops.adapt_datetimefield_value
    params = {"due": adapt(now + CLOCK_SLACK), "now": adapt(now), "limit": limit, "lease": adapt(now + LEASE),
              "failed": OutboxStatus.FAILED.value, "error": EXPIRED_ERROR}
    with transaction.atomic():
        rows = list(OutboxMessage.objects.raw(_claim_sql(), params))
    claimed = [row for row in rows if row.status != OutboxStatus.FAILED]
    return claimed, [row.pk for row in rows if row.status == OutboxStatus.FAILED]


def deliver_batch(limit: int | None = None) -> Counter:
    """Claim up to `limit` (settings.NOTIFY_BATCH_SIZE) due messages at once and try each (oldest
    due first).

    Returns the outcomes counted (sent, retrying, failed, skipped:superseded); an empty Counter
    when nothing was due. The guarantees are deliver_message's, message by message:
    1. claim: one statement takes the lease on each (attempts + 1), only if still open and due;
       concurrent workers skip each other's locked rows and re-check the conditions, so no two
       claim the same message; expired ones are failed instead, unsent;
    2. send each, outside any transaction;
    3. record: the sent ones in one UPDATE (unfenced: they did go out), each failure alone, fenced
       by its attempt number, with the same backoff and attempt limit. One retry drain job is
       scheduled for the earliest backoff (not one job per failed message).
    The sends are sequential under one lease: when less than SEND_MARGIN of it is left (a slow
    gateway), the unsent rest is handed back (outcome "released") instead of sent late.
    A worker that dies mid-batch (killed, power loss) leaves the messages it sent in that batch
    unrecorded: like deliver_message's one message, they go out again once the lease runs out.
    """
    limit = limit or settings.NOTIFY_BATCH_SIZE
    claimed_at = timezone.now()
    messages, expired = _claim_due(limit, claimed_at)
    send_until = claimed_at + LEASE - SEND_MARGIN
    outcomes: Counter = Counter()
    for message_id in expired:
        logger.warning("outbox #%s expired before it could be sent", message_id)
    if expired:
        outcomes[OutboxStatus.FAILED.value] += len(expired)
    backends: dict = {}
    sent: list[int] = []
    retry_at = None
    try:
        for index, message in enumerate(messages):
            if timezone.now() >= send_until:
                outcomes["released"] += _release(messages[index:])
                break
            try:
                if message.channel not in backends:
                    backends[message.channel] = get_backend(message.channel)
                backends[message.channel].send(message)
            except Exception as exc:
                outcome = _record_failure(message, exc, timezone.now(), reschedule=False)
                outcomes[outcome] += 1
                if outcome == OutboxStatus.RETRYING:
                    retry_at = min(retry_at or message.next_attempt_at, message.next_attempt_at)
            else:
                sent.append(message.pk)
    finally:
        # Whatever broke the loop (the database, the job's timeout), what went out is recorded.
        if sent:
            OutboxMessage.objects.filter(pk__in=sent, status__in=OPEN_STATUSES).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")
            outcomes[OutboxStatus.SENT.value] += len(sent)
    if retry_at is not None:
        schedule_drain(run_after=retry_at)
    return outcomes


def _release(messages: list[OutboxMessage]) -> int:
    """Hand claimed, unsent messages back: due now, the claim's attempt undone; fenced by the
    attempt number, so a message another worker has claimed since is left to it."""
    released = 0
    for message in messages:
        released += OutboxMessage.objects.filter(
            pk=message.pk, status__in=OPEN_STATUSES, attempts=message.attempts,
        ).update(attempts=F("attempts") - 1, next_attempt_at=timezone.now())
    return released


def drain(*, budget_seconds: float | None = None, batch_size: int | None = None) -> tuple[Counter, bool]:
    """Deliver batches until nothing is due or the time budget is spent.

    Returns (the outcomes counted, whether more may be due: the budget ran out after a full batch).
    `budget_seconds` None: settings.NOTIFY_DRAIN_SECONDS; 0: no limit."""
    budget = settings.NOTIFY_DRAIN_SECONDS if budget_seconds is None else budget_seconds
    batch_size = batch_size or settings.NOTIFY_BATCH_SIZE
    deadline = time.monotonic() + budget if budget else None
    outcomes: Counter = Counter()
    while True:
        batch = deliver_batch(batch_size)
        outcomes.update(batch)
        if sum(batch.values()) < batch_size:
            return outcomes, False  # a short batch: nothing else was due (or others hold it)
        if deadline is not None and time.monotonic() >= deadline:
            return outcomes, True
