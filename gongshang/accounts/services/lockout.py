"""Login lockout through django-axes, keyed by the login name (USCC, username, or a mobile's index).

Password failures are counted by Django's authenticate() itself (it sends user_login_failed);
failures of the second factor (TOTP) and of SMS codes are reported here with the same signal,
so every audience shares one counter and one rule: settings.LOGIN_FAILURE_LIMIT failures lock
the login for settings.LOGIN_LOCKOUT_MINUTES.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed

from gongshang.accounts.choices import AuthEvent
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError


def _credentials(key: str) -> dict:
    return {"username": key}


def is_locked(request, key: str) -> bool:
    if request is None:  # management commands and demo data: no client to lock out
        return False
    return AxesProxyHandler.is_locked(request, _credentials(key))


def locked_error() -> DomainError:
    return DomainError(
        AccountsErrorCode.LOCKED_OUT,
        f"登录失败次数过多，账户已锁定 {settings.LOGIN_LOCKOUT_MINUTES} 分钟，请稍后再试；"
        f"如忘记密码请使用“忘记密码”找回。",
        status=429,
    )


def ensure_not_locked(request, key: str, *, label: str) -> None:
    if is_locked(request, key):
        record_event(actor=None, actor_label=label, event_type=AuthEvent.LOGIN_FAILED, request=request,
                     details={"reason": "locked"})
        raise locked_error()


def report_failure(request, key: str, *, label: str, reason: str, send_signal: bool) -> None:
    """Record a failed login; when this failure locks the account, record the lockout too."""
    if send_signal and request is not None:
        user_login_failed.send(sender=__name__, credentials=_credentials(key), request=request)
    record_event(actor=None, actor_label=label, event_type=AuthEvent.LOGIN_FAILED, request=request,
                 details={"reason": reason})
    if is_locked(request, key):
        record_event(actor=None, actor_label=label, event_type=AuthEvent.LOCKED_OUT, request=request,
                     details={"minutes": settings.LOGIN_LOCKOUT_MINUTES})
        raise locked_error()


def reset(request, key: str) -> None:
    AxesProxyHandler.reset_attempts(username=key)
