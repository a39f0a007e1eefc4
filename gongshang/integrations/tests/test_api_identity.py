"""身份核验 API (api/identity.py): POST and GET /api/v1/exchange/identity-checks."""

import pytest

from ..models import IdentityCheck
from .factories_identity import (
    DOWN,
    LISTED_ID,
    LISTED_NAME,
    UNKNOWN_ID,
    ZHANG_WEI_ID,
    IdentityCheckFactory,
    aged,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]
URL = "/api/v1/exchange/identity-checks"


@pytest.fixture
def clerk(staff_factory):
    return staff_factory("exchange")


def post(api_client, headers, body):
    return api_client.post(URL, body, content_type="application/json", **headers)


def test_a_staff_check_answers_and_is_recorded(api_client, token_for, clerk):
    headers = token_for(clerk)
    response = post(api_client, headers, {"id_number": LISTED_ID, "name": LISTED_NAME})
    assert response.status_code == 201
    body = response.json()
    found = IdentityCheck.objects.get()
    assert body == {"id": found.pk, "result": "match", "label": "身份信息一致", "cached": False}
    assert (found.context, found.region, found.actor, found.id_number) == ("staff", "370200", clerk, LISTED_ID)
    again = post(api_client, headers, {"id_number": LISTED_ID, "name": LISTED_NAME}).json()
    assert (again["result"], again["cached"]) == ("match", True)
    mismatch = post(api_client, headers, {"id_number": LISTED_ID, "name": "周建华"}).json()
    assert (mismatch["result"], mismatch["label"]) == ("name_mismatch", "姓名与身份证号不一致")
    assert post(api_client, headers, {"id_number": UNKNOWN_ID, "name": "甲"}).json()["result"] == "not_found"
    assert IdentityCheck.objects.count() == 4


def test_an_outage_answers_unavailable(api_client, token_for, clerk, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    response = post(api_client, token_for(clerk), {"id_number": LISTED_ID, "name": LISTED_NAME})
    assert response.status_code == 201
    assert response.json()["result"] == "unavailable" and response.json()["label"] == "人口库暂不可用，未能核验"
    assert IdentityCheck.objects.get().result == "unavailable"


@pytest.mark.parametrize("body, field", [
    ({"id_number": "370202198506120312", "name": LISTED_NAME}, "id_number"),
    ({"id_number": LISTED_ID, "name": " "}, "name"),
    ({"id_number": LISTED_ID}, "name"),
    ({"id_number": LISTED_ID, "name": LISTED_NAME, "mobile": "139"}, "mobile"),
])
def test_bad_input_is_422_naming_the_field(api_client, token_for, clerk, body, field):
    response = post(api_client, token_for(clerk), body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["code"] == "validation_error"
    assert [d["field"] for d in payload["details"]] == [field]
    assert not IdentityCheck.objects.exists()


def test_too_many_checks_answer_429(api_client, token_for, clerk, settings):
    settings.IDENTITY_CHECK_RATE_LIMIT = 1
    headers = token_for(clerk)
    assert post(api_client, headers, {"id_number": LISTED_ID, "name": LISTED_NAME}).status_code == 201
    response = post(api_client, headers, {"id_number": LISTED_ID, "name": LISTED_NAME})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and "身份核验过于频繁" in response.json()["message"]
    assert IdentityCheck.objects.count() == 1


def test_who_may_check(api_client, token_for, staff_factory, employer_user_a):
    body = {"id_number": LISTED_ID, "name": LISTED_NAME}
    assert post(api_client, {}, body).status_code == 401
    assert post(api_client, token_for(staff_factory("benefits_reviewer")), body).status_code == 403
    assert post(api_client, token_for(employer_user_a), body).status_code == 403
    assert post(api_client, token_for(staff_factory("intake")), body).status_code == 201
    assert IdentityCheck.objects.count() == 1


def test_the_list_is_masked_scoped_and_filtered(api_client, token_for, clerk):
    mine = IdentityCheckFactory(context="enrolment", result="name_mismatch")
    IdentityCheckFactory(id_number=LISTED_ID, name=LISTED_NAME, context="quick_report", cached=True)
    aged(IdentityCheckFactory(id_number=UNKNOWN_ID, result="not_found"), 10)
    platform = IdentityCheckFactory(region="", context="binding")  # 370200 is the home region: included
    IdentityCheckFactory(region="370700")  # another 统筹区
    headers = token_for(clerk)
    response = api_client.get(URL, **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    first = [i for i in body["items"] if i["id"] == mine.pk][0]
    assert first["id_number"] == "370202********1237" and ZHANG_WEI_ID not in response.content.decode()
    assert (first["context"], first["context_label"], first["result_label"], first["actor"]) == (
        "enrolment", "单位增员", "姓名与身份证号不一致", "—")
    assert platform.pk in [i["id"] for i in body["items"]]

    def ids(**query):
        found = api_client.get(URL, query, **headers)
        assert found.status_code == 200, found.content
        return sorted(i["id"] for i in found.json()["items"])

    assert ids(result="name_mismatch") == [mine.pk]
    assert len(ids(context="quick_report")) == 1 and len(ids(cached="true")) == 1
    assert len(ids(id_number=UNKNOWN_ID)) == 1
    assert len(ids(date_from="2026-06-10")) == 3 and len(ids(date_to="2026-06-09")) == 1
    assert len(ids(limit=1, offset=1)) == 1
    refused = api_client.get(URL, {"result": "maybe"}, **headers)
    assert refused.status_code == 422 and refused.json()["details"][0]["field"] == "result"


def test_the_list_names_outside_accounts_by_what_they_are(api_client, token_for, clerk, employer_user_a):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    IdentityCheckFactory(context="binding", actor=IndividualUserFactory(display_name="赵磊"))
    IdentityCheckFactory(context="enrolment", actor=employer_user_a)
    IdentityCheckFactory(context="staff", actor=clerk)
    items = api_client.get(URL, **token_for(clerk)).json()["items"]
    assert {i["context"]: i["actor"] for i in items} == {
        "binding": "个人（赵*）", "enrolment": "单位经办人（青岛海川机械制造有限公司）", "staff": str(clerk)}


def test_who_may_list(api_client, token_for, staff_factory, employer_user_a):
    assert api_client.get(URL).status_code == 401
    assert api_client.get(URL, **token_for(staff_factory("reviewer"))).status_code == 403
    assert api_client.get(URL, **token_for(employer_user_a)).status_code == 403
    other_region = staff_factory("exchange", jurisdiction="370700")
    IdentityCheckFactory()
    assert api_client.get(URL, **token_for(other_region)).json()["count"] == 0
