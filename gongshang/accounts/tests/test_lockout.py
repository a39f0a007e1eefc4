"""Login protection: lockout per (account, client), throttle per client across accounts, challenge
per account across clients, and the audit events of each step."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory

from gongshang.accounts.choices import AuthEvent
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.services import auth
from gongshang.conftest import PASSWORD
from gongshang.core.audit.context import AuditContext, using
from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


def from_ip(ip: str):
    request = RequestFactory().post("/api/v1/auth/token")
    request.META["REMOTE_ADDR"] = ip
    return request


def authenticate_password(request, **kwargs):
    """As a page or API call does: the audit context (client address) set from the request."""
    with using(AuditContext.from_request(request)):
        return auth.authenticate_password(request, **kwargs)


def fail(username: str, ip: str) -> DomainError:
    with pytest.raises(DomainError) as exc:
        authenticate_password(from_ip(ip), username=username, password="wrong-password")
    return exc.value


def events(event_type) -> list[dict]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("pk").values("actor_label", "ip", "details"))


def test_lockout_is_per_account_and_client(employer_user_a):
    """Someone who knows the public USCC cannot lock its owner out from every client."""
    for _ in range(4):
        assert fail(employer_user_a.username, "203.0.113.9").code == AccountsErrorCode.BAD_CREDENTIALS
    assert fail(employer_user_a.username, "203.0.113.9").code == AccountsErrorCode.LOCKED_OUT
    with pytest.raises(DomainError) as exc:
        authenticate_password(from_ip("203.0.113.9"), username=employer_user_a.username, password=PASSWORD)
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT and "当前网络" in exc.value.message

    user, _ = authenticate_password(from_ip("198.51.100.7"), username=employer_user_a.username, password=PASSWORD)
    assert user == employer_user_a
    assert events(AuthEvent.LOCKED_OUT) == [{"actor_label": employer_user_a.username, "ip": "203.0.113.9",
                                            "details": {"minutes": 15}}]


def test_success_clears_only_this_clients_failures(employer_user_a):
    for _ in range(4):
        fail(employer_user_a.username, "203.0.113.9")
    authenticate_password(from_ip("198.51.100.7"), username=employer_user_a.username, password=PASSWORD)
    assert fail(employer_user_a.username, "203.0.113.9").code == AccountsErrorCode.LOCKED_OUT


def test_lockout_uses_the_trusted_client_address(employer_user_a, settings):
    """Behind one proxy the client is the address the proxy appended, not a forged one."""
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(forged: str):
        request = from_ip("10.0.0.1")
        request.META["HTTP_X_FORWARDED_FOR"] = f"{forged}, 203.0.113.9"
        return request

    for n in range(5):
        with pytest.raises(DomainError) as exc:
            authenticate_password(via_proxy(f"192.0.2.{n}"), username=employer_user_a.username, password="bad")
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT


@time_machine.travel(NOW, tick=False)
def test_spraying_from_one_client_is_throttled_across_accounts(employer_user_a, settings):
    for n in range(settings.LOGIN_IP_FAILURE_LIMIT):
        assert fail(f"guess{n}", "203.0.113.9").code == AccountsErrorCode.BAD_CREDENTIALS
    # The next attempt from that client is refused before its password is even checked.
    with pytest.raises(DomainError) as exc:
        authenticate_password(from_ip("203.0.113.9"), username=employer_user_a.username, password=PASSWORD)
    assert exc.value.code == AccountsErrorCode.LOGIN_THROTTLED and exc.value.status == 429
    assert exc.value.details == {"retry_after": 15 * 60} and "15 分钟" in exc.value.message
    # Other clients are not affected.
    user, _ = authenticate_password(from_ip("198.51.100.7"), username=employer_user_a.username, password=PASSWORD)
    assert user == employer_user_a
    assert events(AuthEvent.LOGIN_THROTTLED) == [{"actor_label": f"guess{settings.LOGIN_IP_FAILURE_LIMIT - 1}",
                                                 "ip": "203.0.113.9", "details": {"failures": 20, "minutes": 15}}]
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOGIN_FAILED, details__reason="throttled").count() == 1


@time_machine.travel(NOW, tick=False)
def test_an_ipv6_client_rotating_addresses_in_its_64_is_still_one_client(employer_user_a, settings):
    """A new address of the same /64 per attempt neither escapes the throttle nor the lockout."""
    for n in range(settings.LOGIN_IP_FAILURE_LIMIT):
        assert fail(f"guess{n}", f"2001:db8:5:6::{n + 1:x}").code == AccountsErrorCode.BAD_CREDENTIALS
    with pytest.raises(DomainError) as exc:
        authenticate_password(from_ip("2001:db8:5:6:abcd::99"), username=employer_user_a.username,
                              password=PASSWORD)
    assert exc.value.code == AccountsErrorCode.LOGIN_THROTTLED
    assert events(AuthEvent.LOGIN_THROTTLED)[0]["ip"] == "2001:db8:5:6::14"  # the audit keeps the address
    user, _ = authenticate_password(from_ip("2001:db8:5:7::1"), username=employer_user_a.username,
                                    password=PASSWORD)  # the next /64 is another client
    assert user == employer_user_a


def test_lockout_of_an_ipv6_client_covers_its_64(employer_user_a):
    for n in range(4):
        assert fail(employer_user_a.username, f"2001:db8:5:6::{n + 1}").code == AccountsErrorCode.BAD_CREDENTIALS
    assert fail(employer_user_a.username, "2001:db8:5:6::ff").code == AccountsErrorCode.LOCKED_OUT
    with pytest.raises(DomainError) as exc:
        authenticate_password(from_ip("2001:db8:5:6:1:2:3:4"), username=employer_user_a.username,
                              password=PASSWORD)
    assert exc.value.code == AccountsErrorCode.LOCKED_OUT


def test_throttle_ends_with_its_window(employer_user_a, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    with time_machine.travel(NOW, tick=False) as clock:
        for n in range(3):
            fail(f"guess{n}", "203.0.113.9")
        assert fail(employer_user_a.username, "203.0.113.9").code == AccountsErrorCode.LOGIN_THROTTLED
        clock.shift(timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES, seconds=1))
        user, _ = authenticate_password(from_ip("203.0.113.9"), username=employer_user_a.username,
                                        password=PASSWORD)
    assert user == employer_user_a


@time_machine.travel(NOW, tick=False)
def test_account_ceiling_asks_for_a_challenge_instead_of_locking(staff_factory, settings):
    """Failures from many clients against one account: its owner must pass the captcha, and can."""
    user = staff_factory("reviewer")
    for n in range(settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT):
        assert fail(user.username, f"203.0.113.{n}").code == AccountsErrorCode.BAD_CREDENTIALS
    from gongshang.conftest import current_totp

    with pytest.raises(DomainError) as exc:
        authenticate_password(from_ip("198.51.100.7"), username=user.username, password=PASSWORD,
                              otp=current_totp(user))
    assert exc.value.code == AccountsErrorCode.CHALLENGE_REQUIRED and exc.value.status == 403
    assert "图形验证码" in exc.value.message
    got, _ = authenticate_password(from_ip("198.51.100.7"), username=user.username, password=PASSWORD,
                                   otp=current_totp(user), challenge_passed=True)
    assert got == user
    assert events(AuthEvent.CHALLENGE_REQUIRED) == [{"actor_label": user.username, "ip": "203.0.113.9",
                                                    "details": {"failures": 10, "minutes": 60}}]
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOGIN_FAILED,
                                     details__reason="challenge_required").count() == 1
    # Passing the challenge proved a person: the ceiling is cleared for the next login.
    user.totpdevice_set.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    with time_machine.travel(NOW + timedelta(seconds=31), tick=False):
        got, _ = authenticate_password(from_ip("198.51.100.7"), username=user.username, password=PASSWORD,
                                       otp=current_totp(user))
    assert got == user


def test_account_ceiling_is_not_a_lockout_of_the_owner(employer_user_a, settings):
    settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT = 3
    for n in range(3):
        fail(employer_user_a.username, f"203.0.113.{n}")
    assert fail(employer_user_a.username, "198.51.100.7").code == AccountsErrorCode.CHALLENGE_REQUIRED
    user, _ = authenticate_password(from_ip("198.51.100.7"), username=employer_user_a.username,
                                    password=PASSWORD, challenge_passed=True)
    assert user == employer_user_a


def test_every_failure_is_audited_with_its_reason_and_client(employer_user_a):
    fail(employer_user_a.username, "203.0.113.9")
    fail("nobody", "203.0.113.9")
    assert events(AuthEvent.LOGIN_FAILED) == [
        {"actor_label": employer_user_a.username, "ip": "203.0.113.9", "details": {"reason": "password"}},
        {"actor_label": "nobody", "ip": "203.0.113.9", "details": {"reason": "password"}},
    ]
