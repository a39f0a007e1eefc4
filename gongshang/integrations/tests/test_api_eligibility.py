"""待遇领取资格认证 API under /api/v1/exchange/: the issue's paths, typed answers, error statuses in
the one format, and the database state behind them."""

import json

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import IndividualUserFactory, UserFactory
from gongshang.benefits.models import Entitlement
from gongshang.core.models import AuditEvent
from gongshang.integrations.models import Certification
from gongshang.integrations.services import eligibility_cycle as cycle

from .factories_eligibility import CertificationFactory, beneficiary, photo_upload, sample_photo_upload

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-09-10 10:00 +08:00")]
BASE = "/api/v1/exchange"
REGION = "370200"


def post(client, path, body, auth):
    return client.post(path, json.dumps(body), content_type="application/json", **auth)


@pytest.fixture
def people(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def worker(people, zhang_wei, employer_a):
    _case, monthly = beneficiary(zhang_wei, employer_a, *people, grade=3)
    return monthly


@pytest.fixture
def me(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile=zhang_wei.mobile)


def test_run_then_list_and_detail_masked(api_client, token_for, people, worker, li_na):
    auth = token_for(people[0])
    answer = api_client.post(f"{BASE}/certifications/run", **auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["opened"] == 1 and "新建认证 1 条" in answer.json()["summary"]
    CertificationFactory(region="370700", person_obj=li_na)  # another 统筹区's
    listing = api_client.get(f"{BASE}/certifications", **auth).json()
    assert listing["count"] == 1
    row = listing["items"][0]
    c = Certification.objects.get(region=REGION)
    assert (row["id"], row["beneficiary_name"], row["beneficiary_id_number"], row["due_on"], row["status"]) == (
        c.pk, "张*", "370202********1237", "2026-11-01", "due")
    assert row["days_left"] == 52
    detail = api_client.get(f"{BASE}/certifications/{c.pk}", **auth).json()
    assert detail["mobile"] == "139****0001" and set(detail["actions"]) == {"view", "confirm", "run"}
    assert api_client.get(f"{BASE}/certifications?id_number=370202198803151237", **auth).json()["count"] == 1
    assert api_client.get(f"{BASE}/certifications?view=lapsed", **auth).json()["count"] == 0
    assert api_client.get(f"{BASE}/certifications?status=unknown", **auth).status_code == 422
    other = Certification.objects.get(region="370700")
    answer = api_client.get(f"{BASE}/certifications/{other.pk}", **auth)
    assert answer.status_code == 404 and set(answer.json()) == {"code", "message", "details"}


def test_the_beneficiary_certifies_on_the_phone(api_client, token_for, people, worker, me):
    cycle.run_cycle(region=REGION)
    auth = token_for(me)
    mine = api_client.get(f"{BASE}/me/certification", **auth).json()
    assert mine["can_certify"] is True and mine["certification"]["status"] == "due" and "2026年11月1日" in mine["message"]
    answer = api_client.post(f"{BASE}/me/certification", {"photo": sample_photo_upload()}, **auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["certification"]["status"] == "submitted" and answer.json()["can_certify"] is False
    assert Certification.objects.get().photo.sha256
    again = api_client.post(f"{BASE}/me/certification", {"photo": photo_upload()}, **auth)
    assert again.status_code == 409 and again.json()["code"] == "exchange_certification_none"


def test_photo_refusals_are_typed_and_store_nothing(api_client, token_for, worker, me):
    cycle.run_cycle(region=REGION)
    auth = token_for(me)
    missing = api_client.post(f"{BASE}/me/certification", {}, **auth)
    assert missing.status_code == 422 and missing.json()["details"][0]["field"] == "photo"
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = api_client.post(f"{BASE}/me/certification", {"photo": SimpleUploadedFile("a.jpg", b"hello")}, **auth)
    assert text.status_code == 415 and "JPEG" in text.json()["message"]
    small = api_client.post(f"{BASE}/me/certification", {"photo": photo_upload(width=100, height=100)}, **auth)
    assert small.status_code == 422 and small.json()["code"] == "exchange_certification_photo_small"
    assert Certification.objects.get().status == "due" and Certification.objects.get().photo_id is None


def test_review_confirm_and_reject(api_client, token_for, people, worker, me):
    cycle.run_cycle(region=REGION)
    api_client.post(f"{BASE}/me/certification", {"photo": photo_upload()}, **token_for(me))
    c = Certification.objects.get()
    auth = token_for(people[1])
    bad = post(api_client, f"{BASE}/certifications/{c.pk}/review", {"decision": "reject"}, auth)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "reason"
    unknown = post(api_client, f"{BASE}/certifications/{c.pk}/review", {"decision": "confirm", "x": 1}, auth)
    assert unknown.status_code == 422
    answer = post(api_client, f"{BASE}/certifications/{c.pk}/review", {"decision": "confirm"}, auth)
    assert answer.status_code == 200 and answer.json()["status"] == "confirmed"
    assert answer.json()["method"] == "self_service" and Certification.objects.get().reviewed_by == people[1]
    again = post(api_client, f"{BASE}/certifications/{c.pk}/review", {"decision": "reject", "reason": "不是本人"}, auth)
    assert again.status_code == 409 and again.json()["code"] == "exchange_invalid_transition"
    assert Certification.objects.get().status == "confirmed"


def test_window_confirm_resumes_a_lapsed_beneficiary(api_client, token_for, people, worker, time_machine):
    cycle.run_cycle(region=REGION)
    time_machine.move_to("2026-11-02 09:00 +08:00")
    cycle.run_cycle(region=REGION)
    c = Certification.objects.get()
    auth = token_for(people[0])
    answer = post(api_client, f"{BASE}/certifications/{c.pk}/confirm", {"note": "本人持身份证到窗口"}, auth)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["method"], body["suspended_entitlements"]) == ("confirmed", "window", 1)
    assert body["entitlements"] == [{"id": worker[0].pk, "benefit_type_label": "伤残津贴", "status": "active",
                                     "status_label": "享受中", "amount": "4800.00"}]
    assert Entitlement.objects.get(pk=worker[0].pk).status == "active"


def test_an_institution_confirms_in_person_and_cannot_browse(api_client, token_for, worker, zhang_wei):
    from gongshang.medical.tests.factories import InstitutionFactory

    cycle.run_cycle(region=REGION)
    inst = UserFactory(kind="institution", username="inst-api")
    InstitutionFactory(region=REGION, name="青岛市市立医院").api_clients.add(inst)
    auth = token_for(inst)
    c = Certification.objects.get()
    assert api_client.get(f"{BASE}/certifications", **auth).json()["count"] == 0
    assert api_client.get(f"{BASE}/certifications/{c.pk}", **auth).status_code == 404
    wrong = post(api_client, f"{BASE}/certifications/institution-confirm",
                 {"id_number": zhang_wei.id_number, "name": "张玮"}, auth)
    assert wrong.status_code == 404 and wrong.json()["code"] == "exchange_certification_not_found"
    answer = post(api_client, f"{BASE}/certifications/institution-confirm",
                  {"id_number": zhang_wei.id_number, "name": "张伟"}, auth)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"id": c.pk, "year": 2026, "beneficiary_name": "张*", "status": "confirmed",
                             "status_label": "已认证", "method_label": "定点机构协助认证",
                             "confirmed_at": answer.json()["confirmed_at"], "resumed": False}
    listing = api_client.get(f"{BASE}/certifications?view=all", **auth).json()  # now it sees the one it confirmed
    assert [row["institution"] for row in listing["items"]] == ["青岛市市立医院"]
    assert AuditEvent.objects.get(event_type="integrations.certification_confirmed").actor == inst


def test_who_may_do_what(api_client, token_for, staff_factory, people, worker, me):
    cycle.run_cycle(region=REGION)
    c = Certification.objects.get()
    intake = token_for(staff_factory(StaffRole.INTAKE))
    assert api_client.get(f"{BASE}/certifications", **intake).status_code == 403
    assert api_client.post(f"{BASE}/certifications/run", **intake).status_code == 403
    mine = token_for(me)
    assert api_client.post(f"{BASE}/certifications/run", **mine).status_code == 403
    assert post(api_client, f"{BASE}/certifications/{c.pk}/review", {"decision": "confirm"}, mine).status_code == 403
    assert api_client.get(f"{BASE}/certifications/{c.pk}", **mine).status_code == 200  # their own
    staff = token_for(people[0])
    assert api_client.get(f"{BASE}/me/certification", **staff).status_code == 403
    assert api_client.get(f"{BASE}/certifications").status_code == 401
    assert Certification.objects.get().status == "due"


def test_an_institution_sees_no_benefit_amounts_or_mobile_of_the_one_it_confirmed(api_client, token_for, people, worker,
                                                                                 zhang_wei, time_machine):
    """It confirmed a person present; what the fund pays them and their mobile are not its business."""
    from gongshang.medical.tests.factories import InstitutionFactory

    cycle.run_cycle(region=REGION)
    time_machine.move_to("2026-11-02 09:00 +08:00")
    cycle.run_cycle(region=REGION)
    inst = UserFactory(kind="institution", username="inst-api-detail")
    InstitutionFactory(region=REGION).api_clients.add(inst)
    auth = token_for(inst)
    answer = post(api_client, f"{BASE}/certifications/institution-confirm",
                  {"id_number": zhang_wei.id_number, "name": "张伟"}, auth)
    assert answer.status_code == 200 and answer.json()["resumed"] is True
    c = Certification.objects.get()
    detail = api_client.get(f"{BASE}/certifications/{c.pk}", **auth)
    assert detail.status_code == 200
    body = detail.json()
    assert (body["entitlements"], body["mobile"], body["reminders"]) == ([], None, [])
    assert (body["status"], body["beneficiary_name"]) == ("confirmed", "张*")
    assert Entitlement.objects.get(pk=worker[0].pk).status == "active"
    staff = api_client.get(f"{BASE}/certifications/{c.pk}", **token_for(people[0]))
    assert staff.json()["entitlements"][0]["amount"] == "4800.00"  # the agency still sees them
