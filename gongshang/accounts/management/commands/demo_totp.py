"""python manage.py demo_totp <username> — the current 6-digit code of a demo staff account.

Only with DEBUG on: it exists so people trying the demo need no authenticator app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "显示演示经办人员当前的动态口令（仅限 DEBUG 演示环境）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("仅在演示环境（DEBUG=true）中可用")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"没有找到 {username} 的动态口令设备")
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
