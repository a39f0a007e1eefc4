"""SMS codes: 6 digits, 5 minutes, hashed, rate limited, limited attempts; individual login."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from gongshang.accounts.choices import Audience, SmsPurpose
from gongshang.accounts.models import SmsCode, User
from gongshang.accounts.services.auth import individual_sms_login
from gongshang.accounts.services.sms import sms_code_send, sms_code_verify
from gongshang.core.errors import DomainError, RateLimited
from gongshang.core.models import OutboxMessage

pytestmark = pytest.mark.django_db
MOBILE = "13912345678"


def _request():
    request = RequestFactory().post("/")
    request.META["REMOTE_ADDR"] = "10.0.0.1"
    return request


def test_code_is_six_digits_stored_hashed_and_sent_through_outbox():
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    assert len(code) == 6 and code.isdigit()
    row = SmsCode.objects.get()
    assert code not in row.code_hash
    assert (row.expires_at - row.created_at) <= timedelta(minutes=5, seconds=1)
    message = OutboxMessage.objects.get()
    assert message.recipient == MOBILE and message.params["code"] == code and code in message.body


def test_code_valid_once():
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    assert sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)
    assert not sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)


def test_code_expires_after_five_minutes():
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)


def test_code_for_other_purpose_does_not_work():
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.RESET_PASSWORD)
    assert not sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)


def test_resend_interval_and_daily_limit(settings):
    sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    with pytest.raises(RateLimited) as exc:
        sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    assert "秒后" in exc.value.message
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_CODE_DAILY_LIMIT = 3
    sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    with pytest.raises(RateLimited):
        sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)


def test_attempts_are_limited(settings):
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        assert not sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=wrong)
    assert not sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)


def test_individual_login_creates_account_once():
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    user = individual_sms_login(_request(), mobile=MOBILE, code=code)
    assert user.kind == Audience.INDIVIDUAL and user.mobile == MOBILE and not user.has_usable_password()
    SmsCode.objects.all().delete()
    code = sms_code_send(mobile=MOBILE, purpose=SmsPurpose.LOGIN)
    assert individual_sms_login(_request(), mobile=MOBILE, code=code) == user
    assert User.objects.filter(kind=Audience.INDIVIDUAL).count() == 1


def test_individual_lockout_after_five_wrong_codes(settings):
    settings.SMS_CODE_RESEND_SECONDS = 0
    for _ in range(4):
        with pytest.raises(DomainError) as exc:
            individual_sms_login(_request(), mobile=MOBILE, code="123456")
        assert exc.value.code == "sms_code_invalid"
    with pytest.raises(DomainError) as exc:
        individual_sms_login(_request(), mobile=MOBILE, code="123456")
    assert exc.value.code == "locked_out"
