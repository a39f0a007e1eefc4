"""Password and TOTP logins, lockout, audit events."""

import pytest
from django.test import RequestFactory

from gongshang.accounts.choices import AuthEvent
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.services.auth import authenticate_password, login_name
from gongshang.conftest import PASSWORD, current_totp
from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def rf_request():
    def make():
        request = RequestFactory().post("/accounts/login/staff/")
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        return request

    return make


def test_staff_login_requires_totp_and_answers_like_a_wrong_password(staff_factory, rf_request):
    user = staff_factory("reviewer")
    with pytest.raises(DomainError) as wrong_password:
        authenticate_password(rf_request(), username=user.username, password="wrong", otp="123456")
    with pytest.raises(DomainError) as missing_otp:
        authenticate_password(rf_request(), username=user.username, password=PASSWORD)
    wrong = "000000" if current_totp(user) != "000000" else "111111"
    with pytest.raises(DomainError) as wrong_otp:
        authenticate_password(rf_request(), username=user.username, password=PASSWORD, otp=wrong)
    bodies = {(e.value.code, e.value.message, e.value.status) for e in (wrong_password, missing_otp, wrong_otp)}
    assert len(bodies) == 1 and next(iter(bodies))[0] == AccountsErrorCode.BAD_CREDENTIALS
    reasons = set(AuditEvent.objects.filter(event_type=AuthEvent.LOGIN_FAILED).values_list("details__reason",
                                                                                          flat=True))
    assert reasons == {"password", "otp_missing", "otp"}
    # django-otp throttles a device after a wrong code (1 s, doubling); clear it for the last try.
    user.totpdevice_set.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    got, device = authenticate_password(rf_request(), username=user.username, password=PASSWORD,
                                        otp=current_totp(user))
    assert got == user and device is not None


def test_missing_otp_counts_towards_lockout(staff_factory, rf_request):
    user = staff_factory("reviewer")
    for _ in range(5):
        with pytest.raises(DomainError) as exc:
            authenticate_password(rf_request(), username=user.username, password=PASSWORD)
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT


def test_lockout_after_five_failures_even_with_right_password(employer_user_a, rf_request, settings):
    for _ in range(4):
        with pytest.raises(DomainError) as exc:
            authenticate_password(rf_request(), username=employer_user_a.username, password="wrong-password")
        assert exc.value.code == AccountsErrorCode.BAD_CREDENTIALS
    with pytest.raises(DomainError) as exc:
        authenticate_password(rf_request(), username=employer_user_a.username, password="wrong-password")
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT
    assert exc.value.status == 429
    assert "15 分钟" in exc.value.message
    with pytest.raises(DomainError) as exc:
        authenticate_password(rf_request(), username=employer_user_a.username, password=PASSWORD)
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOCKED_OUT).count() == 1
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOGIN_FAILED).count() == 6


def test_lockout_ends_after_cooloff(employer_user_a, rf_request):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(5):
        with pytest.raises(DomainError):
            authenticate_password(rf_request(), username=employer_user_a.username, password="wrong-password")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    user, _ = authenticate_password(rf_request(), username=employer_user_a.username, password=PASSWORD)
    assert user == employer_user_a


def test_lockout_limit_is_configurable(employer_user_a, rf_request, settings):
    settings.AXES_FAILURE_LIMIT = 2
    with pytest.raises(DomainError):
        authenticate_password(rf_request(), username=employer_user_a.username, password="bad")
    with pytest.raises(DomainError) as exc:
        authenticate_password(rf_request(), username=employer_user_a.username, password="bad")
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT


def test_audience_restriction_answers_like_wrong_password(employer_user_a, rf_request):
    with pytest.raises(DomainError) as exc:
        authenticate_password(rf_request(), username=employer_user_a.username, password=PASSWORD,
                              audiences={"staff"})
    assert exc.value.code == AccountsErrorCode.BAD_CREDENTIALS


def test_uscc_login_name_is_case_insensitive():
    assert login_name(" 91370200ma3c5uwk4c ") == "91370200MA3C5UWK4C"
    assert login_name("Reviewer") == "Reviewer"
