"""API of 死亡信息 and 多发待遇追回: status, body and database state; the one error format."""

from datetime import date

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.services import payroll

from ..choices import DeathStatus, RecoveryStatus
from ..fakes import civil
from ..models import DeathRecord, Overpayment
from .factories_deaths import *  # noqa: F403 (the fixtures: reviewers, worker)
from .factories_deaths import DeathRecordFactory, death_of, release, report

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
API = "/api/v1/exchange"


@pytest.fixture
def death(reviewers, worker, zhang_wei):
    """张伟 reported dead on 2025-11-20 after December was paid and with January computed."""
    maker, checker = reviewers
    release(maker, checker, "2025-11")
    release(maker, checker, "2025-12")
    payroll.run_create(actor=maker, period="2026-01", background=False)
    report(death_of(zhang_wei, date(2025, 11, 20)))
    return DeathRecord.objects.get()


@pytest.fixture
def ben(reviewers, token_for):
    return token_for(reviewers[1])


def test_list_masks_and_puts_the_waiting_first(api_client, ben, death):
    DeathRecordFactory(name="周立平", status=DeathStatus.UNMATCHED)
    DeathRecordFactory(region="370700", name="外地人")
    response = api_client.get(f"{API}/deaths", **ben)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and [i["status"] for i in body["items"]] == ["applied", "unmatched"]
    first = body["items"][0]
    assert first["name"] == "张*" and first["id_number"] == "370202********1237"
    assert (first["suspended"], first["withdrawn"], first["overpayments"]) == (1, 1, 1)
    assert first["source_label"] == "民政局（殡葬、死亡登记）" and first["created_at"].endswith("+08:00")
    filtered = api_client.get(f"{API}/deaths?status=unmatched&source=civil_affairs", **ben).json()
    assert [i["name"] for i in filtered["items"]] == ["周**"]
    bad = api_client.get(f"{API}/deaths?status=dead", **ben)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "status"


def test_detail_tells_everything_the_death_did(api_client, ben, death, worker):
    case, allowance = worker
    body = api_client.get(f"{API}/deaths/{death.pk}", **ben).json()
    assert body["name"] == "张伟" and body["id_number"] == "370202********1237" and body["death_date"] == "2025-11-20"
    assert body["actions"] == ["confirm", "refute", "view"]
    assert [(e["id"], e["effect"], e["status"]) for e in body["entitlements"]] == [
        (allowance.pk, "suspended", "active")]
    assert body["entitlements"][0]["end_month"] == "2025-11"
    assert [(w["period"], w["run_period"]) for w in body["withdrawn_payments"]] == [("2026-01", "2026-01")]
    assert [(o["period"], o["status"], o["amount"]) for o in body["overpayment_rows"]] == [
        ("2025-12", "open", f"{allowance.amount:.2f}")]
    [route] = body["routes"]
    assert (route["case_number"], route["code"], route["grade"]) == (case.number, "grade_1_to_4", 3)
    assert route["items"] == ["丧葬补助金", "供养亲属抚恤金"] and route["basis"].endswith("第三十九条第三款")


def test_the_exchange_administrator_sees_the_record_not_the_money(api_client, token_for, staff_factory, death):
    headers = token_for(staff_factory(StaffRole.EXCHANGE))
    body = api_client.get(f"{API}/deaths/{death.pk}", **headers).json()
    assert body["overpayment_rows"] == [] and body["withdrawn_payments"] == [] and body["overpayments"] == 1
    assert body["actions"] == ["view"]
    refused = api_client.post(f"{API}/deaths/{death.pk}/confirm", {}, content_type="application/json", **headers)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert api_client.get(f"{API}/overpayments", **headers).status_code == 403
    assert DeathRecord.objects.get().status == DeathStatus.APPLIED


def test_confirm_then_confirm_again(api_client, ben, death, worker):
    _case, allowance = worker
    response = api_client.post(f"{API}/deaths/{death.pk}/confirm", {"note": "已核对火化证明"},
                               content_type="application/json", **ben)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "confirmed" and body["note"] == "已核对火化证明" and body["actions"] == ["view"]
    assert body["entitlements"][0]["status"] == "stopped" and body["entitlements"][0]["end_month"] == "2025-11"
    allowance.refresh_from_db()
    assert (allowance.status, allowance.stop_reason) == ("stopped", "death")
    again = api_client.post(f"{API}/deaths/{death.pk}/confirm", {}, content_type="application/json", **ben)
    assert again.status_code == 409 and again.json()["code"] == "exchange_invalid_transition"


def test_refute_needs_a_note_and_then_resumes(api_client, ben, death, worker):
    _case, allowance = worker
    url = f"{API}/deaths/{death.pk}/refute"
    missing = api_client.post(url, {}, content_type="application/json", **ben)
    assert missing.status_code == 422 and missing.json()["details"][0]["field"] == "note"
    blank = api_client.post(url, {"note": "   "}, content_type="application/json", **ben)
    assert blank.status_code == 422 and blank.json()["details"][0]["field"] == "note"
    assert "核实情况" in blank.json()["details"][0]["message"]
    unknown = api_client.post(url, {"note": "健在", "force": True}, content_type="application/json", **ben)
    assert unknown.status_code == 422
    assert DeathRecord.objects.get().status == DeathStatus.APPLIED
    response = api_client.post(url, {"note": "经社区核实，本人健在"}, content_type="application/json", **ben)
    assert response.status_code == 200 and response.json()["status"] == "refuted"
    allowance.refresh_from_db()
    assert allowance.status == "active" and Overpayment.objects.get().status == RecoveryStatus.WAIVED


def test_another_regions_record_answers_404(api_client, token_for, staff_factory, death):
    elsewhere = token_for(staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370700"))
    assert api_client.get(f"{API}/deaths/{death.pk}", **elsewhere).status_code == 404
    response = api_client.post(f"{API}/deaths/{death.pk}/refute", {"note": "x"}, content_type="application/json",
                               **elsewhere)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    overpaid = Overpayment.objects.get()
    assert api_client.post(f"{API}/overpayments/{overpaid.pk}/waive", {"note": "x"}, content_type="application/json",
                           **elsewhere).status_code == 404
    assert api_client.get(f"{API}/deaths", **elsewhere).json() == {"items": [], "count": 0}


def test_anonymous_callers_get_401(api_client, death):
    response = api_client.get(f"{API}/deaths")
    assert response.status_code == 401 and set(response.json()) == {"code", "message", "details"}


def test_overpayments_recover_after_the_confirmation_or_waive(api_client, ben, death):
    overpaid = Overpayment.objects.get()
    listed = api_client.get(f"{API}/overpayments?status=open", **ben).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "张*"
    assert listed["items"][0]["actions"] == ["recover", "view", "waive"]
    early = api_client.post(f"{API}/overpayments/{overpaid.pk}/recover", {"note": "银行退回"},
                            content_type="application/json", **ben)
    assert early.status_code == 409 and early.json()["code"] == "exchange_death_unconfirmed"
    assert "核实" in early.json()["message"]
    api_client.post(f"{API}/deaths/{death.pk}/confirm", {}, content_type="application/json", **ben)
    response = api_client.post(f"{API}/overpayments/{overpaid.pk}/recover", {"note": "2026-03-09 银行退回"},
                               content_type="application/json", **ben)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("recovered", "2026-03-09 银行退回")
    assert Overpayment.objects.get().status == RecoveryStatus.RECOVERED
    again = api_client.post(f"{API}/overpayments/{overpaid.pk}/waive", {"note": "x"}, content_type="application/json",
                            **ben)
    assert again.status_code == 409
    assert api_client.get(f"{API}/overpayments?death_id={death.pk}&status=recovered", **ben).json()["count"] == 1


def test_waive_needs_a_note(api_client, ben, death):
    overpaid = Overpayment.objects.get()
    url = f"{API}/overpayments/{overpaid.pk}/waive"
    blank = api_client.post(url, {"note": ""}, content_type="application/json", **ben)
    assert blank.status_code == 422 and blank.json()["details"] == [
        {"field": "note", "message": "请填写说明：核销的原因和依据"}]
    response = api_client.post(url, {"note": "继承人无力偿还，经批准核销"}, content_type="application/json", **ben)
    assert response.status_code == 200 and Overpayment.objects.get().status == RecoveryStatus.WAIVED


def test_the_sample_people_show_up_unmatched(api_client, ben, db):
    report(*[civil.Death(d.id_number, d.name, date(2026, 2, 1)) for d in civil.SAMPLE_DEATHS])
    body = api_client.get(f"{API}/deaths?status=unmatched", **ben).json()
    assert body["count"] == 4 and all("*" in i["id_number"] for i in body["items"])
