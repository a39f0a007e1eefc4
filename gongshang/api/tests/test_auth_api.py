"""POST /api/v1/auth/token and friends: bodies, errors, lockout, throttle, challenge, bearer use,
logout and the caller's own tokens."""

from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone

from gongshang.accounts.choices import AuthEvent
from gongshang.accounts.models import ApiToken
from gongshang.conftest import PASSWORD, current_totp
from gongshang.core.models import AuditEvent

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

    user, secret = institution_client_create(actor=None, name="青岛市立医院", jurisdiction="370200")
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


def test_lockout_through_api_is_per_client(api_client, employer_user_a):
    """Five failures lock the account from that client only: its owner still signs in elsewhere."""
    for _ in range(5):
        post(api_client, {"username": employer_user_a.username, "password": "nope"}, REMOTE_ADDR="203.0.113.9")
    attacker = post(api_client, {"username": employer_user_a.username, "password": PASSWORD},
                    REMOTE_ADDR="203.0.113.9")
    assert attacker.status_code == 429 and attacker.json()["code"] == "locked_out"
    owner = post(api_client, {"username": employer_user_a.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 200


def test_password_spraying_from_one_client_is_throttled(api_client, employer_user_a, settings):
    """60 failures over 20 usernames from one address used to pass unthrottled."""
    answers = [post(api_client, {"username": f"9137020000000000{n % 20:02d}", "password": "Spring2026"},
                    REMOTE_ADDR="203.0.113.9").status_code for n in range(60)]
    assert answers[:settings.LOGIN_IP_FAILURE_LIMIT] == [401] * settings.LOGIN_IP_FAILURE_LIMIT
    assert set(answers[settings.LOGIN_IP_FAILURE_LIMIT:]) == {429}
    response = post(api_client, {"username": employer_user_a.username, "password": PASSWORD},
                    REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "login_throttled" and body["details"] == {"retry_after": 900}
    assert "分钟后再试" in body["message"]
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOGIN_THROTTLED, ip="203.0.113.9").count() == 1


def test_account_ceiling_asks_api_callers_for_the_captcha(api_client, employer_user_a, settings):
    for n in range(settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT):
        post(api_client, {"username": employer_user_a.username, "password": "nope"}, REMOTE_ADDR=f"203.0.113.{n}")
    refused = post(api_client, {"username": employer_user_a.username, "password": PASSWORD},
                   REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 403
    assert refused.json()["code"] == "challenge_required" and "/api/v1/auth/captcha" in refused.json()["message"]

    captcha = api_client.get("/api/v1/auth/captcha").json()
    assert captcha["image_url"].startswith("http://testserver/captcha/image/")
    assert api_client.get(captcha["image_url"]).status_code == 200
    answer = CaptchaStore.objects.get(hashkey=captcha["key"]).response
    wrong = post(api_client, {"username": employer_user_a.username, "password": PASSWORD,
                              "captcha_key": captcha["key"], "captcha": answer + "x"}, REMOTE_ADDR="198.51.100.7")
    assert wrong.status_code == 422 and wrong.json()["details"][0]["field"] == "captcha"
    captcha = api_client.get("/api/v1/auth/captcha").json()
    answer = CaptchaStore.objects.get(hashkey=captcha["key"]).response
    ok = post(api_client, {"username": employer_user_a.username, "password": PASSWORD,
                           "captcha_key": captcha["key"], "captcha": answer.upper()}, REMOTE_ADDR="198.51.100.7")
    assert ok.status_code == 200
    assert not CaptchaStore.objects.filter(hashkey=captcha["key"]).exists()  # one answer per captcha


def test_no_captcha_ceiling_for_hospital_systems(api_client, settings):
    """A machine client cannot answer a captcha: failures from many clients must not stop its logins."""
    from gongshang.accounts.services.institutions import institution_client_create

    user, secret = institution_client_create(actor=None, name="青岛市立医院", jurisdiction="370200")
    for n in range(settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT + 2):
        post(api_client, {"username": user.username, "password": "nope"}, REMOTE_ADDR=f"203.0.113.{n}")
    assert post(api_client, {"username": user.username, "password": secret}, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_half_a_captcha_is_422_naming_the_missing_field(api_client, employer_user_a):
    response = post(api_client, {"username": employer_user_a.username, "password": PASSWORD, "captcha": "abcd"})
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "captcha_key"


def test_logout_revokes_only_the_token_used(api_client, employer_user_a, token_for):
    first, second = token_for(employer_user_a), token_for(employer_user_a)
    response = api_client.post("/api/v1/auth/logout", **first)
    assert response.status_code == 204 and response.content == b""
    gone = api_client.get("/api/v1/auth/me", **first)
    assert gone.status_code == 401 and gone.json()["code"] == "unauthenticated"
    assert api_client.post("/api/v1/auth/logout", **first).status_code == 401
    assert api_client.get("/api/v1/auth/me", **second).status_code == 200
    revoked = ApiToken.objects.get(revoked_at__isnull=False)
    assert revoked.revoked_reason == "logout"
    event = AuditEvent.objects.get(event_type=AuthEvent.TOKEN_REVOKED)
    assert event.actor == employer_user_a and event.details == {"prefix": revoked.prefix, "reason": "logout"}


def test_token_list_shows_own_tokens_and_marks_the_current_one(api_client, employer_user_a, employer_user_b,
                                                                 token_for):
    mine = token_for(employer_user_a)
    api_client.post(URL, {"username": employer_user_a.username, "password": PASSWORD, "label": "HIS 接口"},
                    content_type="application/json")
    token_for(employer_user_b)
    body = api_client.get("/api/v1/auth/tokens", **mine).json()
    assert body["count"] == 2 and body["limit"] == 50 and body["offset"] == 0
    assert [t["label"] for t in body["items"]][0] == "HIS 接口"
    assert [t["current"] for t in body["items"]] == [False, True]
    item = body["items"][1]
    assert item["prefix"].endswith("…") and item["channel"] == "账号密码" and "token" not in item
    assert api_client.get("/api/v1/auth/tokens?limit=0", **mine).status_code == 422
    too_far = api_client.get("/api/v1/auth/tokens?offset=99999999999999999999", **mine)
    assert too_far.status_code == 422 and too_far.json()["details"][0]["field"] == "offset"


def test_revoke_token_by_id_own_only(api_client, employer_user_a, employer_user_b, token_for):
    mine, other = token_for(employer_user_a), token_for(employer_user_b)
    spare = token_for(employer_user_a)
    other_id = ApiToken.objects.get(user=employer_user_b).pk
    response = api_client.delete(f"/api/v1/auth/tokens/{other_id}", **mine)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api_client.delete("/api/v1/auth/tokens/0", **mine).status_code == 422
    assert api_client.delete(f"/api/v1/auth/tokens/{2**63}", **mine).status_code == 422  # not a 500
    assert api_client.get("/api/v1/auth/me", **other).status_code == 200
    spare_id = api_client.get("/api/v1/auth/tokens", **spare).json()["items"][0]["id"]
    assert api_client.delete(f"/api/v1/auth/tokens/{spare_id}", **mine).status_code == 204
    assert api_client.get("/api/v1/auth/me", **spare).status_code == 401
    assert api_client.get("/api/v1/auth/me", **mine).status_code == 200


def test_auth_routes_declare_their_error_responses(api_client):
    paths = api_client.get("/api/v1/openapi.json").json()["paths"]
    expected = {("/api/v1/auth/token", "post"): {"200", "401", "403", "422", "429"},
                ("/api/v1/auth/logout", "post"): {"204", "401"},
                ("/api/v1/auth/tokens", "get"): {"200", "401", "422"},
                ("/api/v1/auth/tokens/{token_id}", "delete"): {"204", "401", "404", "422"},
                ("/api/v1/auth/captcha", "get"): {"200", "429"}}
    for (path, method), statuses in expected.items():
        assert statuses <= set(paths[path][method]["responses"]), (path, method)


def test_captcha_is_rate_limited_per_client(api_client):
    from gongshang.accounts.services.challenge import CAPTCHAS_PER_HOUR

    for _ in range(CAPTCHAS_PER_HOUR):
        assert api_client.get("/api/v1/auth/captcha", REMOTE_ADDR="203.0.113.9").status_code == 200
    response = api_client.get("/api/v1/auth/captcha", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert api_client.get("/api/v1/auth/captcha", REMOTE_ADDR="198.51.100.7").status_code == 200
