"""API of 异地就医备案: status, body and database; the lock answers 422 with the date; another
region's 稽核员 answers 404; unknown fields are refused; bad input is a Chinese 422."""

from datetime import date

import pytest

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.medical.models import RemoteRegistration

from .factories_remote import *  # noqa: F403
from .factories_remote import make_registration

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
BASE = "/api/v1/medical/remote-registrations"


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_register_then_list_and_detail(api_client, token_for, worker, case):
    auth = token_for(worker)
    r = _post(api_client, BASE, {"case_number": case.number, "reason": "posted", "region": "370100",
                                 "start_date": "2026-03-10"}, auth)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["valid_until"] == "2027-03-09"
    row = RemoteRegistration.objects.get(pk=body["id"])
    assert (row.reason, row.treatment_region) == ("posted", "370100")
    listed = api_client.get(BASE, **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["treatment_region_name"] == "山东省济南市"
    one = api_client.get(f"{BASE}/{row.pk}", **auth).json()
    assert one["active"] is True and one["change_possible_from"] == "2026-06-10"
    assert one["reason_label"] == "异地工作（派驻）"


def test_second_registration_is_422_exists(api_client, token_for, worker, case):
    make_registration(case, worker)
    r = _post(api_client, BASE, {"case_number": case.number, "reason": "referral", "region": "370700",
                                 "start_date": "2026-03-10"}, token_for(worker))
    assert r.status_code == 422 and r.json()["code"] == "remote_registration_exists"


def test_bad_region_names_the_field(api_client, token_for, worker, case):
    r = _post(api_client, BASE, {"case_number": case.number, "reason": "referral", "region": "370202",
                                 "start_date": "2026-03-10"}, token_for(worker))
    assert r.status_code == 422
    assert r.json()["details"][0]["field"] == "region"


def test_unknown_field_and_bad_reason_refused(api_client, token_for, worker, case):
    auth = token_for(worker)
    r = _post(api_client, BASE, {"case_number": case.number, "reason": "referral", "region": "370100",
                                 "start_date": "2026-03-10", "extra": 1}, auth)
    assert r.status_code == 422
    r = _post(api_client, BASE, {"case_number": case.number, "reason": "holiday", "region": "370100",
                                 "start_date": "2026-03-10"}, auth)
    assert r.status_code == 422 and "备案类型" in r.content.decode()
    assert not RemoteRegistration.objects.exists()


def test_change_locked_then_possible(api_client, token_for, worker, case, time_machine):
    row = make_registration(case, worker)
    time_machine.move_to("2026-06-09 10:00 +08:00")
    auth = token_for(worker)  # tokens expire: one per pinned day
    r = _post(api_client, f"{BASE}/{row.pk}/change", {"reason": "referral", "region": "370700",
                                                       "start_date": "2026-06-09"}, auth)
    assert r.status_code == 422
    assert r.json()["code"] == "remote_registration_locked"
    assert r.json()["details"]["possible_from"] == "2026-06-10"
    time_machine.move_to("2026-06-10 10:00 +08:00")
    auth = token_for(worker)
    r = _post(api_client, f"{BASE}/{row.pk}/change", {"reason": "referral", "region": "370700",
                                                       "start_date": "2026-06-10"}, auth)
    assert r.status_code == 201, r.content
    row.refresh_from_db()
    assert row.status == "changed"
    assert RemoteRegistration.objects.get(pk=r.json()["id"]).replaces_id == row.pk


def test_cancel_locked_then_possible(api_client, token_for, inspector, worker, case, time_machine):
    row = make_registration(case, worker)
    time_machine.move_to("2026-06-09 10:00 +08:00")
    auth = token_for(inspector)
    r = _post(api_client, f"{BASE}/{row.pk}/cancel", {}, auth)
    assert r.status_code == 422 and r.json()["code"] == "remote_registration_locked"
    time_machine.move_to("2026-06-10 10:00 +08:00")
    auth = token_for(inspector)
    r = _post(api_client, f"{BASE}/{row.pk}/cancel", {"note": "职工申请"}, auth)
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["active"] is False


def test_other_region_inspector_and_other_worker_get_404(api_client, token_for, other_inspector, worker, case,
                                                          li_na):
    row = make_registration(case, worker)
    for user in (other_inspector, IndividualUserFactory(person=li_na)):
        auth = token_for(user)
        assert api_client.get(f"{BASE}/{row.pk}", **auth).status_code == 404
        assert _post(api_client, f"{BASE}/{row.pk}/cancel", {}, auth).status_code == 404
        assert api_client.get(BASE, **auth).json()["count"] == 0


def test_employer_may_not_register(api_client, token_for, employer_user_a, case):
    r = _post(api_client, BASE, {"case_number": case.number, "reason": "referral", "region": "370100",
                                 "start_date": "2026-03-10"}, token_for(employer_user_a))
    assert r.status_code == 403


def test_staff_list_filters(api_client, token_for, inspector, worker, case):
    make_registration(case, worker)
    make_registration(case, worker, status="cancelled", treatment_region="370700", start_date=date(2025, 1, 1),
                      valid_until=date(2025, 12, 31))
    auth = token_for(inspector)
    assert api_client.get(BASE, **auth).json()["count"] == 2
    assert api_client.get(f"{BASE}?status=active", **auth).json()["count"] == 1
    assert api_client.get(f"{BASE}?treatment_region=370700", **auth).json()["count"] == 1
    assert api_client.get(f"{BASE}?active_on=2026-04-01", **auth).json()["count"] == 1
    assert api_client.get(f"{BASE}?status=bogus", **auth).status_code == 422
