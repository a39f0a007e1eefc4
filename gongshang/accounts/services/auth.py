"""Signing in: password (+ TOTP for staff) and SMS code logins, sessions and API tokens."""

from django.contrib.auth import authenticate, login, logout
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshang.accounts.choices import Audience, AuthEvent, SmsPurpose
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import User
from gongshang.accounts.services import lockout
from gongshang.accounts.services.sms import sms_code_verify

# Other apps resolve bearer tokens through this module.
from gongshang.accounts.services.tokens import api_token_issue, api_token_resolve  # noqa: F401
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import ascii_digits

STAFF_OR_ANY = "账号、密码或动态口令不正确（经办人员须同时填写 6 位动态口令）。"


def _bad_credentials(audiences) -> DomainError:
    """One answer for every failure at an entrance: wrong name, password, or TOTP alike.

    Where staff may sign in (the staff page, the API), the message names the TOTP too, so a
    correct password is never confirmed by a different message.
    """
    staff_possible = not audiences or Audience.STAFF in audiences
    return DomainError(AccountsErrorCode.BAD_CREDENTIALS, STAFF_OR_ANY if staff_possible else None, status=401)


def login_name(value: str) -> str:
    """Usernames are case-sensitive, except a USCC, which people type in either case."""
    value = "".join((value or "").split())
    return value.upper() if len(value) == 18 and value.isalnum() else value


def verify_totp(user: User, otp: str) -> TOTPDevice | None:
    otp = (otp or "").strip()
    if not ascii_digits(otp):
        return None
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(otp):
            return device
    return None


def _machine_client(username: str) -> bool:
    return User.objects.filter(username=username, kind=Audience.INSTITUTION).exists()


def authenticate_password(request, *, username: str, password: str, otp: str | None = None,
                          audiences: set[str] | None = None,
                          challenge_passed: bool | None = False) -> tuple[User, TOTPDevice | None]:
    """Check a password login (and the TOTP for staff). Raises DomainError; records audit events.

    `audiences` limits which kinds of account may use this entrance (the staff page does not
    sign in employers). A wrong audience answers like a wrong password. `challenge_passed`: the
    caller checked an image captcha, needed once the account is past its failure ceiling.
    """
    username = login_name(username)
    if not username:
        raise _bad_credentials(audiences)
    if _machine_client(username):
        # A hospital system cannot read a captcha, and its secret is long and random: the ceiling
        # would only let anyone who knows the public client id stop its settlements. The lockout
        # per (account, client) and the throttle per client still apply.
        challenge_passed = None
    lockout.ensure_allowed(request, username, label=username, challenge_passed=challenge_passed)
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        lockout.report_failure(request, username, label=username, reason="password", send_signal=False)
        raise _bad_credentials(audiences)
    if audiences and user.kind not in audiences:
        lockout.report_failure(request, username, label=username, reason="audience", send_signal=True)
        raise _bad_credentials(audiences)
    device = None
    if user.kind == Audience.STAFF:
        # A missing or wrong TOTP answers exactly like a wrong password, so the password alone
        # cannot be confirmed by trying it; both count towards the lockout.
        device = verify_totp(user, otp or "")
        if device is None:
            lockout.report_failure(request, username, label=username, reason="otp" if otp else "otp_missing",
                                   send_signal=True)
            raise _bad_credentials(audiences)
    lockout.reset(request, username, challenge_passed=bool(challenge_passed))
    return user, device


def session_login(request, user: User, device: TOTPDevice | None = None) -> None:
    """Start a fresh session (login() cycles the session key) and record the login."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    record_event(actor=user, event_type=AuthEvent.LOGIN, details={"channel": "web"})


def session_logout(request) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        record_event(actor=user, event_type=AuthEvent.LOGOUT)
    logout(request)


def individual_sms_login(request, *, mobile: str, code: str) -> User:
    """个人登录: mobile + SMS code; the first login creates the individual account."""
    from gongshang.accounts.services.individuals import individual_account_for_mobile

    key = f"mobile:{blind_index(mobile)[:16]}"
    lockout.ensure_allowed(request, key, label=key)
    if not sms_code_verify(mobile=mobile, purpose=SmsPurpose.LOGIN, code=code):
        lockout.report_failure(request, key, label=key, reason="sms_code", send_signal=True)
        raise DomainError(AccountsErrorCode.SMS_CODE_INVALID, status=401,
                          details=[{"field": "code", "message": AccountsErrorCode.SMS_CODE_INVALID.label}])
    user = individual_account_for_mobile(mobile)
    if not user.is_active:
        raise DomainError(AccountsErrorCode.INACTIVE, status=403)
    lockout.reset(request, key)
    return user
