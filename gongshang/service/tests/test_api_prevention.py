"""工伤预防 API: status, body and database state; the cap refusal; the project path to payment;
another 统筹区's plan answers 404, a role without the action 403."""

import json
from decimal import Decimal

import pytest

from gongshang.service.models import FundIncome, PreventionPlan, PreventionProject

from .factories_prevention import (
    PlanFactory,
    PreventionStaffFactory,
    ProjectFactory,
    session_with_scores,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
BASE = "/api/v1/service/prevention"


def _post(client, url, auth, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **auth)


@pytest.fixture
def county():
    return PreventionStaffFactory(display_name="李预防")


@pytest.fixture
def city():
    return PreventionStaffFactory(display_name="赵市预防")


def test_plan_flow_with_cap_refusal(api_client, token_for, county, city):
    a, b = token_for(county), token_for(city)
    answer = _post(api_client, f"{BASE}/fund-income", a, {"year": 2025, "contribution_income": "10000000.00"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"region": "370200", "year": 2025, "contribution_income": "10000000.00", "source": ""}
    assert FundIncome.objects.get().contribution_income == Decimal("10000000.00")        # cap 300,000.00

    created = _post(api_client, f"{BASE}/plans", a, {"county": "370202", "year": 2026, "title": "市南区计划",
                                                      "budget": "300000.01"})
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["county_name"] == "市南区"
    assert _post(api_client, f"{BASE}/plans/{plan_id}/submit", a).json()["status"] == "submitted"

    refused = _post(api_client, f"{BASE}/plans/{plan_id}/approve", b)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "prevention_budget_over_cap" and "超出0.01元" in body["message"]
    assert body["details"]["cap"] == "300000.00"
    assert PreventionPlan.objects.get(pk=plan_id).status == "submitted"

    own = _post(api_client, f"{BASE}/plans/{plan_id}/approve", a)          # the submitter
    assert own.status_code == 403 and own.json()["code"] == "forbidden"

    returned = _post(api_client, f"{BASE}/plans/{plan_id}/return", b, {"reason": "请调减预算"})
    assert returned.status_code == 200 and returned.json()["return_reason"] == "请调减预算"
    edited = api_client.put(f"{BASE}/plans/{plan_id}", json.dumps({"title": "市南区计划", "budget": "300000.00"}),
                            content_type="application/json", **a)
    assert edited.status_code == 200 and edited.json()["budget"] == "300000.00"
    _post(api_client, f"{BASE}/plans/{plan_id}/submit", a)
    approved = _post(api_client, f"{BASE}/plans/{plan_id}/approve", b)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "赵市预防"
    cap = api_client.get(f"{BASE}/cap?year=2026", **a).json()
    assert cap == {"year": 2026, "income_year": 2025, "income": "10000000.00", "percent": "3.00", "cap": "300000.00",
                   "approved": "300000.00", "remaining": "0.00"}


def test_bad_input_answers_422_naming_the_field(api_client, token_for, county):
    auth = token_for(county)
    answer = _post(api_client, f"{BASE}/plans", auth, {"county": "370202", "year": 2026, "title": "x",
                                                       "budget": "一百万"})
    assert answer.status_code == 422
    assert answer.json()["details"][0]["field"] == "budget"
    unknown = _post(api_client, f"{BASE}/plans", auth, {"county": "370202", "year": 2026, "title": "x",
                                                        "budget": "1", "extra": 1})
    assert unknown.status_code == 422
    assert not PreventionPlan.objects.exists()


def test_approve_without_income_is_422(api_client, token_for, county, city):
    plan = PlanFactory(status="submitted", submitted_by=county)
    answer = _post(api_client, f"{BASE}/plans/{plan.pk}/approve", token_for(city))
    assert answer.status_code == 422 and answer.json()["code"] == "prevention_income_missing"


def test_project_path_to_payment(api_client, token_for, county, city):
    a, b = token_for(county), token_for(city)
    plan = PlanFactory(status="approved", budget=Decimal("500000.00"))
    over = _post(api_client, f"{BASE}/plans/{plan.pk}/projects", a, {"title": "培训", "kind": "training",
                                                                     "budget": "500000.01"})
    assert over.status_code == 422 and over.json()["code"] == "prevention_project_over_plan"
    created = _post(api_client, f"{BASE}/plans/{plan.pk}/projects", a, {"title": "危化品企业工伤预防培训",
                                                                        "kind": "training", "budget": "200000"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert _post(api_client, f"{BASE}/projects/{pk}/approve", a).json()["status"] == "approved"
    contract = _post(api_client, f"{BASE}/projects/{pk}/contract", a, {"contractor": "安培中心", "contract_no": "HT-01",
                                                                       "contract_amount": "150000.00"})
    assert contract.status_code == 200 and contract.json()["contract_amount"] == "150000.00"
    assert _post(api_client, f"{BASE}/projects/{pk}/deliver", a).json()["status"] == "delivered"
    assert _post(api_client, f"{BASE}/projects/{pk}/accept", a).json()["accepted_by"] == "李预防"
    none = _post(api_client, f"{BASE}/projects/{pk}/evaluate", a)
    assert none.status_code == 409 and none.json()["code"] == "prevention_no_evaluations"
    session_with_scores(PreventionProject.objects.get(pk=pk), [75, 72], trainees=2)     # 73.50 → 80%
    evaluated = _post(api_client, f"{BASE}/projects/{pk}/evaluate", a).json()
    assert (evaluated["evaluation_score"], evaluated["payable_amount"]) == ("73.50", "120000.00")
    assert _post(api_client, f"{BASE}/projects/{pk}/pay", a).status_code == 403          # the acceptor
    paid = _post(api_client, f"{BASE}/projects/{pk}/pay", b)
    assert paid.status_code == 200 and paid.json()["status"] == "paid" and paid.json()["paid_by"] == "赵市预防"
    assert _post(api_client, f"{BASE}/projects/{pk}/pay", b).status_code == 409
    row = PreventionProject.objects.get(pk=pk)
    assert row.status == "paid" and row.paid_by.display_name == "赵市预防" and row.paid_at is not None

    report = api_client.get(f"{BASE}/report?year=2026", **a).json()
    county_row, = report["counties"]
    assert (county_row["budget"], county_row["approved"], county_row["contracted"], county_row["paid"]) == (
        "500000.00", "200000.00", "150000.00", "120000.00")
    assert county_row["spend_percent"] == "24.0" and county_row["projects"] == {"已拨付": 1}
    assert (county_row["sessions"], county_row["trainees"]) == (1, 2)


def test_another_region_answers_404_and_roles_403(api_client, token_for, county, staff_factory):
    other = PlanFactory(region="370700", county="370702")
    project = ProjectFactory(plan=other)
    auth = token_for(county)
    assert api_client.get(f"{BASE}/plans/{other.pk}", **auth).status_code == 404
    assert api_client.get(f"{BASE}/projects/{project.pk}", **auth).status_code == 404
    assert _post(api_client, f"{BASE}/plans/{other.pk}/projects", auth,
                 {"title": "x", "kind": "training", "budget": "1"}).status_code == 404
    assert api_client.get(f"{BASE}/plans", **auth).json()["count"] == 0
    leader = token_for(staff_factory("leader"))
    mine = PlanFactory()
    assert api_client.get(f"{BASE}/plans/{mine.pk}", **leader).status_code == 200
    assert _post(api_client, f"{BASE}/plans/{mine.pk}/submit", leader).status_code == 403
    hotline = token_for(staff_factory("hotline"))
    assert api_client.get(f"{BASE}/plans", **hotline).status_code == 403
    assert PreventionPlan.objects.get(pk=mine.pk).status == "draft"


def test_priority_industries_from_the_regions_cases(api_client, token_for, county):
    from gongshang.medical.tests.factories import AccidentFactory, InjuryCaseFactory
    from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

    builder = EmployerFactory(uscc="91370200MA3C5UWK4C", industry="E", rate_class=4)
    shop = EmployerFactory(uscc="91370211MA3D8QXL2Y", industry="F", rate_class=1)
    for n in range(2):
        EnrolmentFactory(employer=builder, person=InsuredPersonFactory(id_number=f"37020219880315{n}23X"[:18]))
    for employer, n in ((builder, 3), (shop, 1)):
        for _ in range(n):
            InjuryCaseFactory(employer=employer, accident=AccidentFactory(employer=employer))
    answer = api_client.get(f"{BASE}/priority-industries", **token_for(county))
    assert answer.status_code == 200, answer.content
    rows = answer.json()
    assert rows[0]["industry_label"] == "建筑业" and rows[0]["rate_class"] == 4 and rows[0]["cases"] == 3
    assert rows[0]["insured"] == 2 and rows[0]["rate_per_thousand"] == "1500.00"
    assert rows[1]["industry"] == "F" and rows[1]["rate_per_thousand"] is None
