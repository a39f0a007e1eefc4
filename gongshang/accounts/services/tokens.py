"""接口令牌: issuing, resolving and revoking API bearer tokens.

Only a token's SHA-256 is stored, with its first characters so the owner can tell tokens apart.
A token ends when it expires, when its holder logs out through the API (POST /api/v1/auth/logout),
when the owner revokes it (我的登录令牌, or DELETE /api/v1/auth/tokens/{id}), or when the account's
password changes or is reset (every token). Logging out of the web ends that session only: tokens
belong to other clients (an integration, a script) that the owner revokes one by one.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.choices import Audience, AuthEvent
from gongshang.accounts.models import ApiToken, User
from gongshang.core.audit import record_event
from gongshang.core.audit.context import current
from gongshang.core.errors import NotFound

PREFIX_LENGTH = 6
LABEL_LENGTH = 100


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _ttl(user: User) -> timedelta:
    return timedelta(minutes=settings.API_TOKEN_TTL_MINUTES.get(user.kind, 60))


def _client_label(label: str) -> str:
    """The name the caller gave the client, else its User-Agent (what the owner will recognise)."""
    label = (label or "").strip() or current().user_agent
    return " ".join(label.split())[:LABEL_LENGTH]


def api_token_issue(*legacy, user: User | None = None, channel: str = "", label: str = "") -> tuple[str, ApiToken]:
    """A new token for `user`; the client address and User-Agent come from the audit context.

    `legacy`: the old positional form `(request, user)`, still used by tests of other apps until
    they move to `user=`; the request in it is ignored."""
    if user is None:
        user = legacy[-1]
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=_token_hash(key), prefix=key[:PREFIX_LENGTH], label=_client_label(label),
            channel=channel, created_ip=current().ip, expires_at=timezone.now() + _ttl(user))
        record_event(actor=user, event_type=AuthEvent.TOKEN_ISSUED, target=token,
                     details={"expires_at": token.expires_at.isoformat(), "prefix": token.prefix,
                              "channel": channel})
        record_event(actor=user, event_type=AuthEvent.LOGIN, details={"channel": "api"})
    return key, token


# The last use (and a staff token's sliding expiry) is written at most this often.
USE_RECORD_INTERVAL = timedelta(seconds=60)


def api_token_lookup(key: str) -> ApiToken | None:
    """The live token behind a bearer key, or None; records its use. Staff tokens slide: idle for
    the staff TTL (30 minutes by default) and they expire, like the staff web session. The use is
    written at most once a minute, so the idle time counts from a use up to a minute earlier."""
    if not key:
        return None
    now = timezone.now()
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=_token_hash(key), revoked_at__isnull=True, expires_at__gt=now).first())
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at and now - token.last_used_at < USE_RECORD_INTERVAL:
        return token  # recorded a moment ago: a burst of requests costs no write each
    token.last_used_at = now
    if token.user.kind == Audience.STAFF:
        token.expires_at = now + _ttl(token.user)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at, expires_at=token.expires_at)
    return token


def api_token_resolve(key: str) -> User | None:
    """The account behind a bearer key, or None."""
    token = api_token_lookup(key)
    return token.user if token is not None else None


def api_token_revoke(*, actor: User, token: ApiToken, reason: str) -> bool:
    """Revoke one of the actor's own tokens; False when it had already ended (nothing to do)."""
    if token.user_id != actor.pk:
        raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        revoked = (ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True)
                   .update(revoked_at=now, revoked_reason=reason))
        if revoked:
            token.revoked_at, token.revoked_reason = now, reason
            record_event(actor=actor, event_type=AuthEvent.TOKEN_REVOKED, target=token,
                         details={"prefix": token.prefix, "reason": str(reason)})
    return bool(revoked)


def api_tokens_revoke_all(*, user: User, reason: str, actor: User | None = None) -> int:
    """Revoke every live token of `user` (password changed or reset, credentials reset). Call
    inside the transaction that changes the credentials."""
    now = timezone.now()
    count = (ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
             .update(revoked_at=now, revoked_reason=reason))
    if count:
        record_event(actor=actor or user, event_type=AuthEvent.TOKEN_REVOKED, target=user,
                     details={"reason": str(reason), "count": count})
    return count
