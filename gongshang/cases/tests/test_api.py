"""GET /api/v1/me/cases: the caller's cases with their stages (a worker's own, an employer's employees')."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/cases"


@pytest.fixture
def token_for():
    """A bearer header for any account (individuals sign in by SMS code, so the token is issued directly)."""
    from gongshang.accounts.services.tokens import api_token_issue

    def issue(user):
        key, _ = api_token_issue(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return issue


def test_worker_gets_own_case_with_stages(api_client, token_for, worker, quick_case):
    response = api_client.get(URL, **token_for(worker))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["limit"] == 50 and body["offset"] == 0
    item = body["items"][0]
    assert item["case_number"] == quick_case.number and item["url"] == f"/cases/{quick_case.pk}/"
    assert [s["stage"] for s in item["stages"]] == ["quick_report", "recognition", "appraisal", "benefits", "payment"]
    recognition = item["stages"][1]
    assert recognition["status"] == "waiting" and recognition["due_date"]
    assert item["current_stage"] == "recognition"
    assert item["next_action"] == "申请工伤认定" and item["latest_payment"] is None


def test_employer_sees_its_employees_cases_masked(api_client, token_for, employer_user_a, quick_case):
    body = api_client.get(URL, **token_for(employer_user_a)).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["who"].startswith("张*") and "张伟" not in str(body) and "370202" not in str(body)


def test_scope_and_audiences(api_client, token_for, employer_user_b, quick_case, staff_factory):
    body = api_client.get(URL, **token_for(employer_user_b)).json()
    assert body == {"count": 0, "count_capped": False, "limit": 50, "offset": 0, "items": []}
    assert api_client.get(URL, **token_for(staff_factory("intake"))).status_code == 403
    assert api_client.get(URL).status_code == 401


def test_pagination(api_client, token_for, worker, quick_case):
    body = api_client.get(URL + "?limit=1&offset=1", **token_for(worker)).json()
    assert body["count"] == 1 and body["items"] == []
    assert api_client.get(URL + "?limit=0", **token_for(worker)).status_code == 422
