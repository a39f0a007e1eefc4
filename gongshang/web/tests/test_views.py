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
