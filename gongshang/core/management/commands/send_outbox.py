"""Flush the notifications outbox now, in this process (no worker needed).

    manage.py send_outbox            # send every pending/retrying message that is due
    manage.py send_outbox --all      # also those still waiting for their backoff
    manage.py send_outbox --enqueue  # hand them to the task queue instead of sending here

Suitable for cron as the safety net when no worker runs the deliver_due_messages sweep.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongshang.core.models import OutboxMessage
from gongshang.core.notifications.delivery import (
    OPEN_STATUSES,
    deliver_message,
    due_message_ids,
    schedule_delivery,
)


class Command(BaseCommand):
    help = "发送通知发件箱中到期的消息（不依赖后台任务进程）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="包括尚在重试等待期内的消息")
        parser.add_argument("--enqueue", action="store_true", help="交给任务队列发送，而不是在本进程发送")
        parser.add_argument("--limit", type=int, default=None, help="最多处理的条数")

    def handle(self, *args, **options):
        if options["all"]:
            # Make them due now, so deliver_message does not skip them as "not due".
            OutboxMessage.objects.filter(status__in=OPEN_STATUSES).update(next_attempt_at=timezone.now())
        ids = due_message_ids(limit=options["limit"])
        if options["enqueue"]:
            queued = sum(1 for message_id in ids if schedule_delivery(message_id))
            self.stdout.write(f"已将 {queued} 条消息加入发送队列。")
            return
        outcomes: dict[str, int] = {}
        for message_id in ids:
            outcome = deliver_message(message_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        self.stdout.write(
            f"处理 {len(ids)} 条：已发送 {outcomes.get('sent', 0)} 条，"
            f"待重试 {outcomes.get('retrying', 0)} 条，发送失败 {outcomes.get('failed', 0)} 条，"
            f"跳过 {sum(v for k, v in outcomes.items() if k.startswith('skipped'))} 条。"
        )
