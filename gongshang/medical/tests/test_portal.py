"""定点机构 portal: web sign-in by client id + secret (captcha, lockout, wrong audience), the home
page and 本机构信息, the menu, and the redirect of a signed-out visitor to the institution login."""

import pytest
from django.urls import reverse

from gongshang.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
LOGIN = "accounts:institution_login"


def _login(client, username, password=PASSWORD, captcha="PASSED"):
    return client.post(reverse(LOGIN), {"username": username, "password": password, "captcha_0": "x",
                                        "captcha_1": captcha})


def test_sign_in_lands_on_the_portal_home(client, client_account, hospital):
    response = _login(client, client_account.username)
    assert response.status_code == 302 and response.url == reverse("medical:portal_home")
    body = client.get(response.url).content.decode()
    assert "青岛大学附属医院（测试）" in body and "今天可以直接结算" in body
    assert reverse("medical:portal_institution") in body and reverse("medical:catalogue_list") in body


def test_wrong_secret_and_missing_captcha(client, client_account):
    response = _login(client, client_account.username, password="wrong")
    assert response.status_code == 200 and "不正确" in response.content.decode()
    response = _login(client, client_account.username, captcha="")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_other_audiences_cannot_use_the_institution_entrance(client, employer_user_a):
    response = _login(client, employer_user_a.username)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures(client, client_account, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, client_account.username, password="wrong")
    response = _login(client, client_account.username)  # the right secret, but locked on this network
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200 and "已被锁定" in response.content.decode()


def test_institution_page_and_menu(client, client_account, hospital):
    client.force_login(client_account)
    body = client.get(reverse("medical:portal_institution")).content.decode()
    assert hospital.agreement_no in body and "2026-01-01 至 2028-12-31" in body and "协议有效" in body
    assert "本机构信息" in body  # the menu entry


def test_unlinked_account_is_told_what_to_do(client, client_account):
    client.force_login(client_account)
    assert "尚未关联协议机构" in client.get(reverse("medical:portal_home")).content.decode()


def test_signed_out_visitor_goes_to_the_institution_login(client):
    response = client.get(reverse("medical:portal_home"))
    assert response.status_code == 302 and response.url.startswith(reverse(LOGIN))


def test_root_redirects_a_signed_in_institution(client, client_account):
    client.force_login(client_account)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url == reverse("medical:portal_home")


def test_other_audiences_cannot_open_the_portal(client, employer_user_a):
    client.force_login(employer_user_a)
    assert client.get(reverse("medical:portal_home")).status_code == 403
