"""工伤预防 pages: the plans page with the cap and the forms, a plan's actions (the submitter is
offered no 批准), the project page's buttons by status, the report and its CSV; another 统筹区's
plan answers 404, a role without the action 403."""

from decimal import Decimal

import pytest
from django.test import Client

from gongshang.service.models import FundIncome, PreventionPlan, PreventionProject

from .factories_prevention import (
    FundIncomeFactory,
    PlanFactory,
    PreventionStaffFactory,
    session_with_scores,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county():
    return PreventionStaffFactory(display_name="李预防")


@pytest.fixture
def city():
    return PreventionStaffFactory(display_name="赵市预防")


def test_plans_page_shows_the_cap_and_creates_a_draft(county):
    FundIncomeFactory(contribution_income=Decimal("50000000.00"))
    c = _client(county)
    page = c.get("/service/prevention/plans/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "上限 <strong>1500000.00</strong> 元" in text and "保存征缴收入" in text and "该年度还没有计划" in text
    bad = c.post("/service/prevention/plans/new/", {"plan-county": "370202", "plan-year": "2026", "plan-title": "市南区",
                                                    "plan-budget": "12.345"})
    assert bad.status_code == 422 and "最多两位小数" in bad.content.decode()
    assert 'value="市南区"' in bad.content.decode()                       # what was typed is kept
    assert not PreventionPlan.objects.exists()
    done = c.post("/service/prevention/plans/new/", {"plan-county": "370202", "plan-year": "2026",
                                                     "plan-title": "市南区计划", "plan-budget": "900000"})
    plan = PreventionPlan.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/service/prevention/plans/{plan.pk}/"
    assert (plan.status, plan.budget) == ("draft", Decimal("900000.00"))


def test_fund_income_form(county):
    c = _client(county)
    answer = c.post("/service/prevention/fund-income/", {"income-year": "2025", "income-contribution_income": "80000000",
                                                         "income-source": "2025 年基金决算"})
    assert answer.status_code == 302 and answer["Location"].endswith("?year=2026")
    assert FundIncome.objects.get(region="370200", year=2025).contribution_income == Decimal("80000000.00")
    bad = c.post("/service/prevention/fund-income/", {"income-year": "2025", "income-contribution_income": "-5"})
    assert bad.status_code == 422 and "应大于0元" in bad.content.decode()


def test_plan_page_actions_follow_the_status_and_the_person(county, city):
    FundIncomeFactory()
    plan = PlanFactory(created_by=county)
    c, d = _client(county), _client(city)
    page = c.get(f"/service/prevention/plans/{plan.pk}/").content.decode()
    assert "报市级审批" in page and "保存修改" in page and "批准</button>" not in page
    assert c.post(f"/service/prevention/plans/{plan.pk}/submit/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.submitted_by == county
    mine = c.get(f"/service/prevention/plans/{plan.pk}/").content.decode()
    assert "批准</button>" not in mine and "退回修改" not in mine
    assert c.post(f"/service/prevention/plans/{plan.pk}/approve/").status_code == 403
    theirs = d.get(f"/service/prevention/plans/{plan.pk}/").content.decode()
    assert "批准</button>" in theirs and "data-confirm" in theirs
    empty = d.post(f"/service/prevention/plans/{plan.pk}/return/", {})
    assert empty.status_code == 422 and "请填写退回原因。" in empty.content.decode()
    follow = d.post(f"/service/prevention/plans/{plan.pk}/approve/", follow=True)
    assert "已批准" in follow.content.decode()
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.decided_by == city


def test_over_cap_is_shown_and_nothing_changes(county, city):
    FundIncomeFactory(contribution_income=Decimal("1000000.00"))           # cap 30,000.00
    plan = PlanFactory(status="submitted", submitted_by=county, budget=Decimal("30000.01"))
    answer = _client(city).post(f"/service/prevention/plans/{plan.pk}/approve/", follow=True)
    assert "超出0.01元" in answer.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_project_page_from_proposal_to_payment(county, city):
    plan = PlanFactory(status="approved", budget=Decimal("300000.00"))
    c, d = _client(county), _client(city)
    created = c.post(f"/service/prevention/plans/{plan.pk}/projects/new/", {
        "project-title": "建筑工地工伤预防培训", "project-kind": "training", "project-budget": "300000.01"})
    assert created.status_code == 422 and "剩余300000.00元" in created.content.decode()
    created = c.post(f"/service/prevention/plans/{plan.pk}/projects/new/", {
        "project-title": "建筑工地工伤预防培训", "project-kind": "training", "project-budget": "100000"})
    project = PreventionProject.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/service/prevention/projects/{project.pk}/"
    assert "立项</button>" in c.get(created["Location"]).content.decode()
    c.post(f"/service/prevention/projects/{project.pk}/approve/")
    bad = c.post(f"/service/prevention/projects/{project.pk}/contract/", {
        "contract-contractor": "安培中心", "contract-contract_no": "HT-1", "contract-contract_amount": "100000.01"})
    assert bad.status_code == 422 and "不能超过项目预算" in bad.content.decode()
    c.post(f"/service/prevention/projects/{project.pk}/contract/", {
        "contract-contractor": "安培中心", "contract-contract_no": "HT-1", "contract-contract_amount": "100000"})
    c.post(f"/service/prevention/projects/{project.pk}/deliver/")
    c.post(f"/service/prevention/projects/{project.pk}/accept/")
    session_with_scores(project, [95], trainees=4)
    c.post(f"/service/prevention/projects/{project.pk}/evaluate/")
    page = c.get(f"/service/prevention/projects/{project.pk}/").content.decode()
    assert "95.00 分" in page and "100000.00 元" in page and "拨付</button>" not in page   # the acceptor
    theirs = d.get(f"/service/prevention/projects/{project.pk}/").content.decode()
    assert "向安培中心拨付 100000.00 元" in theirs
    assert d.post(f"/service/prevention/projects/{project.pk}/pay/").status_code == 302
    project.refresh_from_db()
    assert (project.status, project.paid_by) == ("paid", city)
    report = c.get("/service/prevention/report/?year=2026").content.decode()
    assert "已拨付 100000.00 元" in report and "1 班次、4 人次" in report
    csv = c.get("/service/prevention/report.csv?year=2026")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("县（市、区）,计划状态") and "100000.00" in lines[1] and lines[-1].startswith("合计")


def test_scope_and_roles(county, staff_factory):
    other = PlanFactory(region="370700", county="370702")
    c = _client(county)
    assert c.get(f"/service/prevention/plans/{other.pk}/").status_code == 404
    assert c.post(f"/service/prevention/plans/{other.pk}/submit/").status_code == 404
    other.refresh_from_db()
    assert other.status == "draft"
    leader = _client(staff_factory("leader"))
    mine = PlanFactory()
    page = leader.get(f"/service/prevention/plans/{mine.pk}/")
    assert page.status_code == 200 and "报市级审批" not in page.content.decode()
    assert leader.post(f"/service/prevention/plans/{mine.pk}/submit/").status_code == 403
    assert leader.get("/service/prevention/report/").status_code == 200
    cooperator = _client(staff_factory("cooperator"))
    assert cooperator.get("/service/prevention/projects/").status_code == 200
    assert cooperator.get("/service/prevention/report/").status_code == 403
    assert _client(staff_factory("hotline")).get("/service/prevention/plans/").status_code == 403
    assert Client().get("/service/prevention/plans/").status_code == 302
