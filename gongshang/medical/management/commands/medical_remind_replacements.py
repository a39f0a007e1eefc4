"""python manage.py medical_remind_replacements — the daily reminder of devices that may be replaced
within 30 days (once each; a missed day is caught up). Run it from a daily timer."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "提醒职工辅助器具即将可以更换（到期前30天，每项只提醒一次）"

    def handle(self, *args, **options):
        from gongshang.medical.services.referrals import referral_remind_due

        count = referral_remind_due()
        self.stdout.write(f"已写入提醒 {count} 条。")
