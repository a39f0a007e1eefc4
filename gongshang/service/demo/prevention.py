"""Demo data of 工伤预防 (青岛 370200): the 2025 fund income (a demo figure), three county plans for
2026 — 市南区 approved (submitted by `prevention`, approved by `prevention2`), 黄岛区 submitted and
waiting for `prevention2`, 崂山区 a draft — and projects of the approved plan in several statuses,
one paid after its training session's evaluation forms (the session written directly, as the
training pages would have left it). Written through the services; idempotent."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User

from ..models import (
    Attendance,
    Course,
    Evaluation,
    FundIncome,
    PreventionPlan,
    PreventionProject,
    Trainer,
    TrainingSession,
)
from ..services import prevention as svc

REGION = "370200"
YEAR = 2026
INCOME = Decimal("1200000000.00")   # demo value: 12 亿元 → a 2026 cap of 3,600 万元
PLANS = [
    # county, title, budget, priority industries, target status
    ("370202", "市南区2026年度工伤预防宣传培训计划", "2400000.00", "建筑业、住宿和餐饮业", "approved"),
    ("370211", "黄岛区2026年度工伤预防宣传培训计划", "5600000.00", "制造业、交通运输、仓储和邮政业、建筑业", "submitted"),
    ("370212", "崂山区2026年度工伤预防宣传培训计划", "1200000.00", "建筑业", "draft"),
]
PROJECTS = [
    # title, kind, industry, budget, contract (contractor, no, amount) or None, target status
    ("建筑施工企业工伤预防能力提升培训（演示）", "training", "建筑业", "200000.00",
     ("青岛安培职业安全培训中心（演示）", "QDGSYF-2026-001", "180000.00"), "paid"),
    ("危险化学品企业工伤预防培训（演示）", "training", "制造业", "300000.00",
     ("青岛化工安全技术服务有限公司（演示）", "QDGSYF-2026-002", "285000.00"), "contracted"),
    ("工伤预防宣传进社区、进工地（演示）", "publicity", "建筑业", "150000.00", None, "approved"),
    ("餐饮企业后厨工伤预防培训（演示）", "training", "住宿和餐饮业", "120000.00", None, "proposed"),
]
SCORES = ("92.00", "88.50", "91.00", "90.50")


def _staff(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _plan(county_user, city_user, county, title, budget, industries, target) -> PreventionPlan:
    plan = PreventionPlan.objects.filter(region=REGION, county=county, year=YEAR).first()
    if plan is None:
        plan = svc.plan_create(actor=county_user, county=county, year=YEAR, title=title, budget=budget,
                               priority_industries=industries,
                               summary="围绕本区重点行业开展工伤预防宣传和培训，培训对象为企业分管负责人、安全管理人员和一线班组长。")
    if target in ("submitted", "approved") and plan.status == "draft":
        plan = svc.plan_submit(actor=county_user, plan=plan)
    if target == "approved" and plan.status == "submitted":
        plan = svc.plan_approve(actor=city_user, plan=plan)
    return plan


def _evaluations(project: PreventionProject, by: User) -> None:
    """One closed session of the project with sign-ins and the organiser's evaluation forms."""
    if TrainingSession.objects.filter(project=project).exists():
        return
    trainer, _ = Trainer.objects.get_or_create(region=REGION, name="王安全（演示）", defaults={
        "organisation": "青岛市工伤预防培训专家库", "specialty": "建筑施工安全", "title": "注册安全工程师"})
    course, _ = Course.objects.get_or_create(region=REGION, trainer=trainer, title="建筑施工高处坠落与物体打击预防（演示）",
                                             defaults={"outline": "事故案例、防护用品、工伤保险政策", "hours": Decimal("2.0"),
                                                       "status": "approved", "reviewed_by": by,
                                                       "reviewed_at": timezone.now()})
    start = timezone.now() - timedelta(days=20)
    session = TrainingSession.objects.create(
        project=project, region=REGION, course=course, venue_kind="site", venue="青岛市市南区某项目工地（演示）",
        industry="建筑业", starts_at=start, ends_at=start + timedelta(hours=2), expected_trainees=60,
        sign_in_token=secrets.token_urlsafe(12)[:16], status="closed", created_by=by)
    for n in range(12):
        Attendance.objects.create(session=session, name=f"学员{n + 1}（演示）", mobile=f"1390532{n:04d}",
                                  employer_name="青岛某建设集团（演示）")
    for score in SCORES:
        Evaluation.objects.create(session=session, kind="evaluation_form", score=Decimal(score), submitted_by=by)


def _project(plan, county_user, city_user, title, kind, industry, budget, contract, target) -> PreventionProject:
    order = ["proposed", "approved", "contracted", "delivered", "accepted", "evaluated", "paid"]
    project = PreventionProject.objects.filter(plan=plan, title=title).first()
    if project is None:
        project = svc.project_create(actor=county_user, plan=plan, data={
            "title": title, "kind": kind, "industry": industry, "budget": budget})
    goal = order.index(target)
    if project.status == "proposed" and goal >= 1:
        project = svc.project_approve(actor=city_user, project=project)
    if project.status == "approved" and goal >= 2:
        contractor, number, amount = contract
        project = svc.project_contract(actor=county_user, project=project, contractor=contractor, contract_no=number,
                                       contract_amount=amount)
    if project.status == "contracted" and goal >= 3:
        project = svc.project_complete_delivery(actor=county_user, project=project)
    if project.status == "delivered" and goal >= 4:
        project = svc.project_accept(actor=county_user, project=project)
    if project.status == "accepted" and goal >= 5:
        _evaluations(project, county_user)
        project = svc.project_evaluate(actor=county_user, project=project)
    if project.status == "evaluated" and goal >= 6:
        project = svc.project_pay(actor=city_user, project=project)
    return project


@transaction.atomic
def seed(stdout=None) -> None:
    county_user, city_user = _staff("prevention"), _staff("prevention2")
    if county_user is None or city_user is None:
        if stdout:
            stdout.write("  工伤预防：缺少演示账号 prevention / prevention2，跳过（请先写入账号演示数据）。")
        return
    if not FundIncome.objects.filter(region=REGION, year=YEAR - 1).exists():
        svc.fund_income_save(actor=city_user, year=YEAR - 1, contribution_income=INCOME,
                             source="演示数值（非真实统计数据）")
    plans = [_plan(county_user, city_user, *row) for row in PLANS]
    approved = plans[0]
    for row in PROJECTS:
        _project(approved, county_user, city_user, *row)
    if stdout:
        stdout.write(f"  工伤预防：{YEAR}年度计划 {len(plans)} 个，项目 {approved.projects.count()} 个（一个已拨付）")
