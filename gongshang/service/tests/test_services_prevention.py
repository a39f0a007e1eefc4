"""工伤预防 services: the cap on approval (422 and nothing saved over it), two persons for approve and
pay, a project within its plan's budget and its path from proposal to payment."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent
from gongshang.service.models import FundIncome, PreventionPlan, PreventionProject, ServiceSetting
from gongshang.service.services import prevention as services

from .factories_prevention import (
    FundIncomeFactory,
    PlanFactory,
    PreventionStaffFactory,
    ProjectFactory,
    session_with_scores,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture
def county():
    return PreventionStaffFactory(display_name="李预防")


@pytest.fixture
def city():
    return PreventionStaffFactory(display_name="赵市预防")


def _submitted(county, budget, code="370202"):
    plan = services.plan_create(actor=county, county=code, year=2026, title=f"{code} 2026 年计划", budget=budget)
    return services.plan_submit(actor=county, plan=plan)


def test_plan_create_validates_and_saves_a_draft(county):
    with pytest.raises(FieldErrors) as err:
        services.plan_create(actor=county, county="370702", year=2026, title="外地", budget="10")
    assert "county" in err.value.errors
    with pytest.raises(FieldErrors) as err:
        services.plan_create(actor=county, county="370202", year=2026, title="计划", budget="10.001")
    assert "两位小数" in err.value.errors["budget"]
    assert not PreventionPlan.objects.exists()
    plan = services.plan_create(actor=county, county="370202", year=2026, title="市南区计划", budget="800000")
    assert (plan.status, plan.budget, plan.region, plan.created_by) == ("draft", Decimal("800000.00"), "370200", county)
    with pytest.raises(FieldErrors) as err:
        services.plan_create(actor=county, county="370202", year=2026, title="重复", budget="1")
    assert "已经存在" in err.value.errors["county"]
    # 市本级: the 统筹区 itself.
    assert services.plan_create(actor=county, county="370200", year=2026, title="市本级", budget="1").county == "370200"


def test_approve_without_last_years_income_is_refused(county, city):
    plan = _submitted(county, "100000")
    with pytest.raises(DomainError) as err:
        services.plan_approve(actor=city, plan=plan)
    assert (err.value.code, err.value.status) == ("prevention_income_missing", 422)
    assert "2025年度" in err.value.message
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.decided_by is None


def test_over_cap_refused_with_the_figures_and_nothing_saved(county, city):
    FundIncomeFactory(contribution_income=Decimal("100000000.00"))       # cap 3,000,000.00
    first = _submitted(county, "2000000.00", "370202")
    services.plan_approve(actor=city, plan=first)
    second = _submitted(county, "1000000.01", "370203")                   # one fen over
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        services.plan_approve(actor=city, plan=second)
    exc = err.value
    assert (exc.code, exc.status) == ("prevention_budget_over_cap", 422)
    assert "3000000.00元" in exc.message and "2000000.00元" in exc.message and "超出0.01元" in exc.message
    assert exc.details["excess"] == "0.01" and exc.details["cap"] == "3000000.00"
    second.refresh_from_db()
    assert second.status == "submitted" and second.decided_by is None and second.decided_at is None
    assert AuditEvent.objects.count() == events
    # Exactly at the cap passes.
    second = services.plan_return(actor=city, plan=second, reason="请调减 1 分")
    second = services.plan_edit(actor=county, plan=second, data={"title": second.title, "budget": "1000000.00"})
    second = services.plan_submit(actor=county, plan=second)
    approved = services.plan_approve(actor=city, plan=second)
    assert approved.status == "approved" and approved.decided_by == city
    assert services.approved_total("370200", 2026) == Decimal("3000000.00")


def test_approve_checks_the_cap_on_the_budget_saved_not_a_stale_copy(county, city):
    """The page was loaded when the plan asked for 1,000,000; meanwhile it was returned, raised and
    submitted again: the cap is checked on the budget approved, read under the lock."""
    FundIncomeFactory(contribution_income=Decimal("100000000.00"))       # cap 3,000,000.00
    services.plan_approve(actor=city, plan=_submitted(county, "2000000.00", "370203"))
    stale = _submitted(county, "1000000.00", "370202")
    PreventionPlan.objects.filter(pk=stale.pk).update(budget=Decimal("1500000.00"))
    with pytest.raises(DomainError) as err:
        services.plan_approve(actor=city, plan=stale)
    assert (err.value.code, err.value.status) == ("prevention_budget_over_cap", 422)
    assert err.value.details["budget"] == "1500000.00" and err.value.details["excess"] == "500000.00"
    stale.refresh_from_db()
    assert stale.status == "submitted" and stale.decided_by is None
    assert services.approved_total("370200", 2026) == Decimal("2000000.00")


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_cannot_both_pass(county, city, monkeypatch):
    """Each plan fits under the cap alone, not both: the second approval waits for the first one's
    lock and then sees its plan approved (PostgreSQL row locks; SQLite serialises every write)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    FundIncomeFactory(contribution_income=Decimal("100000000.00"))       # cap 3,000,000.00
    first, second = _submitted(county, "2000000.00", "370202"), _submitted(county, "2000000.00", "370203")
    inside, release, results = threading.Event(), threading.Event(), {}
    real_total = services.approved_total

    def held_total(region, year, **kwargs):     # the first approval pauses after reading the total
        total = real_total(region, year, **kwargs)
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(30)
        return total

    monkeypatch.setattr(services, "approved_total", held_total)

    def approve(plan):
        try:
            services.plan_approve(actor=city, plan=plan)
            results[threading.current_thread().name] = "approved"
        except DomainError as exc:
            results[threading.current_thread().name] = exc.code
        finally:
            connection.close()

    one = threading.Thread(target=approve, args=(first,), name="first")
    two = threading.Thread(target=approve, args=(second,), name="second")
    one.start()
    assert inside.wait(30)
    two.start()
    for _ in range(200):                      # until the second waits on a lock (without one: 10 s, then on)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    release.set()
    one.join(60)
    two.join(60)
    assert results == {"first": "approved", "second": "prevention_budget_over_cap"}
    assert services.approved_total("370200", 2026) == Decimal("2000000.00")
    assert PreventionPlan.objects.get(pk=second.pk).status == "submitted"


def test_cap_percent_is_the_regional_parameter(county, city):
    FundIncomeFactory(contribution_income=Decimal("100000000.00"))
    ServiceSetting.objects.create(region="370200", valid_from="2026-01-01", prevention_cap_percent=Decimal("4.00"))
    plan = _submitted(county, "3500000.00")
    assert services.plan_approve(actor=city, plan=plan).status == "approved"   # 4% = 4,000,000


def test_submitter_cannot_approve_or_return_own_plan(county, city):
    FundIncomeFactory()
    plan = _submitted(county, "100000")
    with pytest.raises(Forbidden) as err:
        services.plan_approve(actor=county, plan=plan)
    assert "须由市级其他工伤预防专管员" in err.value.message
    with pytest.raises(Forbidden):
        services.plan_return(actor=county, plan=plan, reason="自己退回")
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_return_needs_a_reason_and_reopens_edit(county, city):
    plan = _submitted(county, "100000")
    with pytest.raises(FieldErrors) as err:
        services.plan_return(actor=city, plan=plan, reason=" ")
    assert "退回原因" in err.value.errors["reason"]
    plan = services.plan_return(actor=city, plan=plan, reason="请补充重点行业")
    assert (plan.status, plan.return_reason) == ("returned", "请补充重点行业")
    edited = services.plan_edit(actor=county, plan=plan, data={"title": "改后", "budget": "90000",
                                                               "priority_industries": "建筑业"})
    assert (edited.status, edited.title, edited.budget) == ("returned", "改后", Decimal("90000.00"))


def test_approved_plan_cannot_be_edited(county, city):
    FundIncomeFactory()
    plan = services.plan_approve(actor=city, plan=_submitted(county, "100000"))
    with pytest.raises(DomainError) as err:
        services.plan_edit(actor=county, plan=plan, data={"title": "x", "budget": "1"})
    assert err.value.status == 409


def test_project_budget_within_the_plans_remaining_budget(county):
    plan = PlanFactory(status="approved", budget=Decimal("300000.00"), created_by=county)
    services.project_create(actor=county, plan=plan, data={"title": "建筑施工培训", "kind": "training",
                                                             "budget": "200000"})
    with pytest.raises(DomainError) as err:
        services.project_create(actor=county, plan=plan, data={"title": "宣传", "kind": "publicity",
                                                                 "budget": "100000.01"})
    assert (err.value.code, err.value.status) == ("prevention_project_over_plan", 422)
    assert "剩余100000.00元" in err.value.message
    assert PreventionProject.objects.count() == 1
    services.project_create(actor=county, plan=plan, data={"title": "宣传", "kind": "publicity", "budget": "100000"})
    with pytest.raises(FieldErrors) as err:
        services.project_create(actor=county, plan=plan, data={"title": "x", "kind": "bogus", "budget": "1"})
    assert "kind" in err.value.errors


def test_project_needs_an_approved_plan(county):
    plan = PlanFactory(status="submitted", created_by=county)
    with pytest.raises(DomainError) as err:
        services.project_create(actor=county, plan=plan, data={"title": "x", "kind": "training", "budget": "1"})
    assert (err.value.code, err.value.status) == ("prevention_plan_not_approved", 409)


def test_project_from_proposal_to_payment(county, city):
    project = ProjectFactory(plan__created_by=county, created_by=county, budget=Decimal("200000.00"))
    project = services.project_approve(actor=county, project=project)
    with pytest.raises(FieldErrors) as err:
        services.project_contract(actor=county, project=project, contractor="安培中心", contract_no="HT-1",
                                  contract_amount="200000.01")
    assert "不能超过项目预算200000.00元" in err.value.errors["contract_amount"]
    project = services.project_contract(actor=county, project=project, contractor="青岛安培培训中心",
                                        contract_no="QDGSYF-2026-01", contract_amount="180000.00")
    project = services.project_complete_delivery(actor=county, project=project)
    project = services.project_accept(actor=county, project=project)
    assert project.accepted_by == county and project.status == "accepted"
    with pytest.raises(DomainError) as err:
        services.project_evaluate(actor=county, project=project)
    assert (err.value.code, err.value.status) == ("prevention_no_evaluations", 409)
    session_with_scores(project, [90, 85, 80], trainees=3)                    # mean 85 → 90%
    project = services.project_evaluate(actor=county, project=project)
    assert (project.evaluation_score, project.payable_amount) == (Decimal("85.00"), Decimal("162000.00"))
    with pytest.raises(Forbidden) as err:
        services.project_pay(actor=county, project=project)                   # the acceptor
    assert "须由其他工伤预防专管员办理拨付" in err.value.message
    project.refresh_from_db()
    assert project.status == "evaluated" and project.paid_by is None
    project = services.project_pay(actor=city, project=project)
    project.refresh_from_db()
    assert (project.status, project.paid_by, project.payable_amount) == ("paid", city, Decimal("162000.00"))
    assert AuditEvent.objects.filter(event_type="prevention_project.pay", target_id=str(project.pk)).exists()


def test_evaluate_uses_the_regional_bands(county):
    ServiceSetting.objects.create(region="370200", valid_from="2026-01-01",
                                  prevention_payment_bands=[{"min_score": "95", "percent": "100"},
                                                            {"min_score": "50", "percent": "50"}])
    project = ProjectFactory(status="accepted", contract_amount=Decimal("100000.00"), created_by=county)
    session_with_scores(project, [90], trainees=1)
    project = services.project_evaluate(actor=county, project=project)
    assert project.payable_amount == Decimal("50000.00")


def test_project_score_is_the_mean_of_its_sessions_scores(county):
    """One rule with the session page: each session's score weighs forms 60% and questionnaires 40%;
    the project's score is the mean of its sessions' scores (a session with many questionnaires does
    not outweigh the others)."""
    project = ProjectFactory(status="accepted", contract_amount=Decimal("100000.00"), created_by=county)
    top = {"relevance": 5, "clarity": 5, "usefulness": 5, "organisation": 5, "overall": 5}
    session_with_scores(project, [90], trainees=3, questionnaires=[top, top, top])   # 0.6×90 + 0.4×100 = 94
    session_with_scores(project, [70], trainees=1)                                   # forms only: 70
    project = services.project_evaluate(actor=county, project=project)
    assert project.evaluation_score == Decimal("82.00")                            # (94 + 70) / 2
    assert project.payable_amount == Decimal("90000.00")                           # 80–89.99 → 90%
    project.refresh_from_db()
    assert project.evaluation_score == Decimal("82.00") and project.status == "evaluated"
    event = AuditEvent.objects.get(event_type="prevention_project.evaluate", target_id=str(project.pk))
    assert event.details["score"] == "82.00" and event.details["sessions"] == 2


def test_evaluate_waits_for_every_held_session_to_be_closed(county):
    project = ProjectFactory(status="accepted", contract_amount=Decimal("100000.00"), created_by=county)
    session_with_scores(project, [90], trainees=1)
    session_with_scores(project, [60], trainees=1, close=False)     # still open: its score may change
    with pytest.raises(DomainError) as err:
        services.project_evaluate(actor=county, project=project)
    assert (err.value.code, err.value.status) == ("prevention_sessions_open", 409)
    assert "1 个培训班次尚未结班" in err.value.message
    project.refresh_from_db()
    assert project.status == "accepted" and project.evaluation_score is None


def test_fund_income_upsert_in_own_region(county):
    row = services.fund_income_save(actor=county, year=2025, contribution_income="98765432.10", source="决算")
    again = services.fund_income_save(actor=county, year="2025", contribution_income="100000000", source="")
    assert row.pk == again.pk and FundIncome.objects.get().contribution_income == Decimal("100000000.00")
    assert FundIncome.objects.get().region == "370200"
    with pytest.raises(FieldErrors):
        services.fund_income_save(actor=county, year=2025, contribution_income="-1")


def test_roles_without_the_action_are_refused(staff_factory):
    leader = staff_factory("leader")
    with pytest.raises(Forbidden):
        services.plan_create(actor=leader, county="370202", year=2026, title="x", budget="1")
    with pytest.raises(Forbidden):
        services.fund_income_save(actor=staff_factory("cooperator"), year=2025, contribution_income="1")


def test_report_counts_sessions_held_not_planned_ones(county):
    """培训班次 in the report are trainings given: a session still planned (not opened, nobody
    signed in) is not counted."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from gongshang.service.selectors import prevention as selectors
    from gongshang.service.services import training

    project = ProjectFactory(status="contracted", contract_amount=Decimal("100000.00"), created_by=county)
    session_with_scores(project, [90], trainees=2)
    course = project.sessions.get().course
    start = datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    training.session_create(actor=county, project=project, course=course, data={
        "venue_kind": "school", "venue": "某职业学院", "starts_at": start, "ends_at": start + timedelta(hours=2)})
    report = selectors.prevention_report(actor=county, year=2026)
    row = next(r for r in report.rows if r.plan_id == project.plan_id)
    assert (row.sessions, row.trainees) == (1, 2)
    assert (report.total.sessions, report.total.trainees) == (1, 2)
