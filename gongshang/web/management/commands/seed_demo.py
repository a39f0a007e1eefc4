"""python manage.py seed_demo — demo data for 青岛市 (370200); safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SEEDERS = [
    "gongshang.registry.demo",
    "gongshang.accounts.demo",
    "gongshang.registry.demo_changes",
    "gongshang.quickreports.demo",
    "gongshang.benefits.demo",
    "gongshang.recognition.demo",
    "gongshang.cases.demo",
    "gongshang.appraisal.demo",
    "gongshang.medical.demo",
    "gongshang.service.demo",
    "gongshang.integrations.demo",
]


class Command(BaseCommand):
    help = "写入演示数据（青岛市 370200），可重复执行"

    def handle(self, *args, **options):
        from importlib import import_module

        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("演示数据包含公开的密码和动态口令密钥，本环境不允许写入（DEMO_DATA_ALLOWED 未开启）。")
        self.stdout.write("写入演示数据……")
        for path in SEEDERS:
            import_module(path).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
