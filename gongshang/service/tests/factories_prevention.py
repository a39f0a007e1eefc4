"""Factories of 工伤预防 plans and projects, and the training rows a project's evaluation
reads (through the training services: trainer, reviewed course, sign-ins, questionnaires, evaluation
forms, closing)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.service.choices import ProjectStatus
from gongshang.service.models import (
    FundIncome,
    PreventionPlan,
    PreventionProject,
    TrainingSession,
)
from gongshang.service.rules import training as training_rules
from gongshang.service.services import training

TZ = ZoneInfo("Asia/Shanghai")


def PreventionStaffFactory(**kwargs):  # noqa: N802  (reads like the factories it stands beside)
    """A 工伤预防专管员 of 370200 unless told otherwise."""
    return StaffUserFactory(roles=["prevention"], **kwargs)


class FundIncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundIncome

    region = "370200"
    year = 2025
    contribution_income = Decimal("100000000.00")   # 1 亿元: a 3% cap of 300 万元
    source = "测试数据"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreventionPlan

    region = "370200"
    county = factory.Sequence(lambda n: ("370202", "370203", "370211", "370212", "370213", "370214")[n % 6])
    year = 2026
    title = factory.Sequence(lambda n: f"测试年度工伤预防计划{n}")
    budget = Decimal("1000000.00")
    created_by = factory.SubFactory(StaffUserFactory, roles=["prevention"],
                                    jurisdiction=factory.SelfAttribute("..region"))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreventionProject

    plan = factory.SubFactory(PlanFactory, status="approved")
    region = factory.SelfAttribute("plan.region")
    title = factory.Sequence(lambda n: f"测试工伤预防培训项目{n}")
    kind = "training"
    industry = "建筑业"
    budget = Decimal("200000.00")
    created_by = factory.SelfAttribute("plan.created_by")


def marks_for(score) -> dict:
    """Evaluation-form marks (0–10 per item) whose weighted score is `score` (a multiple of 0.5)."""
    target = Decimal(str(score))
    for content in range(10, -1, -1):
        for organisation in range(10, -1, -1):
            rest = target - Decimal("2.5") * content - Decimal("1.5") * organisation   # weights 25 and 15
            if rest < 0 or rest % 2 or rest > 60:
                continue
            twos, marks = int(rest / 2), {}
            for code in ("trainer", "turnout", "records"):                             # weights 20
                marks[code] = min(10, twos)
                twos -= marks[code]
            marks.update(content=content, organisation=organisation)
            assert training_rules.form_score(marks) == target
            return marks
    raise ValueError(f"no marks give {score}")


def session_with_scores(project, scores, *, trainees: int = 0, by=None, questionnaires=(), close: bool = True):
    """One session of `project` through the training services: `trainees` sign in on the phone, the
    first ones answer `questionnaires` (answer dicts), an evaluation form per score (marks chosen to
    give it), then the session is closed (unless `close` is False). The session row itself is written
    directly when the project is past the stage that may register sessions (accepted, in tests)."""
    by = by or project.created_by
    trainer = training.trainer_add(actor=by, data={"name": "王老师", "specialty": "安全生产"})
    course = training.course_submit(actor=by, trainer=trainer, data={
        "title": "建筑施工工伤预防", "outline": "高处坠落、物体打击的预防", "hours": "2.0"})
    course = training.course_review(actor=by, course=course, approve=True)
    start = datetime(2026, 5, 10, 9, tzinfo=TZ)
    data = {"venue_kind": "site", "venue": "演示工地", "industry": project.industry, "starts_at": start,
            "ends_at": start + timedelta(hours=2), "expected_trainees": 50}
    if project.status in training.OPEN_PROJECT_STATUSES:
        session = training.session_create(actor=by, project=project, course=course, data=data)
    else:
        session = TrainingSession.objects.create(project=project, region=project.region, course=course,
                                                 sign_in_token=training.new_sign_in_token(), created_by=by, **data)
    # The trainees signed in while the project was still under contract (no sign-in after 验收).
    status, project.status = project.status, ProjectStatus.CONTRACTED
    try:
        people = [training.attendance_sign_in(session=session, now=start, data={"name": f"学员{i}",
                                                                                 "mobile": f"1390000{i:04d}"})
                  for i in range(trainees)]
    finally:
        project.status = status
    for person, answers in zip(people, questionnaires, strict=False):
        training.questionnaire_submit(attendance=person, answers=answers)
    if scores and session.status == "planned":
        training.session_open(actor=by, session=session)
    for score in scores:
        training.evaluation_form_submit(actor=by, session=session, marks=marks_for(score))
    if close:
        training.session_close(actor=by, session=session)
    session.refresh_from_db()
    return session, people
