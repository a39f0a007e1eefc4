"""The error pages: a request Django refuses before any view (e.g. a multipart body without a
boundary) answers 400 with a page a person can read, or the API's error body under /api/."""

import pytest
from django.http.multipartparser import MultiPartParserError
from django.test import Client

from gongshang.web.views import bad_request

pytestmark = pytest.mark.django_db


def _assert_400_page(response):
    assert response.status_code == 400
    page = response.content.decode()
    assert "无法办理" in page and "boundary" in page and "Bad Request" not in page


def test_page_post_without_multipart_boundary_is_a_400_page():
    # The CSRF middleware is the first to read the body of a page POST.
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/individual/")
    token = client.cookies["csrftoken"].value
    _assert_400_page(client.post("/accounts/login/individual/", data="x", content_type="multipart/form-data",
                                 HTTP_X_CSRFTOKEN=token))


def test_a_view_reading_the_body_answers_the_same_page(client):
    _assert_400_page(client.post("/benefits/calculator/", data="x", content_type="multipart/form-data"))


def test_the_same_under_the_api_is_the_error_body(rf):
    response = bad_request(rf.post("/api/v1/anything"), MultiPartParserError("Invalid boundary in multipart: None"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert b'"code": "validation_error"' in response.content


def test_a_form_posted_without_its_csrf_token_gets_a_chinese_page_without_inline_style(settings):
    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post("/accounts/login/employer/", {"username": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "刷新后重新提交" in page
    assert "DEBUG" not in page and "<style" not in page and "Forbidden" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_missing_role_is_a_chinese_403_page_naming_why(client, staff_factory, settings):
    settings.DEBUG = False
    client.force_login(staff_factory("hotline"))
    response = client.get("/recognition/staff/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "您的角色无权办理此业务" in page and "403 Forbidden" not in page


def test_a_403_with_english_text_gets_our_sentence(rf):
    from django.core.exceptions import PermissionDenied

    from gongshang.web.views import FORBIDDEN_MESSAGE, permission_denied

    response = permission_denied(rf.get("/somewhere/"), PermissionDenied("CSRF verification failed"))
    assert response.status_code == 403 and FORBIDDEN_MESSAGE in response.content.decode()
    api = permission_denied(rf.get("/api/v1/x"), PermissionDenied())
    assert api.status_code == 403 and api["Content-Type"].startswith("application/json")


def test_home_links_the_public_services(client, settings):
    settings.DEMO_DATA_ALLOWED = False
    body = client.get("/").content.decode()
    assert 'href="/benefits/calculator/"' in body and 'href="/v/"' in body
    assert 'href="/demo/"' not in body  # the demo guide exists only in a demo
    assert client.get("/demo/").status_code == 404
    settings.DEMO_DATA_ALLOWED = True
    assert 'href="/demo/"' in client.get("/").content.decode()
