"""Writes to the notifications outbox (通知发件箱).

A message is written in the caller's transaction and handed to the task queue only after that
transaction commits: if the business change rolls back, nothing is sent.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshang.core.errors import CoreErrorCode, DomainError
from gongshang.core.models import OutboxMessage
from gongshang.core.models.outbox import OutboxChannel, OutboxStatus
from gongshang.core.queue import enqueue_after_commit
from gongshang.core.workflow import transition

from . import templates
from .delivery import schedule_drain


class OutboxEvent:
    RETRIED = "outbox.retried"


def _build(*, channel, recipient: str, template: str, params: dict | None = None,
           region: str = "", expires_in_seconds: int | None = None) -> OutboxMessage:
    """The unsaved outbox row, checked and rendered (one place for enqueue_message(s))."""
    channel = str(channel)
    if channel not in OutboxChannel.values:
        raise DomainError(CoreErrorCode.VALIDATION, f"不支持的通知渠道：{channel}")
    recipient = (recipient or "").strip()
    if not recipient:
        raise DomainError(CoreErrorCode.VALIDATION, "缺少通知接收方（手机号或微信账号）。")
    params = dict(params or {})
    body = templates.render(template, params)
    if expires_in_seconds is None and template in templates.SECRET_TEMPLATES:
        expires_in_seconds = settings.SMS_CODE_TTL_SECONDS
    if expires_in_seconds is not None and (
            isinstance(expires_in_seconds, bool) or not isinstance(expires_in_seconds, int | float)
            or expires_in_seconds <= 0):
        raise DomainError(CoreErrorCode.VALIDATION, f"消息有效期应为正数秒：{expires_in_seconds!r}")
    now = timezone.now()
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        template=template,
        params={key: str(value) for key, value in params.items()},
        body=body,
        status=OutboxStatus.PENDING,
        # Due now: the sweep finds it if the after-commit enqueue never happens.
        next_attempt_at=now,
        expires_at=now + timedelta(seconds=expires_in_seconds) if expires_in_seconds is not None else None,
        region=region or "",
    )


def enqueue_message(*, channel, recipient: str, template: str, params: dict | None = None,
                    region: str = "", expires_in_seconds: int | None = None) -> OutboxMessage:
    """Queue one message; it is delivered by a task after the surrounding transaction commits.

    `channel` an OutboxChannel ("sms", "wechat"), `recipient` a mobile number or WeChat openid,
    `template` a code from notifications.templates, `params` its placeholders.
    `expires_in_seconds`: not sent at all once this long has passed (a one-time code nobody can
    use any more). Secret templates (templates.SECRET_TEMPLATES) default to
    settings.SMS_CODE_TTL_SECONDS; other messages do not expire unless given.
    """
    message = _build(channel=channel, recipient=recipient, template=template, params=params, region=region,
                     expires_in_seconds=expires_in_seconds)
    message.save()
    deliver_after_commit(message.pk)
    return message


def deliver_after_commit(message_id: int) -> None:
    """The message's delivery job, written with the caller's transaction when jobs live in the same
    database (core.queue); a queue that refuses it leaves the message to the sweep."""
    def enqueue():
        from gongshang.core.tasks import deliver_outbox_message

        deliver_outbox_message.enqueue(message_id)

    enqueue_after_commit(enqueue, what=f"outbox #{message_id} (left for the sweep)")


def enqueue_messages(messages, *, batch_size: int = 2000) -> int:
    """Queue many messages (each a dict of enqueue_message's keyword arguments) with multi-row
    INSERTs, in the caller's transaction. After it commits, a few drain jobs (at most
    settings.NOTIFY_DRAIN_JOBS) send them in batches; a lone message gets its own job, as
    enqueue_message's does. Returns how many were queued."""
    ids: list[int] = []
    batch: list[OutboxMessage] = []
    for spec in messages:
        batch.append(_build(**spec))
        if len(batch) >= batch_size:
            ids.extend(m.pk for m in OutboxMessage.objects.bulk_create(batch))
            batch = []
    if batch:
        ids.extend(m.pk for m in OutboxMessage.objects.bulk_create(batch))
    if len(ids) == 1:
        deliver_after_commit(ids[0])
    elif ids:
        # A few drain jobs share the batch (and any backlog): not one job per message.
        jobs = min(settings.NOTIFY_DRAIN_JOBS, -(-len(ids) // settings.NOTIFY_BATCH_SIZE))
        transaction.on_commit(lambda: schedule_drain(jobs=jobs))
    return len(ids)


def retry_message(*, actor, message: OutboxMessage) -> OutboxMessage:
    """Staff: send a failed message again, with a fresh set of attempts (an expired one-time code
    is refused by the model's access condition: sending it again would be useless)."""
    previous_attempts, previous_error = message.attempts, message.last_error
    with transaction.atomic():
        locked = transition(
            actor, message, "retry", event_type=OutboxEvent.RETRIED, region=message.region,
            changes={"attempts": 0, "next_attempt_at": timezone.now()},
            details={"channel": message.channel, "template": message.template,
                     "previous_attempts": previous_attempts, "previous_error": previous_error[:500]},
            message="只有发送失败的消息才能重新发送，请刷新后查看最新状态。")
        deliver_after_commit(locked.pk)
    return locked
