"""API tokens: issue (hashed, with a prefix and a label), resolve, revoke one, revoke all."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from gongshang.accounts.choices import AuthEvent, TokenChannel, TokenRevokeReason
from gongshang.accounts.models import ApiToken
from gongshang.accounts.selectors import api_token_get_for, api_token_list
from gongshang.accounts.services.tokens import (
    api_token_issue,
    api_token_lookup,
    api_token_resolve,
    api_token_revoke,
    api_tokens_revoke_all,
)
from gongshang.core.audit.context import AuditContext, using
from gongshang.core.errors import NotFound
from gongshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def client_context():
    """What the middleware sets for a request: the services read the client from it."""
    with using(AuditContext(ip="203.0.113.9", network="203.0.113.9", user_agent="HIS-Client/2.1")):
        yield


@time_machine.travel(NOW, tick=False)
def test_issue_stores_only_the_hash_with_prefix_label_and_client(employer_user_a):
    key, token = api_token_issue(user=employer_user_a, channel=TokenChannel.PASSWORD)
    token.refresh_from_db()
    assert key not in token.key_hash and len(token.key_hash) == 64
    assert token.prefix == key[:6] and token.masked == f"{key[:6]}…"
    assert token.label == "HIS-Client/2.1" and token.created_ip == "203.0.113.9"
    assert token.channel == TokenChannel.PASSWORD
    _, named = api_token_issue(user=employer_user_a, label="  财务 对账 脚本 ")
    assert named.label == "财务 对账 脚本"
    issued = AuditEvent.objects.filter(event_type=AuthEvent.TOKEN_ISSUED).order_by("pk").first()
    assert issued.details["prefix"] == key[:6] and key not in str(issued.details)


@time_machine.travel(NOW, tick=False)
def test_lookup_records_use(employer_user_a):
    key, token = api_token_issue(user=employer_user_a)
    assert api_token_lookup(key).pk == token.pk
    token.refresh_from_db()
    assert token.last_used_at == NOW


def test_lookup_writes_the_use_at_most_once_a_minute(employer_user_a, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        key, token = api_token_issue(user=employer_user_a)
        api_token_lookup(key)
        with django_assert_num_queries(1):  # the read only: used a moment ago
            assert api_token_lookup(key).pk == token.pk
    with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
        api_token_lookup(key)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        api_token_lookup(key)
    token.refresh_from_db()
    assert token.last_used_at == NOW + timedelta(seconds=61)


def test_revoke_ends_only_that_token_and_is_audited(employer_user_a):
    first_key, first = api_token_issue(user=employer_user_a)
    second_key, _ = api_token_issue(user=employer_user_a)
    assert api_token_revoke(actor=employer_user_a, token=first, reason=TokenRevokeReason.USER)
    assert api_token_resolve(first_key) is None
    assert api_token_resolve(second_key) == employer_user_a
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_reason == TokenRevokeReason.USER
    event = AuditEvent.objects.get(event_type=AuthEvent.TOKEN_REVOKED)
    assert event.details == {"prefix": first.prefix, "reason": "user"} and event.actor == employer_user_a
    # Revoking again changes nothing and records nothing.
    assert not api_token_revoke(actor=employer_user_a, token=first, reason=TokenRevokeReason.USER)
    assert AuditEvent.objects.filter(event_type=AuthEvent.TOKEN_REVOKED).count() == 1


def test_nobody_revokes_or_reads_another_accounts_token(employer_user_a, employer_user_b):
    key, token = api_token_issue(user=employer_user_a)
    with pytest.raises(NotFound):
        api_token_revoke(actor=employer_user_b, token=token, reason=TokenRevokeReason.USER)
    with pytest.raises(NotFound):
        api_token_get_for(employer_user_b, token.pk)
    assert list(api_token_list(actor=employer_user_b)) == []
    assert api_token_resolve(key) == employer_user_a


def test_revoke_all_ends_every_live_token(employer_user_a, employer_user_b):
    keys = [api_token_issue(user=employer_user_a)[0] for _ in range(3)]
    other_key, _ = api_token_issue(user=employer_user_b)
    assert api_tokens_revoke_all(user=employer_user_a, reason=TokenRevokeReason.PASSWORD_CHANGED) == 3
    assert all(api_token_resolve(k) is None for k in keys)
    assert api_token_resolve(other_key) == employer_user_b
    assert AuditEvent.objects.get(event_type=AuthEvent.TOKEN_REVOKED).details == {"reason": "password_changed",
                                                                                  "count": 3}


def test_list_shows_live_tokens_and_recently_ended_ones(employer_user_a):
    with time_machine.travel(NOW, tick=False) as clock:
        _, old = api_token_issue(user=employer_user_a)
        clock.shift(timedelta(hours=1))
        _, revoked = api_token_issue(user=employer_user_a)
        api_token_revoke(actor=employer_user_a, token=revoked, reason=TokenRevokeReason.USER)
        clock.shift(timedelta(hours=1))
        _, live = api_token_issue(user=employer_user_a)
        assert list(api_token_list(actor=employer_user_a)) == [live, old]
        assert list(api_token_list(actor=employer_user_a, active=False)) == [revoked]
        clock.shift(timedelta(days=1))  # the employer TTL (8 h) has passed for both
        assert list(api_token_list(actor=employer_user_a)) == []
        assert list(api_token_list(actor=employer_user_a, active=False)) == [live, revoked, old]
        clock.shift(timedelta(days=31))
        assert list(api_token_list(actor=employer_user_a, active=False)) == []
    assert ApiToken.objects.count() == 3
