"""GET /api/v1/calendar/due-date: public, one error body for bad input."""

import pytest

from gongshang.core.models import CalendarYear

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date"


def test_natural_days(client):
    response = client.get(URL, {"start": "2026-09-24", "length": 10, "unit": "natural"})
    assert response.status_code == 200
    assert response.json() == {"due": "2026-10-08", "provisional": False}


def test_working_days(client):
    response = client.get(URL, {"start": "2026-09-30", "length": 5, "unit": "working"})
    assert response.status_code == 200
    assert response.json() == {"due": "2026-10-13", "provisional": False}


def test_unit_defaults_to_natural(client):
    response = client.get(URL, {"start": "2026-03-02", "length": 10})
    assert response.json() == {"due": "2026-03-12", "provisional": False}


def test_unknown_year_is_provisional(client):
    response = client.get(URL, {"start": "2026-12-20", "length": 30, "unit": "natural"})
    assert response.status_code == 200
    assert response.json() == {"due": "2027-01-19", "provisional": True}
    CalendarYear.objects.create(year=2027, complete=True, source="test")
    assert client.get(URL, {"start": "2026-12-20", "length": 30}).json()["provisional"] is False


def _assert_error(response, field):
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "validation_error"
    assert any(d["field"] == field for d in body["details"]), body
    return body


def test_bad_unit(client):
    response = client.get(URL, {"start": "2026-03-02", "length": 5, "unit": "foo"})
    _assert_error(response, "unit")


@pytest.mark.parametrize("length", [-1, 3661])
def test_length_out_of_range(client, length):
    body = _assert_error(client.get(URL, {"start": "2026-03-02", "length": length}), "length")
    assert body["details"] == [{"field": "length", "message": "期限天数应为 0 到 3660 之间的整数"}]


def test_length_not_a_number(client):
    _assert_error(client.get(URL, {"start": "2026-03-02", "length": "ten"}), "length")


def test_bad_date(client):
    _assert_error(client.get(URL, {"start": "2026-02-30", "length": 5}), "start")


def test_missing_start(client):
    _assert_error(client.get(URL, {"length": 5}), "start")


def test_date_at_the_end_of_time_is_not_a_500(client):
    _assert_error(client.get(URL, {"start": "9999-12-30", "length": 5}), "start")


def test_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/calendar/due-date" in schema["paths"]
