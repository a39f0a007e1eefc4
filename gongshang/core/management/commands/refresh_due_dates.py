"""Recompute the due dates stored on open rows (认定申请, 鉴定申请, 12333 工单) in this process.

    manage.py refresh_due_dates            # nightly, and after loading calendar data by hand

The lists read the stored dates; the services store them at every step and a calendar change
enqueues the same refresh. Safe to run twice: it writes only rows whose dates moved.
"""

import time

from django.core.management.base import BaseCommand

from gongshang.core.workdays.tasks import refresh_all


class Command(BaseCommand):
    help = "重新计算在办事项保存的办理时限（节假日安排变更后、每晚运行）"

    def handle(self, *args, **options):
        started = time.monotonic()
        for path, changed in refresh_all().items():
            self.stdout.write(f"{path}: {changed} 条时限已更新")
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒")
