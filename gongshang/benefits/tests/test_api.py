"""Entitlement and payroll-run endpoints: status, body, database state, permissions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Payment, PayrollRun

from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/benefits"


def test_entitlements_by_case(api_client, token_for, people, two_cases, staff_factory):  # noqa: F811
    maker, _ = people
    response = api_client.get(f"{BASE}/entitlements?case={two_cases[0].pk}", **token_for(maker))
    assert response.status_code == 200
    body = response.json()
    assert {e["benefit_type"] for e in body} == {"one_time_disability_subsidy", "disability_allowance"}
    assert body[0]["amount"] in {"138000.00", "4800.00"} and body[0]["case_number"] == two_cases[0].number
    other = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370100")
    assert api_client.get(f"{BASE}/entitlements?case={two_cases[0].pk}", **token_for(other)).json() == []
    assert api_client.get(f"{BASE}/entitlements").status_code == 401


def test_payroll_run_lifecycle(api_client, token_for, people, two_cases):  # noqa: F811
    maker, checker = people
    m, c = token_for(maker), token_for(checker)
    response = api_client.post(f"{BASE}/payroll-runs", {"period": "2025-11"}, content_type="application/json", **m)
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    body = response.json()
    assert (body["id"], body["status"], body["release_deadline"], body["overdue"]) == (
        run_id, "computed", "2025-11-20", True)
    body = api_client.get(f"{BASE}/payroll-runs/{run_id}", **m).json()
    assert body["total"] == {"count": 5, "amount": "397900.00"}
    assert {r["payer"] for r in body["by_payer"]} == {"fund"}
    assert any(r["benefit_type"] == "nursing_allowance" and r["amount"] == "4000.00" for r in body["by_benefit_type"])
    again = api_client.post(f"{BASE}/payroll-runs", {"period": "2025-11"}, content_type="application/json", **m)
    assert again.status_code == 409 and again.json()["details"]["id"] == run_id
    assert api_client.post(f"{BASE}/payroll-runs/{run_id}/approve", **m).status_code == 403  # the maker
    assert api_client.post(f"{BASE}/payroll-runs/{run_id}/approve", **c).json()["status"] == "approved"
    assert api_client.post(f"{BASE}/payroll-runs/{run_id}/release", **c).status_code == 403  # the approver
    assert api_client.post(f"{BASE}/payroll-runs/{run_id}/release", **m).json()["status"] == "released"
    csv_text = api_client.get(f"{BASE}/payroll-runs/{run_id}/bank-file", **m).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()[1:]
    back = "支付流水号,金额,结果,失败原因\n" + "\n".join(
        f"{line.split(',')[0]},{line.split(',')[4]},成功," for line in lines)
    upload = SimpleUploadedFile("back.csv", back.encode())
    response = api_client.post(f"{BASE}/payroll-runs/{run_id}/bank-return", {"file": upload}, **m)
    assert response.status_code == 200, response.content
    assert response.json()["paid"] == {"count": 5, "amount": "397900.00"}
    assert response.json()["run_status"] == "reconciled"
    assert set(Payment.objects.values_list("status", flat=True)) == {"paid"}
    xlsx = api_client.get(f"{BASE}/payroll-runs/{run_id}/bank-file?format=xlsx", **m)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_payroll_permissions_and_bad_input(api_client, token_for, people, two_cases, staff_factory,  # noqa: F811
                                           employer_user_a):
    maker, _ = people
    m = token_for(maker)
    bad = api_client.post(f"{BASE}/payroll-runs", {"period": "11/2025"}, content_type="application/json", **m)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "period"
    missing = api_client.post(f"{BASE}/payroll-runs", {}, content_type="application/json", **m)
    assert missing.status_code == 422
    intake = token_for(staff_factory(StaffRole.INTAKE))
    assert api_client.post(f"{BASE}/payroll-runs", {"period": "2025-11"}, content_type="application/json",
                           **intake).status_code == 403
    run_id = api_client.post(f"{BASE}/payroll-runs", {"period": "2025-11"}, content_type="application/json",
                             **m).json()["id"]
    other = token_for(staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370100"))
    assert api_client.get(f"{BASE}/payroll-runs/{run_id}", **other).status_code == 404
    assert api_client.post(f"{BASE}/payroll-runs/{run_id}/approve", **other).status_code == 404
    assert api_client.get(f"{BASE}/payroll-runs/{run_id}", **token_for(employer_user_a)).status_code == 403
    assert api_client.post(f"{BASE}/payroll-runs/{run_id}/bank-return", **m).status_code in (409, 422)
    assert PayrollRun.objects.count() == 1
