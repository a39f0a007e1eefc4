"""GET /api/v1/medical/catalogue?q=&kind=&on=: institutions (their 协议机构's 统筹区) and staff;
money as strings to the fen; paginated; bad parameters answer 422."""

from datetime import date
from decimal import Decimal

import pytest

from .factories import InstitutionFactory, ServiceItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
URL = "/api/v1/medical/catalogue"


@pytest.fixture
def items(db):
    ServiceItemFactory(code="003111000010000", name="大换药", price_cap=Decimal("45"), frequency_limit=Decimal("1"),
                         price_class="换药", valid_to=date(2026, 6, 30))
    ServiceItemFactory(code="003111000010000", name="大换药", price_cap=Decimal("50"), valid_from=date(2026, 7, 1))
    ServiceItemFactory(region="", kind="drug", code="XJ06BBT2201010100022", name="破伤风人免疫球蛋白注射液",
                         price_cap=Decimal("398.00"), work_injury_only=True)
    ServiceItemFactory(region="370700", code="003111000020000", name="中换药")


def test_institution_searches_its_regions_catalogue(api_client, token_for, client_account, hospital, items):
    response = api_client.get(URL, {"q": "换药"}, **token_for(client_account))
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["region"], body["on"]) == (1, "370200", "2026-03-02")
    item = body["items"][0]
    assert (item["price_cap"], item["frequency_limit"], item["national"], item["valid_to"]) == (
        "45.00", "1", False, "2026-06-30")


def test_on_a_later_day_and_kind_filter(api_client, token_for, inspector, items):
    auth = token_for(inspector)
    later = api_client.get(URL, {"q": "0031110000", "on": "2026-07-01"}, **auth).json()
    assert [i["price_cap"] for i in later["items"]] == ["50.00"]
    drugs = api_client.get(URL, {"kind": "drug"}, **auth).json()
    assert [(i["code"], i["work_injury_only"], i["national"]) for i in drugs["items"]] == [
        ("XJ06BBT2201010100022", True, True)]


def test_pagination(api_client, token_for, inspector, items):
    body = api_client.get(URL, {"limit": 1, "offset": 1}, **token_for(inspector)).json()
    assert body["count"] == 2 and len(body["items"]) == 1 and body["limit"] == 1


@pytest.mark.parametrize("params", [{"kind": "food"}, {"on": "2026-02-30"}, {"limit": 0}, {"q": "x" * 101}])
def test_bad_parameters_are_422(api_client, token_for, inspector, params):
    response = api_client.get(URL, params, **token_for(inspector))
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_institution_without_a_link_reads_its_jurisdiction(api_client, token_for, client_account, items):
    InstitutionFactory(code="H37020300001", county="370203")  # not linked
    body = api_client.get(URL, **token_for(client_account)).json()
    assert body["region"] == "370200"


def test_anonymous_is_401(api_client):
    assert api_client.get(URL).status_code == 401
