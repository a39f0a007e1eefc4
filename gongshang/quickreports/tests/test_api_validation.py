"""Strict input of the quick-report API: text lengths, persons, types, location pairs."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongshang.quickreports import content
from gongshang.quickreports.models import QuickReport

pytestmark = pytest.mark.django_db


def data(**overrides) -> dict:
    values = {"reporter_kind": "self", "accident_at": (timezone.now() - timedelta(hours=1)).isoformat(),
              "description": "被机器夹伤右手", "address": "青岛市市南区香港中路 100 号",
              "pledge_version": content.PLEDGE_VERSION}
    values.update(overrides)
    return values


@pytest.fixture
def headers(worker, token_for):
    return token_for(worker)


@pytest.fixture
def employer_headers(employer_user_a, token_for):
    return token_for(employer_user_a)


def post(api_client, headers, values):
    return api_client.post(reverse("api:create_report"), {"data": json.dumps(values, ensure_ascii=False)}, **headers)


def fields(response) -> set[str]:
    assert response.status_code == 422, response.content
    return {d["field"] for d in response.json()["details"]}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"description": "伤" * 1001}, "description"),
    ({"address": "路" * 301}, "address"),
    ({"reporter_kind": "employer", "reporter_mobile": "13800000001", "persons": [{"name": "张" * 51}]},
     "persons.0.name"),
    ({"reporter_kind": "employer", "reporter_mobile": "13800000001", "persons": [{"id_number": "1" * 31}]},
     "persons.0.id_number"),
])
def test_every_text_field_is_bounded_with_a_chinese_422(api_client, employer_headers, overrides, field):
    response = post(api_client, employer_headers, data(**overrides))
    assert field in fields(response)
    assert "过长" in response.json()["details"][0]["message"] and not QuickReport.objects.exists()


@pytest.mark.parametrize("persons", [["x"], [{}], [{"body_part": "手部"}], [{"name": "  "}]])
def test_injured_person_needs_name_id_or_mobile(api_client, employer_headers, persons):
    response = post(api_client, employer_headers, data(reporter_kind="employer", reporter_mobile="13800000001",
                                                      persons=persons))
    assert fields(response) & {"persons", "persons.0"} and not QuickReport.objects.exists()


@pytest.mark.parametrize("persons", [[{"name": 123}], [{"name": ["甲"]}], "张三"])
def test_wrong_types_are_422(api_client, employer_headers, persons):
    response = post(api_client, employer_headers, data(reporter_kind="employer", reporter_mobile="13800000001",
                                                      persons=persons))
    assert fields(response) and not QuickReport.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"latitude": 36.06, "address": ""}, "longitude"),
    ({"latitude": 36.06}, "longitude"),
    ({"longitude": 120.38}, "latitude"),
    ({"latitude": 91, "longitude": 120.38}, "latitude"),
    ({"latitude": 36.06, "longitude": 181}, "longitude"),
    ({"address": ""}, "address"),
])
def test_location_needs_both_coordinates_or_an_address(api_client, headers, overrides, field):
    response = post(api_client, headers, data(**overrides))
    assert field in fields(response) and not QuickReport.objects.exists()


def test_both_coordinates_without_address_is_fine(api_client, headers):
    response = post(api_client, headers, data(latitude=36.06, longitude=120.38, address=""))
    assert response.status_code == 201, response.content


def _supplement(api_client, headers, code, values):
    return api_client.post(reverse("api:add_supplement", args=[code]), {"data": json.dumps(values)}, **headers)


def test_supplement_cannot_clear_the_only_place(api_client, headers):
    code = post(api_client, headers, data()).json()["code"]
    response = _supplement(api_client, headers, code, {"address": ""})
    assert fields(response) == {"address"}
    assert QuickReport.objects.get().accident.address == "青岛市市南区香港中路 100 号"


def test_supplement_may_clear_address_when_geolocated(api_client, headers):
    code = post(api_client, headers, data(latitude=36.06, longitude=120.38)).json()["code"]
    assert _supplement(api_client, headers, code, {"address": ""}).status_code == 201


def test_supplement_with_half_a_coordinate_is_422_not_dropped(api_client, headers):
    code = post(api_client, headers, data()).json()["code"]
    response = _supplement(api_client, headers, code, {"latitude": 36.1, "note": "补充定位"})
    assert fields(response) == {"longitude"}
    assert QuickReport.objects.get().events.count() == 1  # nothing written
