"""Demo data of 工伤预防 (青岛 370200): the 2025 fund income (a demo figure), three county plans for
2026 — 市南区 approved (submitted by `prevention`, approved by `prevention2`), 黄岛区 submitted and
waiting for `prevention2`, 崂山区 a draft — and projects of the approved plan in several statuses,
one paid after its training session (held, with sign-ins, questionnaires and evaluation forms,
before the delivery). Written through the prevention and training services; idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User

from ..models import Course, FundIncome, PreventionPlan, PreventionProject, Trainer, TrainingSession
from ..rules import training as training_rules
from ..services import prevention as svc
from ..services import training

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
TRAINER = {"name": "王安全（演示）", "organisation": "青岛市工伤预防培训专家库", "specialty": "建筑施工安全",
           "title": "注册安全工程师"}
COURSE = {"title": "建筑施工高处坠落与物体打击预防（演示）", "outline": "事故案例、防护用品、工伤保险政策", "hours": "2.0"}
# The trainees' answers (1..5 to the five questions) and the organiser's two evaluation forms (0..10
# per item): forms 92.25, questionnaires 91.25 → the session and the project score 91.85 (≥ 90: 100%).
ANSWERS = [(5, 5, 4, 4, 5), (4, 5, 5, 4, 5), (5, 4, 5, 5, 4), (5, 5, 5, 4, 5)]
FORMS = [(9, 9, 9, 9, 9), (10, 9, 9, 9, 10)]


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


def _session(project: PreventionProject, by: User) -> None:
    """One session of the contracted project through the training services: a trainer of the pool,
    a course reviewed, the session registered, twelve trainees signing in on the phone (at the
    session's time, passed in) and answering the questionnaire, two evaluation forms, closed."""
    if TrainingSession.objects.filter(project=project).exists():
        return
    trainer = (Trainer.objects.filter(region=REGION, name=TRAINER["name"]).first()
               or training.trainer_add(actor=by, data=TRAINER))
    course = Course.objects.filter(region=REGION, trainer=trainer, title=COURSE["title"]).first()
    if course is None:
        course = training.course_submit(actor=by, trainer=trainer, data=COURSE)
        course = training.course_review(actor=by, course=course, approve=True, note="课件经统一论证，符合建筑业培训要求。")
    start = timezone.localtime(timezone.now() - timedelta(days=20)).replace(hour=9, minute=0, second=0, microsecond=0)
    session = training.session_create(actor=by, project=project, course=course, data={
        "venue_kind": "site", "venue": "青岛市市南区某项目工地（演示）", "industry": "建筑业", "starts_at": start,
        "ends_at": start + timedelta(hours=2), "expected_trainees": 60})
    for n in range(12):
        person = training.attendance_sign_in(session=session, now=start + timedelta(minutes=n), data={
            "name": f"学员{n + 1}（演示）", "mobile": f"1390532{n:04d}", "employer_name": "青岛某建设集团（演示）"})
        answers = ANSWERS[n % len(ANSWERS)]
        training.questionnaire_submit(attendance=person, answers={
            q.code: value for q, value in zip(training_rules.QUESTIONS, answers, strict=True)})
    session.refresh_from_db()
    for marks in FORMS:
        training.evaluation_form_submit(actor=by, session=session, marks={
            item.code: value for item, value in zip(training_rules.FORM_ITEMS, marks, strict=True)})
    training.session_close(actor=by, session=session)


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
        _session(project, county_user)
        project = svc.project_complete_delivery(actor=county_user, project=project)
    if project.status == "delivered" and goal >= 4:
        project = svc.project_accept(actor=county_user, project=project)
    if project.status == "accepted" and goal >= 5:
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
