"""Idempotency-Key: same key and body → first response, no second record; different body → 422."""

import pytest

from gongshang.accounts.models import ApiToken, SmsCode
from gongshang.conftest import PASSWORD
from gongshang.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def post(client, url, body, key):
    return client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_same_body_replays_first_response(api_client, employer_user_a):
    body = {"username": employer_user_a.username, "password": PASSWORD}
    first = post(api_client, "/api/v1/auth/token", body, "key-1")
    second = post(api_client, "/api/v1/auth/token", body, "key-1")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert ApiToken.objects.count() == 1


def test_same_key_different_body_is_422(api_client, employer_user_a):
    post(api_client, "/api/v1/auth/token", {"username": employer_user_a.username, "password": PASSWORD}, "key-2")
    response = post(api_client, "/api/v1/auth/token",
                    {"username": employer_user_a.username, "password": PASSWORD + "x"}, "key-2")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert ApiToken.objects.count() == 1


def test_without_key_each_post_creates(api_client, employer_user_a):
    body = {"username": employer_user_a.username, "password": PASSWORD}
    api_client.post("/api/v1/auth/token", body, content_type="application/json")
    api_client.post("/api/v1/auth/token", body, content_type="application/json")
    assert ApiToken.objects.count() == 2


def test_keys_are_scoped_per_caller(api_client, employer_user_a, employer_user_b, token_for):
    headers_a = token_for(employer_user_a)
    headers_b = token_for(employer_user_b)
    body = {"mobile": "13912345678"}
    first = api_client.post("/api/v1/auth/sms-code", body, content_type="application/json",
                            HTTP_IDEMPOTENCY_KEY="shared", **headers_a)
    second = api_client.post("/api/v1/auth/sms-code", {"mobile": "13912345679"}, content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY="shared", **headers_b)
    assert first.status_code == second.status_code == 200
    assert SmsCode.objects.count() == 2


def test_rate_limited_responses_are_not_kept(api_client):
    body = {"mobile": "13912345678"}
    assert post(api_client, "/api/v1/auth/sms-code", body, "k-a").status_code == 200
    assert post(api_client, "/api/v1/auth/sms-code", body, "k-b").status_code == 429
    assert not IdempotencyRecord.objects.filter(key="k-b").exists()
