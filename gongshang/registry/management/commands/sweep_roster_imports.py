"""Fail the roster imports left running by a dead worker (their lease has expired).

    manage.py sweep_roster_imports

Run before the task worker starts (`./dev serve` and the systemd unit do) and periodically
(`./dev serve` every minute; cron or a systemd timer in production). The import pages and API
also check the import they show. Nothing of an interrupted import was written: it ends `failed`
with a message to the employer, who may process it again or upload the file again.
"""

from django.core.management.base import BaseCommand

from gongshang.registry.imports.leases import sweep


class Command(BaseCommand):
    help = "将后台处理中断（租约过期）的批量报盘标记为处理失败，并提示单位重新处理"

    def handle(self, *args, **options):
        count = sweep()
        self.stdout.write(f"已将 {count} 个处理中断的批量报盘标记为处理失败。")
