"""GET /api/v1/calendar/due-date: public, one error body for bad input."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongshang.core.models import CalendarYear, HolidayOverride

pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("pinned_clock")]

URL = "/api/v1/calendar/due-date"
FINAL = {"earliest": None, "note": ""}


@pytest.fixture
def pinned_clock():
    # Today as in the tester's report; nothing here depends on it, but no test may depend on the real day.
    with time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def test_natural_days(client):
    response = client.get(URL, {"start": "2026-09-24", "length": 10, "unit": "natural"})
    assert response.status_code == 200
    assert response.json() == {"due": "2026-10-08", "provisional": False, **FINAL}


def test_working_days(client):
    response = client.get(URL, {"start": "2026-09-30", "length": 5, "unit": "working"})
    assert response.status_code == 200
    assert response.json() == {"due": "2026-10-13", "provisional": False, **FINAL}


def test_unit_defaults_to_natural(client):
    response = client.get(URL, {"start": "2026-03-02", "length": 10})
    assert response.json() == {"due": "2026-03-12", "provisional": False, **FINAL}


def test_unknown_year_is_provisional(client):
    response = client.get(URL, {"start": "2026-12-20", "length": 30, "unit": "natural"})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2027-01-19" and body["provisional"] is True and body["earliest"] is None
    assert body["note"].startswith("2027年的放假安排（国务院办公厅通知）尚未录入")
    assert "第二条" in body["note"]
    CalendarYear.objects.create(year=2027, complete=True, source="test")
    assert client.get(URL, {"start": "2026-12-20", "length": 30}).json() == {
        "due": "2027-01-19", "provisional": False, **FINAL}


def test_new_years_day_of_a_year_not_entered_is_not_a_working_day(client):
    # The tester's example: 2027's notice is not entered, yet 元旦 (Friday 2027-01-01) is a statutory
    # day off (全国年节及纪念日放假办法 第二条): one working day after 2026-12-31 is Monday 01-04.
    response = client.get(URL, {"start": "2026-12-31", "length": 1, "unit": "working"})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2027-01-04"
    assert body["provisional"] is True
    assert "暂定" in body["note"] and "放假安排" in body["note"]
    # The employer's 30 days from an accident on 2026-12-02 end on 元旦 too → Monday 01-04.
    assert client.get(URL, {"start": "2026-12-02", "length": 30}).json()["due"] == "2027-01-04"


def test_estimated_make_up_days_give_the_later_date_and_the_earlier_one(client):
    # 2027-02-04 + 1 day = 除夕 02-05; 02-06..08 春节 (Sat-Mon); 补假 for Sat/Sun estimated on 02-09/10.
    body = client.get(URL, {"start": "2027-02-04", "length": 1}).json()
    assert body["due"] == "2027-02-11" and body["earliest"] == "2027-02-09" and body["provisional"] is True
    assert "可能早至2027年02月09日" in body["note"] and "2027年02月11日（含当日）之前不按逾期处理" in body["note"]


def test_entered_overrides_win(client):
    # The notice once entered (here: 春节 02-05..02-12 off, Saturday 02-20 a working day) decides.
    for day in range(5, 13):
        HolidayOverride.objects.create(date=f"2027-02-{day:02d}", is_workday=False, name="春节")
    HolidayOverride.objects.create(date="2027-02-20", is_workday=True, name="春节调休上班")
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕X号")
    assert client.get(URL, {"start": "2027-02-04", "length": 1}).json() == {
        "due": "2027-02-15", "provisional": False, **FINAL}
    assert client.get(URL, {"start": "2027-02-19", "length": 1}).json()["due"] == "2027-02-20"


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
    out = schema["components"]["schemas"]["DueDateOut"]
    assert set(out["properties"]) == {"due", "provisional", "earliest", "note"}
