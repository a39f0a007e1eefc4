"""GET /api/v1/medical/institutions and /institutions/{id}: staff see their 统筹区, an institution its
own; filters; masked phone; 404 for another region's row; refused audiences."""

import pytest

from .factories import InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
URL = "/api/v1/medical/institutions"


def test_staff_list_of_their_region(api_client, token_for, inspector, hospital):
    InstitutionFactory(region="370700", county="370702", code="H37070200001")
    InstitutionFactory(code="R37021200001", county="370212", kind="rehabilitation", contact_phone="13812345678")
    auth = token_for(inspector)  # a TOTP is accepted once: one token per test
    response = api_client.get(URL, **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and [i["code"] for i in body["items"]] == ["H37020200001", "R37021200001"]
    rehab = body["items"][1]
    assert rehab["kind"] == "rehabilitation" and rehab["kind_label"] == "康复机构"
    assert rehab["county_name"] == "崂山区" and rehab["may_settle_today"] is True
    assert rehab["contact_phone"] != "13812345678" and rehab["contact_phone"].endswith("5678")
    filtered = api_client.get(URL, {"kind": "rehabilitation"}, **auth).json()
    assert [i["code"] for i in filtered["items"]] == ["R37021200001"]


def test_institution_sees_its_own_only(api_client, token_for, client_account, hospital):
    InstitutionFactory(code="H37020300001", county="370203")
    body = api_client.get(URL, **token_for(client_account)).json()
    assert [i["code"] for i in body["items"]] == ["H37020200001"]
    detail = api_client.get(f"{URL}/{hospital.pk}", **token_for(client_account))
    assert detail.status_code == 200 and detail.json()["agreement_no"] == hospital.agreement_no


def test_detail_out_of_scope_is_404(api_client, token_for, client_account, other_inspector, hospital):
    other = InstitutionFactory(code="H37020300001", county="370203")
    assert api_client.get(f"{URL}/{other.pk}", **token_for(client_account)).status_code == 404
    response = api_client.get(f"{URL}/{hospital.pk}", **token_for(other_inspector))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_refused_audiences_and_bad_filters(api_client, token_for, employer_user_a, inspector):
    response = api_client.get(URL, **token_for(employer_user_a))
    assert response.status_code == 403 and response.json()["message"]
    assert api_client.get(URL).status_code == 401
    auth = token_for(inspector)
    bad = api_client.get(URL, {"status": "closed"}, **auth)
    assert bad.status_code == 422
    assert api_client.get(URL, {"county": "37"}, **auth).status_code == 422


def test_suspended_institution_may_not_settle_today(api_client, token_for, inspector):
    institution = InstitutionFactory(status="suspended")
    body = api_client.get(f"{URL}/{institution.pk}", **token_for(inspector)).json()
    assert body["status_label"] == "暂停结算" and body["may_settle_today"] is False


@pytest.mark.parametrize("bad", ["0", "9223372036854775808", "abc"])
def test_bad_ids_are_422_not_500(api_client, token_for, inspector, bad):
    response = api_client.get(f"{URL}/{bad}", **token_for(inspector))
    assert response.status_code == 422
