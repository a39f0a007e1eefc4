"""POST /api/v1/auth/token and friends: bodies, errors, lockout, bearer use."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongshang.accounts.models import ApiToken
from gongshang.conftest import PASSWORD, current_totp

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token"


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_employer_token_with_uscc(api_client, employer_user_a):
    response = post(api_client, {"username": employer_user_a.username, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert ApiToken.objects.filter(user=employer_user_a).count() == 1
    me = api_client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["employer_uscc"] == employer_user_a.username


def test_staff_token_needs_otp(api_client, staff_factory):
    user = staff_factory("reviewer")
    response = post(api_client, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"
    response = post(api_client, {"username": user.username, "password": PASSWORD, "otp": current_totp(user)})
    assert response.status_code == 200
    me = api_client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert me.json()["roles"] == ["reviewer"] and me.json()["jurisdiction"] == "370200"


def test_institution_client_credentials(api_client):
    from gongshang.accounts.services.institutions import institution_client_create

    user, secret = institution_client_create(None, actor=None, name="青岛市立医院", jurisdiction="370200")
    response = post(api_client, {"username": user.username, "password": secret})
    assert response.status_code == 200


def test_bad_credentials_answer_one_error_body(api_client, employer_user_a):
    response = post(api_client, {"username": employer_user_a.username, "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"code": "bad_credentials", "details": {},
                               "message": "账号、密码或动态口令不正确（经办人员须同时填写 6 位动态口令）。"}


def test_validation_error_names_each_field_in_chinese(api_client):
    response = post(api_client, {"password": 5})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    fields = {d["field"]: d["message"] for d in body["details"]}
    assert fields["username"] == "必填项，请填写"
    assert fields["password"] == "应为文本"


def test_lockout_through_api_is_429_json(api_client, employer_user_a):
    for _ in range(5):
        post(api_client, {"username": employer_user_a.username, "password": "nope"})
    response = post(api_client, {"username": employer_user_a.username, "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_missing_expired_and_revoked_tokens_are_401(api_client, employer_user_a, token_for):
    assert api_client.get("/api/v1/auth/me").status_code == 401
    assert api_client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer nonsense").json()["code"] == "unauthenticated"
    headers = token_for(employer_user_a)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get("/api/v1/auth/me", **headers).status_code == 401


def test_staff_token_expires_after_idle_timeout(api_client, staff_factory, token_for, settings):
    user = staff_factory("reviewer")
    headers = token_for(user)
    token = ApiToken.objects.get(user=user)
    assert token.expires_at - timezone.now() <= timedelta(minutes=settings.API_TOKEN_TTL_MINUTES["staff"])
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get("/api/v1/auth/me", **headers).status_code == 401


def test_unknown_api_path_is_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_schema_lists_auth_and_calendar(api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in schema["paths"]
    assert "/api/v1/calendar/due-date" in schema["paths"]
    assert api_client.get("/api/v1/docs").status_code == 200


def test_nul_character_is_422_naming_the_field(api_client):
    response = post(api_client, {"username": "a\u0000b", "password": "x"})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "username"


def test_unparsable_json_answers_in_chinese(api_client):
    response = api_client.post(URL, "{oops", content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "validation_error"
    assert body["details"] == [{"field": "body", "message": "不是有效的 JSON"}]


def test_employer_handlers_api(api_client, employer_user_a, employer_user_b, token_for):
    headers = token_for(employer_user_a)
    response = api_client.post("/api/v1/employer/handlers", {
        "username": "91370200MA3C5UWK4C-02", "display_name": "第二经办", "mobile": "13800000011",
        "password": "Strong#Pass2026"}, content_type="application/json", **headers)
    assert response.status_code == 201
    assert response.json()["mobile_masked"] == "138****0011"
    listed = api_client.get("/api/v1/employer/handlers", **headers).json()
    assert {h["username"] for h in listed} == {employer_user_a.username, "91370200MA3C5UWK4C-02"}
    other = api_client.get("/api/v1/employer/handlers", **token_for(employer_user_b)).json()
    assert {h["username"] for h in other} == {employer_user_b.username}
