"""A request whose form fields exceed DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 with the one error
body, on every API endpoint (multipart and JSON alike), never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db
TOO_LARGE = {"code": "request_too_large", "details": {}}


def _check(response):
    assert response.status_code == 413, response.content
    body = response.json()
    assert {k: body[k] for k in TOO_LARGE} == TOO_LARGE
    assert "过大" in body["message"]


def test_oversized_multipart_data_field_is_413(api_client, settings, individual_headers):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    _check(api_client.post("/api/v1/quick-reports", {"data": json.dumps({"description": "伤" * 20_000})},
                           **individual_headers))


def test_oversized_json_body_is_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    _check(api_client.post("/api/v1/auth/token", {"username": "x" * 20_000, "password": "p"},
                           content_type="application/json"))


@pytest.fixture
def individual_headers(db, token_for):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    return token_for(IndividualUserFactory(mobile="13700000009"))
