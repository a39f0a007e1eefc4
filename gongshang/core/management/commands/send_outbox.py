"""Flush the notifications outbox now, in this process (no worker needed).

    manage.py send_outbox            # send every pending/retrying message that is due, in batches
    manage.py send_outbox --all      # also those still waiting for their backoff
    manage.py send_outbox --enqueue  # hand them to the task queue (a few drain jobs) instead

Suitable for cron as the safety net when no worker runs the deliver_due_messages sweep. With
--enqueue it adds at most settings.NOTIFY_DRAIN_JOBS jobs per run, however large the backlog.
"""

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from gongshang.core.models import OutboxMessage
from gongshang.core.notifications.delivery import (
    OPEN_STATUSES,
    deliver_batch,
    due_message_ids,
    schedule_drain,
)


class Command(BaseCommand):
    help = "发送通知发件箱中到期的消息（不依赖后台任务进程）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="包括尚在重试等待期内的消息")
        parser.add_argument("--enqueue", action="store_true", help="交给任务队列发送，而不是在本进程发送")
        parser.add_argument("--limit", type=int, default=None, help="最多处理的条数")

    def handle(self, *args, **options):
        if options["all"]:
            # Make them due now, so the claim does not leave them as "not due".
            OutboxMessage.objects.filter(status__in=OPEN_STATUSES).update(next_attempt_at=timezone.now())
        if options["enqueue"]:
            jobs = schedule_drain(jobs=settings.NOTIFY_DRAIN_JOBS) if due_message_ids(limit=1) else 0
            self.stdout.write(f"已加入 {jobs} 个批量发送任务。")
            return
        limit = options["limit"]
        outcomes: Counter = Counter()
        while limit is None or limit > 0:
            size = settings.NOTIFY_BATCH_SIZE if limit is None else min(limit, settings.NOTIFY_BATCH_SIZE)
            batch = deliver_batch(size)
            outcomes.update(batch)
            if limit is not None:
                limit -= sum(batch.values())
            if sum(batch.values()) < size:
                break
        self.stdout.write(
            f"处理 {sum(outcomes.values())} 条：已发送 {outcomes['sent']} 条，"
            f"待重试 {outcomes['retrying']} 条，发送失败 {outcomes['failed']} 条。"
        )
