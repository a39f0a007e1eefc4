"""API of the grading aid: POST /grade (GB/T 16180-2014 4.2) and GET /standard-items."""

import pytest

from gongshang.accounts.tests.factories import IndividualUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
BASE = "/api/v1/appraisal"


@pytest.fixture
def auth(token_for, apr):
    return token_for(apr)


def post(api_client, auth, body):
    return api_client.post(f"{BASE}/grade", body, content_type="application/json", **auth)


def field_errors(response) -> dict:
    assert response.status_code == 422, response.content
    return {d["field"]: d["message"] for d in response.json()["details"]}


def test_grades_combined_under_4_2(api_client, auth):
    r = post(api_client, auth, {"grades": [7, 9]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["grade"] == 7 and body["grade_label"] == "七级"
    assert "以最重的一项定级" in body["rule"]
    assert body["basis"][0] == "GB/T 16180-2014 4.2 晋级原则"


def test_two_equal_grades_raise_one(api_client, auth):
    body = post(api_client, auth, {"grades": [10, 10, 10]}).json()
    assert body["grade"] == 9 and "晋升一级" in body["rule"]


def test_items_graded_and_cited(api_client, auth):
    r = post(api_client, auth, {"items": ["5.7.2.16", "5.9.2.15"]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["grade"] == 7
    assert any(b.startswith("GB/T 16180-2014 5.7.2 第16项（七级）") for b in body["basis"])


@pytest.mark.parametrize("payload, field, words", [
    ({"grades": []}, "grades", "至少填写一项"),
    ({"grades": [7, 11]}, "grades", "第2项等级"),
    ({"grades": [0]}, "grades", "1～10"),
    ({"items": ["5.7.2.99"]}, "items", "不在 GB/T 16180-2014 中"),
    ({"items": []}, "items", "至少选择"),
    ({"grades": [7], "items": ["5.7.2.16"]}, "grades", "两者之一"),
    ({}, "items", "两者之一"),
])
def test_bad_input_is_422_with_a_chinese_field_error(api_client, auth, payload, field, words):
    errors = field_errors(post(api_client, auth, payload))
    assert words in errors[field]


@pytest.mark.parametrize("payload", [{"grades": ["7"]}, {"grades": [7.5]}, {"grades": 7}, {"grade": [7]}, [7, 9]])
def test_malformed_body_is_422(api_client, auth, payload):
    r = post(api_client, auth, payload)
    assert r.status_code == 422, r.content
    assert r.json()["details"]


def test_standard_items_search_and_pages(api_client, auth):
    r = api_client.get(f"{BASE}/standard-items", {"q": "听力", "limit": 3}, **auth)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 7 and body["limit"] == 3 and body["offset"] == 0 and len(body["items"]) == 3
    first = body["items"][0]
    assert first == {"code": "5.4.2.19", "grade": 4, "category": "sensory",
                     "category_label": "眼科、耳鼻喉科、口腔科门", "text": "双耳听力损失≥91dB"}
    rest = api_client.get(f"{BASE}/standard-items", {"q": "听力", "limit": 3, "offset": 6}, **auth).json()
    assert [i["code"] for i in rest["items"]] == ["5.10.2.27"]


def test_standard_items_filters(api_client, auth):
    body = api_client.get(f"{BASE}/standard-items", {"grade": 1, "limit": 200}, **auth).json()
    assert body["count"] == 23
    body = api_client.get(f"{BASE}/standard-items", {"category": "occupational", "grade": 10}, **auth).json()
    assert body["count"] == 8 and all(i["category"] == "occupational" for i in body["items"])
    assert api_client.get(f"{BASE}/standard-items", **auth).json()["count"] == 530


@pytest.mark.parametrize("params, field", [({"grade": 11}, "grade"), ({"category": "eye"}, "category"),
                                           ({"limit": 0}, "limit")])
def test_standard_items_bad_filters_are_422(api_client, auth, params, field):
    r = api_client.get(f"{BASE}/standard-items", params, **auth)
    assert r.status_code == 422, r.content
    assert any(field in d["field"] for d in r.json()["details"])


def test_an_injured_worker_may_read_the_standard(api_client, token_for, zhang_wei):
    worker = IndividualUserFactory(person=zhang_wei, mobile="13900000009")
    assert api_client.get(f"{BASE}/standard-items", {"q": "拇指"}, **token_for(worker)).status_code == 200
    assert post(api_client, token_for(worker), {"grades": [8]}).json()["grade"] == 8


def test_anonymous_and_staff_without_the_role_are_refused(api_client, token_for, staff_factory):
    assert api_client.get(f"{BASE}/standard-items").status_code == 401
    hotline = token_for(staff_factory("hotline"))
    assert api_client.get(f"{BASE}/standard-items", **hotline).status_code == 403
    assert post(api_client, hotline, {"grades": [8]}).status_code == 403
