"""Login protection: a lockout per (account, client), a throttle per client, a challenge per account.

Three counters, each against one attack, none of which locks an owner out of every client:

- account + client IP (django-axes, AXES_LOCKOUT_PARAMETERS [["username", "ip_address"]]):
  settings.LOGIN_FAILURE_LIMIT failures lock this account *from this client* for
  LOGIN_LOCKOUT_MINUTES. Knowing a public USCC or a staff username no longer locks its owner out.
- client IP across accounts (password spraying): LOGIN_IP_FAILURE_LIMIT failures within
  LOGIN_IP_WINDOW_MINUTES, and every login from that address answers 429 until the window ends.
- account across clients (many addresses against one account): past LOGIN_ACCOUNT_CHALLENGE_LIMIT
  failures within LOGIN_ACCOUNT_WINDOW_MINUTES, the entrances that can challenge (image captcha:
  the employer and staff pages, the token API) ask for it. The owner passes it and signs in.

Password failures are counted by Django's authenticate() itself (it sends user_login_failed);
failures of the second factor (TOTP), of SMS codes and of real-name binding are reported here
with the same signal. Every failure, lockout, throttle and challenge is an audit event.
"""

import hashlib

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache

from gongshang.accounts.choices import AuthEvent
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.core.audit import client_network, record_event
from gongshang.core.errors import DomainError, RateLimited
from gongshang.core.ratelimit import hit


def _credentials(key: str) -> dict:
    return {"username": key}


def _ip_counter(request) -> str:
    return f"login-fail-ip:{client_network(request) or 'unknown'}"


def _account_counter(key: str) -> str:
    return f"login-fail-account:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _count_failure(counter: str, *, limit: int, minutes: int) -> int:
    """One more failure under `counter` (a fixed window); the count, or limit + 1 once past it."""
    try:
        return hit(counter, limit=limit, window_seconds=minutes * 60, message="")
    except RateLimited:
        return limit + 1


def is_locked(request, key: str) -> bool:
    if request is None:  # management commands and demo data: no client to lock out
        return False
    return AxesProxyHandler.is_locked(request, _credentials(key))


def is_throttled(request) -> bool:
    return request is not None and (cache.get(_ip_counter(request)) or 0) >= settings.LOGIN_IP_FAILURE_LIMIT


def challenge_required(key: str) -> bool:
    return (cache.get(_account_counter(key)) or 0) >= settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT


def locked_error() -> DomainError:
    return DomainError(
        AccountsErrorCode.LOCKED_OUT,
        f"登录失败次数过多，该账户在当前网络已被锁定 {settings.LOGIN_LOCKOUT_MINUTES} 分钟，请稍后再试；"
        f"如忘记密码请使用“忘记密码”找回。",
        status=429,
    )


def throttled_error() -> DomainError:
    minutes = settings.LOGIN_IP_WINDOW_MINUTES
    return DomainError(
        AccountsErrorCode.LOGIN_THROTTLED,
        f"当前网络登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试；如忘记密码请使用“忘记密码”找回。",
        details={"retry_after": minutes * 60}, status=429,
    )


def challenge_error() -> DomainError:
    return DomainError(
        AccountsErrorCode.CHALLENGE_REQUIRED,
        "该账户近期登录失败次数较多，为保护账户安全，请填写图形验证码后再登录。"
        "接口调用方请先通过 GET /api/v1/auth/captcha 获取验证码图片，"
        "再在请求中一并提交 captcha_key 和 captcha。",
        details=[{"field": "captcha", "message": "请填写图形验证码"}], status=403,
    )


def _refuse(request, label: str, reason: str, error: DomainError) -> None:
    record_event(actor=None, actor_label=label, event_type=AuthEvent.LOGIN_FAILED,
                 details={"reason": reason})
    raise error


def ensure_allowed(request, key: str, *, label: str, challenge_passed: bool | None = None) -> None:
    """Refuse a login before checking its credentials: client throttled, (account, client)
    locked, or the account past its ceiling without a passed challenge.

    `challenge_passed` is None where the entrance has no challenge (SMS codes, binding).
    """
    if request is None:
        return
    if is_throttled(request):
        _refuse(request, label, "throttled", throttled_error())
    if is_locked(request, key):
        _refuse(request, label, "locked", locked_error())
    if challenge_passed is False and challenge_required(key):
        _refuse(request, label, "challenge_required", challenge_error())


def report_failure(request, key: str, *, label: str, reason: str, send_signal: bool) -> None:
    """Record a failed login and count it for the client and the account; when this failure
    throttles the client or arms the account's challenge, audit that; when it locks the
    (account, client), audit the lockout and refuse with it."""
    if send_signal and request is not None:
        user_login_failed.send(sender=__name__, credentials=_credentials(key), request=request)
    record_event(actor=None, actor_label=label, event_type=AuthEvent.LOGIN_FAILED,
                 details={"reason": reason})
    if request is None:
        return
    ip_limit, ip_minutes = settings.LOGIN_IP_FAILURE_LIMIT, settings.LOGIN_IP_WINDOW_MINUTES
    if _count_failure(_ip_counter(request), limit=ip_limit, minutes=ip_minutes) == ip_limit:
        record_event(actor=None, actor_label=label, event_type=AuthEvent.LOGIN_THROTTLED,
                     details={"failures": ip_limit, "minutes": ip_minutes})
    account_limit, account_minutes = settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT, settings.LOGIN_ACCOUNT_WINDOW_MINUTES
    if _count_failure(_account_counter(key), limit=account_limit, minutes=account_minutes) == account_limit:
        record_event(actor=None, actor_label=label, event_type=AuthEvent.CHALLENGE_REQUIRED,
                     details={"failures": account_limit, "minutes": account_minutes})
    if is_locked(request, key):
        record_event(actor=None, actor_label=label, event_type=AuthEvent.LOCKED_OUT,
                     details={"minutes": settings.LOGIN_LOCKOUT_MINUTES})
        raise locked_error()


def reset(request, key: str, *, challenge_passed: bool = False) -> None:
    """A successful login clears this client's failures for the account; one that passed the
    challenge also clears the account's ceiling (the owner proved to be a person)."""
    AxesProxyHandler.reset_attempts(username=key, ip_address=client_network(request) if request else None)
    if challenge_passed:
        cache.delete(_account_counter(key))


def reset_account(key: str) -> None:
    """The owner proved control another way (password reset by SMS): clear every counter."""
    AxesProxyHandler.reset_attempts(username=key)
    cache.delete(_account_counter(key))
