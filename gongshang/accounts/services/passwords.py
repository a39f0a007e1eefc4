"""Passwords: new ones are checked by settings.AUTH_PASSWORD_VALIDATORS (length, common-password
list, numeric-only, similarity) with messages naming the field; the owner changes their own."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from gongshang.accounts.choices import Audience, AuthEvent, TokenRevokeReason
from gongshang.accounts.models import User
from gongshang.accounts.services import lockout
from gongshang.accounts.services.tokens import api_tokens_revoke_all
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, Forbidden


def check_new_password(password: str, *, user=None, field: str = "password", errors: dict | None = None) -> None:
    """Raise FieldErrors, or with `errors` given, add the message there (to report all at once)."""
    try:
        validate_password(password or "", user=user)
    except ValidationError as exc:
        if errors is None:
            raise FieldErrors({field: "；".join(exc.messages)}) from exc
        errors[field] = "；".join(exc.messages)


def password_change(request, *, actor: User, old_password: str, new_password: str) -> User:
    """修改密码: the signed-in owner of a password account sets a new one. Every API token of the
    account is revoked and every other session ends (Django checks the password hash each
    request); the caller keeps its own session with update_session_auth_hash.

    A wrong current password counts as a failed login, so the form cannot be used to guess it.
    """
    if actor.kind not in {Audience.EMPLOYER, Audience.STAFF} or not actor.has_usable_password():
        raise Forbidden("该账户不使用密码登录，无需修改密码。")
    key = actor.get_username()
    lockout.ensure_allowed(request, key, label=key)
    if not actor.check_password(old_password or ""):
        try:
            lockout.report_failure(request, key, label=key, reason="password_change", send_signal=True)
        except DomainError as exc:
            raise FieldErrors({"old_password": exc.message}) from exc
        raise FieldErrors({"old_password": "当前密码不正确，请重新输入。"})
    errors = {}
    check_new_password(new_password, user=actor, field="new_password", errors=errors)
    if not errors and new_password == old_password:
        errors["new_password"] = "新密码不能与当前密码相同。"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoked = api_tokens_revoke_all(user=user, reason=TokenRevokeReason.PASSWORD_CHANGED)
        record_event(actor=user, event_type=AuthEvent.PASSWORD_CHANGED, target=user,
                     details={"tokens_revoked": revoked})
    lockout.reset(request, key)
    return user
