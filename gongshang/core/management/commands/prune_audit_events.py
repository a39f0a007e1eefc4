"""Delete audit events past the retention period (settings.AUDIT_RETENTION_DAYS, never < 183 days).

网络安全法 第二十一条 requires network logs to be kept at least six months; the floor is applied
here as well as in settings, so a misconfigured value can never shorten it.

AuditEvent.delete() refuses on purpose; QuerySet.delete() issues a set-based DELETE without
calling it, which is the one sanctioned way to remove rows.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.models import AuditEvent

MIN_RETENTION_DAYS = 183
PRUNED_EVENT = "audit.pruned"


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)))


class Command(BaseCommand):
    help = "删除超过保存期限的审计事件（至少保留 183 天）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, **options):
        days = retention_days()
        cutoff = timezone.now() - timedelta(days=days)
        expired = AuditEvent.objects.filter(at__lt=cutoff)
        if options["dry_run"]:
            count = expired.count()
            self.stdout.write(f"保存期限 {days} 天：有 {count} 条审计事件早于 "
                              f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}，未删除（试运行）。")
            return
        with transaction.atomic():
            count = expired.delete()[1].get(AuditEvent._meta.label, 0)
            # The pruning itself is on the record, in the installation's home region.
            record_event(actor=None, actor_label="system", event_type=PRUNED_EVENT,
                         region=settings.DEFAULT_POOLING_REGION,
                         details={"deleted": count, "retention_days": days, "cutoff": cutoff.isoformat()})
        self.stdout.write(f"保存期限 {days} 天：已删除 {count} 条早于 "
                          f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M} 的审计事件。")
