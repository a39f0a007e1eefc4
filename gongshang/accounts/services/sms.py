"""SMS one-time codes: 6 digits, valid settings.SMS_CODE_TTL_SECONDS (5 minutes), stored hashed,
rate limited per mobile (resend interval, daily cap) and per client IP, limited attempts."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.choices import AuthEvent, SmsPurpose
from gongshang.accounts.models import SmsCode
from gongshang.core.audit import record_event
from gongshang.core.audit.context import current
from gongshang.core.errors import RateLimited
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.pii.crypto import blind_index
from gongshang.core.ratelimit import hit
from gongshang.core.validators import ascii_digits

TEMPLATES = {SmsPurpose.LOGIN: "sms_login_code", SmsPurpose.RESET_PASSWORD: "sms_reset_code",
             # registered by the quickreports app (its supplement check reuses these codes)
             SmsPurpose.QUICK_REPORT: "sms_quickreport_access_code"}
IP_LIMIT_PER_HOUR = 30


def _hash(index: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{index}:{code}".encode(), hashlib.sha256).hexdigest()


def _check_ip_rate() -> None:
    hit(f"sms-ip:{current().network or 'unknown'}", limit=IP_LIMIT_PER_HOUR, window_seconds=3600,
        message="获取验证码过于频繁，请一小时后再试。")


def sms_code_send(*, mobile: str, purpose: str, region: str = "") -> str:
    """Create and send a code; returns it (shown on the page only in a local demo)."""
    index = blind_index(mobile)
    now = timezone.now()
    recent = SmsCode.objects.filter(mobile_index=index, purpose=purpose)
    last = recent.order_by("-created_at").first()
    if last and (now - last.created_at).total_seconds() < settings.SMS_CODE_RESEND_SECONDS:
        wait = settings.SMS_CODE_RESEND_SECONDS - int((now - last.created_at).total_seconds())
        raise RateLimited(f"验证码已发送，请 {wait} 秒后再重新获取。", retry_after=wait)
    if recent.filter(created_at__gte=now - timedelta(days=1)).count() >= settings.SMS_CODE_DAILY_LIMIT:
        raise RateLimited("该手机号今日获取验证码次数已达上限，请明天再试或拨打 12333。")
    _check_ip_rate()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        SmsCode.objects.create(mobile_index=index, purpose=purpose, code_hash=_hash(index, code),
                               expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS))
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=TEMPLATES[purpose],
                        params={"code": code, "minutes": settings.SMS_CODE_TTL_SECONDS // 60}, region=region,
                        expires_in_seconds=settings.SMS_CODE_TTL_SECONDS)
        record_event(actor=None, actor_label=f"mobile:{index[:16]}", event_type=AuthEvent.SMS_SENT, details={"purpose": str(purpose)})
    return code


def sms_code_verify(*, mobile: str, purpose: str, code: str) -> bool:
    """True once for the newest valid code; each wrong try counts against SMS_CODE_MAX_ATTEMPTS."""
    index = blind_index(mobile)
    code = (code or "").strip()
    with transaction.atomic():
        row = (SmsCode.objects.select_for_update()
               .filter(mobile_index=index, purpose=purpose, consumed_at__isnull=True,
                       expires_at__gt=timezone.now())
               .order_by("-created_at").first())
        if row is None or row.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            return False
        if not (ascii_digits(code) and len(code) == 6 and hmac.compare_digest(row.code_hash, _hash(index, code))):
            SmsCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            return False
        SmsCode.objects.filter(pk=row.pk).update(consumed_at=timezone.now())
        return True
