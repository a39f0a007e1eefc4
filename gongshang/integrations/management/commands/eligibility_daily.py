"""python manage.py eligibility_daily — the daily cycle of 待遇领取资格认证 (run it each morning from a
timer): open the certifications due within the horizon, confirm by data, send the reminders, suspend
the payments of the overdue. Running it twice a day changes nothing the second time; a missed day is
caught up by the next run."""

from django.core.management.base import BaseCommand, CommandError

from gongshang.core.validators import ascii_digits


class Command(BaseCommand):
    help = "待遇领取资格认证每日比对：新建到期认证、数据比对、短信提醒、逾期暂停（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="只处理该统筹区（6 位行政区划代码）；不填处理全部")

    def handle(self, *args, **options):
        from gongshang.integrations.services.eligibility_cycle import run_daily

        region = (options.get("region") or "").strip()
        if region and (len(region) != 6 or not ascii_digits(region)):
            raise CommandError(f"统筹区代码应为 6 位数字，例如 370200（收到：{region}）")
        results = run_daily(region=region)
        if not results:
            self.stdout.write("没有按月领取待遇的受领人，无需认证。")
        for code, result in results.items():
            self.stdout.write(f"{code}：{result.summary()}")
