"""The one error body for bodies Django cannot parse, bodies that are not objects and unknown
fields: 400/422 naming what to fix, never a 500."""

import pytest

from gongshang.api.errors import translate_validation_errors

pytestmark = pytest.mark.django_db

# Every operation that reads a multipart body (issue: a POST without a boundary answered 500).
MULTIPART_URLS = [
    "/api/v1/quick-reports",
    "/api/v1/registry/roster-imports",
    "/api/v1/recognition/applications/1/materials",
    "/api/v1/recognition/applications/1/investigation-report",
    "/api/v1/benefits/payroll-runs/1/bank-return",
]


# The account each URL's access mark admits (the mark answers before the body is read).
POSTED_BY = {
    "/api/v1/quick-reports": "individual",
    "/api/v1/registry/roster-imports": "employer",
    "/api/v1/recognition/applications/1/materials": "individual",
    "/api/v1/recognition/applications/1/investigation-report": "investigator",
    "/api/v1/benefits/payroll-runs/1/bank-return": "benefits_reviewer",
    "/api/v1/recognition/applications/1/notes": "investigator",
}


@pytest.fixture
def headers(request, staff_factory, token_for, individual_user, employer_user_a):
    url = getattr(getattr(request.node, "callspec", None), "params", {}).get("url")
    who = POSTED_BY.get(url, "investigator")
    if who == "individual":
        return token_for(individual_user)
    if who == "employer":
        return token_for(employer_user_a)
    return token_for(staff_factory(who))


def _assert_malformed_multipart(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert "boundary" in body["message"] and "multipart" in body["message"]
    assert body["details"] == [{"field": "body", "message": "multipart 格式不正确（缺少 boundary 或分隔符不符）"}]


@pytest.mark.parametrize("url", MULTIPART_URLS)
def test_multipart_without_boundary_is_400(api_client, headers, url):
    _assert_malformed_multipart(api_client.post(url, data="data=x", content_type="multipart/form-data", **headers))


@pytest.mark.parametrize("url", MULTIPART_URLS)
def test_multipart_with_a_wrong_boundary_is_400(api_client, headers, url):
    response = api_client.post(url, data="--other\r\nnot a part", content_type="multipart/form-data; boundary=\"\"",
                               **headers)
    _assert_malformed_multipart(response)


def test_multipart_without_boundary_and_an_idempotency_key_is_400(api_client, headers):
    # The Idempotency-Key middleware reads the body before the view does.
    response = api_client.post("/api/v1/recognition/applications/1/materials", data="x",
                               content_type="multipart/form-data", HTTP_IDEMPOTENCY_KEY="k-1", **headers)
    _assert_malformed_multipart(response)


@pytest.mark.parametrize("body", ["[null, null]", "[]", "\"text\"", "42", "true", "null"])
def test_a_body_that_is_not_an_object_is_422(api_client, body):
    response = api_client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["details"] == [
        {"field": "body", "message": "请求体应为 JSON 对象（{\"字段\": 值}），不能是列表、数字、文本或 null"}]


def test_unknown_fields_are_refused_by_name(api_client):
    response = api_client.post("/api/v1/auth/token", {"username": "x", "password": "y", "pasword": "y"},
                               content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "提交的数据有误，请检查：pasword"
    assert body["details"] == [{"field": "pasword", "message": "接口没有这个字段，请删除或检查拼写"}]


def test_missing_body_names_the_body_not_the_parameter(api_client, headers):
    response = api_client.post("/api/v1/recognition/applications/1/notes", data="", content_type="application/json",
                               **headers)
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "body", "message": "必填项，请填写"}]


def test_bounds_are_named_in_the_message():
    errors = [{"type": "less_than_equal", "loc": ("query", "offset"), "ctx": {"le": 10_000_000}},
              {"type": "greater_than_equal", "loc": ("query", "limit"), "ctx": {"ge": 1}}]
    assert translate_validation_errors(errors) == [{"field": "offset", "message": "数值过大（最大为 10000000）"},
                                                   {"field": "limit", "message": "数值过小（最小为 1）"}]
