"""Login pages of each audience, idle timeout, session renewal, and page permissions."""

import time

import pytest
from django.urls import reverse

from gongshang.accounts.choices import AuthEvent, StaffRole
from gongshang.accounts.middleware import SESSION_KEY
from gongshang.conftest import PASSWORD, current_totp
from gongshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["login", "individual_login", "employer_login", "staff_login",
                                  "employer_register", "employer_password_reset"])
def test_public_pages_render_in_chinese(client, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="zh-CN"' in body and 'name="viewport"' in body


def test_employer_login_with_captcha_and_new_session(client, employer_user_a):
    client.get(reverse("accounts:employer_login"))
    before = client.session.session_key
    response = client.post(reverse("accounts:employer_login"), {
        "username": employer_user_a.username.lower(), "password": PASSWORD,
        "captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 302 and response["Location"] == reverse("web:employer_home")
    assert client.session.session_key != before
    home = client.get(reverse("web:employer_home"))
    assert employer_user_a.employer.name in home.content.decode()


def test_employer_login_wrong_password_shows_error_beside_form(client, employer_user_a):
    response = client.post(reverse("accounts:employer_login"), {
        "username": employer_user_a.username, "password": "bad", "captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()


def test_employer_login_requires_captcha(client, employer_user_a):
    response = client.post(reverse("accounts:employer_login"), {
        "username": employer_user_a.username, "password": PASSWORD, "captcha_0": "x", "captcha_1": ""})
    assert response.status_code == 200
    assert "图形验证码" in response.content.decode()


def test_staff_login_and_idle_timeout(client, staff_factory, settings):
    user = staff_factory(StaffRole.REVIEWER)
    response = client.post(reverse("accounts:staff_login"),
                           {"username": user.username, "password": PASSWORD, "otp": current_totp(user)})
    assert response.status_code == 302 and response["Location"] == reverse("web:staff_home")
    assert "经办工作台" in client.get(reverse("web:staff_home")).content.decode()
    session = client.session
    session[SESSION_KEY] = time.time() - (settings.STAFF_IDLE_TIMEOUT_MINUTES * 60 + 5)
    session.save()
    response = client.get(reverse("web:staff_home"))
    assert response.status_code == 302 and reverse("accounts:staff_login") in response["Location"]
    assert AuditEvent.objects.filter(event_type=AuthEvent.IDLE_TIMEOUT, actor=user).exists()


def test_individual_login_flow(client, settings):
    settings.SMS_DEMO_SHOW_CODE = True
    response = client.post(reverse("accounts:individual_send_code"), {"mobile": "13912345678"})
    assert "139****5678" in response.content.decode()
    code = response.context["demo_code"]
    response = client.post(reverse("accounts:individual_login"), {"mobile": "13912345678", "code": code})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:bind_person")


def test_logout_is_post_only_and_audited(client, employer_user_a):
    client.force_login(employer_user_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOGOUT).exists()


def test_homes_require_the_right_audience(client, employer_user_a, staff_factory):
    assert client.get(reverse("web:staff_home")).status_code == 302
    client.force_login(employer_user_a)
    assert client.get(reverse("web:staff_home")).status_code == 403  # signed in: refused, not sent to login
    assert client.get(reverse("web:employer_home")).status_code == 200


def test_register_page_creates_employer(client):
    response = client.post(reverse("accounts:employer_register"), {
        "uscc": "91370211MA3D8QXL2Y", "name": "青岛黄岛港湾物流有限公司", "region": "370200",
        "legal_rep_name": "赵港湾", "legal_rep_id_number": "370211198008124527", "handler_name": "钱经办",
        "handler_mobile": "13800000002", "password": "Strong#Pass2026", "password2": "Strong#Pass2026",
        "captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_register_page_shows_field_errors_and_keeps_input(client):
    response = client.post(reverse("accounts:employer_register"), {
        "uscc": "91370211MA3D8QXL2Z", "name": "某公司", "region": "370200", "legal_rep_name": "赵",
        "legal_rep_id_number": "370211198008124527", "handler_name": "钱", "handler_mobile": "13800000002",
        "password": "Strong#Pass2026", "password2": "Strong#Pass2026", "captcha_0": "x", "captcha_1": "PASSED"})
    body = response.content.decode()
    assert response.status_code == 200 and "统一社会信用代码" in body and 'value="某公司"' in body


def _fail_from_many_clients(username: str, times: int) -> None:
    from django.test import RequestFactory

    from gongshang.accounts.services.auth import authenticate_password
    from gongshang.core.errors import DomainError

    for n in range(times):
        request = RequestFactory().post("/")
        request.META["REMOTE_ADDR"] = f"203.0.113.{n}"
        with pytest.raises(DomainError):
            authenticate_password(request, username=username, password="wrong-password")


def test_staff_page_asks_for_the_captcha_past_the_account_ceiling(client, staff_factory, settings):
    user = staff_factory(StaffRole.REVIEWER)
    _fail_from_many_clients(user.username, settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT)
    assert 'name="captcha_1"' not in client.get(reverse("accounts:staff_login")).content.decode()
    response = client.post(reverse("accounts:staff_login"),
                           {"username": user.username, "password": PASSWORD, "otp": current_totp(user)})
    body = response.content.decode()
    assert response.status_code == 200 and "请填写图形验证码" in body
    assert 'name="captcha_1"' in body and f'value="{user.username}"' in body
    assert "accounts/captcha.js" in body
    user.totpdevice_set.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(reverse("accounts:staff_login"), {
        "username": user.username, "password": PASSWORD, "otp": current_totp(user),
        "captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 302 and response["Location"] == reverse("web:staff_home")


def test_employer_page_always_passes_the_challenge(client, employer_user_a, settings):
    _fail_from_many_clients(employer_user_a.username, settings.LOGIN_ACCOUNT_CHALLENGE_LIMIT)
    response = client.post(reverse("accounts:employer_login"), {
        "username": employer_user_a.username, "password": PASSWORD, "captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 302


def test_employer_login_has_no_inline_script(client):
    body = client.get(reverse("accounts:employer_login")).content.decode()
    assert "<script>" not in body and "accounts/captcha.js" in body
    assert "data-captcha-refresh=\"/captcha/refresh/\"" in body


def _issue(user):
    from gongshang.accounts.services.tokens import api_token_issue

    return api_token_issue(user=user)


def test_token_page_lists_and_revokes_own_tokens_only(client, employer_user_a, employer_user_b):
    from gongshang.accounts.models import ApiToken
    from gongshang.accounts.services.tokens import api_token_resolve

    key, mine = _issue(employer_user_a)
    _, theirs = _issue(employer_user_b)
    client.force_login(employer_user_a)
    body = client.get(reverse("accounts:my_tokens")).content.decode()
    assert mine.masked in body and theirs.masked not in body
    assert f'data-confirm="撤销令牌 {mine.masked}？' in body
    assert client.get(reverse("accounts:my_token_revoke", args=[mine.pk])).status_code == 405
    assert client.post(reverse("accounts:my_token_revoke", args=[theirs.pk])).status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    response = client.post(reverse("accounts:my_token_revoke", args=[mine.pk]), follow=True)
    assert f"已撤销令牌 {mine.masked}" in response.content.decode()
    assert api_token_resolve(key) is None
    assert "近 30 天内失效的令牌" in response.content.decode()
    assert AuditEvent.objects.filter(event_type=AuthEvent.TOKEN_REVOKED, actor=employer_user_a).count() == 1


@pytest.mark.parametrize("kind", ["individual", "employer", "staff"])
def test_token_page_is_in_every_audiences_user_menu(client, kind, individual_user, employer_user_a, staff_factory):
    user = {"individual": individual_user, "employer": employer_user_a,
            "staff": staff_factory(StaffRole.REVIEWER)}[kind]
    client.force_login(user)
    home = {"individual": "web:individual_home", "employer": "web:employer_home", "staff": "web:staff_home"}[kind]
    body = client.get(reverse(home)).content.decode()
    assert f'href="{reverse("accounts:my_tokens")}"' in body
    assert (f'href="{reverse("accounts:password_change")}"' in body) == (kind != "individual")
    assert client.get(reverse("accounts:my_tokens")).status_code == 200


def test_web_logout_ends_the_session_but_keeps_api_tokens(client, employer_user_a):
    from gongshang.accounts.services.tokens import api_token_resolve

    key, _ = _issue(employer_user_a)
    client.force_login(employer_user_a)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("web:employer_home")).status_code == 302
    assert api_token_resolve(key) == employer_user_a


def test_password_change_revokes_all_tokens_and_other_sessions(client, employer_user_a):
    from django.test import Client

    from gongshang.accounts.services.tokens import api_token_resolve

    keys = [_issue(employer_user_a)[0] for _ in range(2)]
    other_device = Client()
    other_device.force_login(employer_user_a)
    client.force_login(employer_user_a)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password": "Fresh#Pass2027", "new_password2": "Fresh#Pass2027"})
    assert response.status_code == 302 and response["Location"] == reverse("web:employer_home")
    assert all(api_token_resolve(k) is None for k in keys)
    assert client.get(reverse("web:employer_home")).status_code == 200  # this session stays
    assert other_device.get(reverse("web:employer_home")).status_code == 302  # the other one ended
    employer_user_a.refresh_from_db()
    assert employer_user_a.check_password("Fresh#Pass2027")
    event = AuditEvent.objects.get(event_type=AuthEvent.PASSWORD_CHANGED)
    assert event.actor == employer_user_a and event.details == {"tokens_revoked": 2}


def test_password_change_refuses_a_wrong_current_password_and_counts_it(client, staff_factory):
    user = staff_factory(StaffRole.REVIEWER)
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "not-it", "new_password": "Fresh#Pass2027", "new_password2": "Fresh#Pass2027"})
    assert response.status_code == 200 and "当前密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(event_type=AuthEvent.LOGIN_FAILED,
                                     details__reason="password_change").count() == 1
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200 and "new_password" in response.context["form"].errors


def test_individuals_have_no_password_to_change(client, individual_user):
    client.force_login(individual_user)
    assert client.get(reverse("accounts:password_change")).status_code == 403
