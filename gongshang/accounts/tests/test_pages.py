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
    assert client.get(reverse("web:staff_home")).status_code == 302
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
