"""GET /api/v1/service/dashboard: typed figures of the leader's own 统筹区, 422 on a bad range."""

import pytest

from .factories_dashboard import OTHER, at, dashboard_world

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(at(2026, 11, 15, 10))]
URL = "/api/v1/service/dashboard"


@pytest.fixture
def world():
    return dashboard_world()


def test_the_leader_reads_the_figures(api_client, token_for, world):
    response = api_client.get(URL, {"start": "2026-09", "end": "2026-11"}, **token_for(world.leader))
    assert response.status_code == 200
    body = response.json()
    assert (body["region"], body["start"], body["end"]) == ("370200", "2026-09", "2026-11")
    october = next(m for m in body["series"] if m["month"] == "2026-10")
    assert october["recognition_decided"] == 3 and october["recognition_missed"] == 1
    assert october["ticket_response_hours"] == "134.0" and october["rating_average"] == "3.33"
    assert october["benefits_paid"] == "1000.00" and october["prevention_paid"] == "80000.00"
    assert body["totals"]["benefits_paid"] == "1234.56" and body["totals"]["tickets"] == 3
    assert body["recognition_overdue_now"] == 1 and body["tickets_overdue_now"] == 1
    assert body["prevention_years"] == [{"year": 2026, "budget": "300000.00", "paid": "130000.00"}]
    assert {"status": "investigating", "label": "调查核实中", "count": 1} in body["stages"]["recognition"]


def test_bad_ranges_answer_422_naming_the_field(api_client, token_for, world):
    headers = token_for(world.leader)
    bad = api_client.get(URL, {"end": "2026/11"}, **headers)
    assert bad.status_code == 422
    assert bad.json()["details"] == [{"field": "end", "message": "截止月份格式不正确，请按“年-月”选择，例如 2026-01。"}]
    backwards = api_client.get(URL, {"start": "2026-11", "end": "2026-01"}, **headers)
    assert backwards.status_code == 422 and "起始月份不能晚于截止月份" in backwards.json()["details"][0]["message"]


def test_only_the_leader_and_only_its_region(api_client, token_for, world, staff_factory):
    assert api_client.get(URL).status_code == 401
    for role in ("reviewer", "cooperator", "hotline"):
        refused = api_client.get(URL, **token_for(staff_factory(role)))
        assert refused.status_code == 403 and refused.json()["code"]
    other = api_client.get(URL, **token_for(staff_factory("leader", jurisdiction=OTHER))).json()
    assert other["region"] == OTHER and other["totals"]["benefits_paid"] == "777.00"
    assert other["totals"]["new_cases"] == 1


def test_months_not_yet_begun_answer_422_never_500(api_client, token_for, world):
    """A month after the current one has no figures; the last month of year 9999 used to end the
    range on 1 January 10000 (a 500)."""
    headers = token_for(world.leader)
    for start, end in (("9999-12", "9999-12"), ("2026-11", "2026-12"), ("", "2027-03")):
        response = api_client.get(URL, {"start": start, "end": end}, **headers)
        assert response.status_code == 422, (start, end)
        assert response.json()["details"] == [{"field": "end", "message": "截止月份不能晚于本月（2026-11）。"}]
    assert api_client.get(URL, {"end": "2026-11"}, **headers).status_code == 200
