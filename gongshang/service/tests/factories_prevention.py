"""Factories of 工伤预防 plans and projects (part E), and the training rows a project's evaluation
reads (part T's models, written directly: sessions, sign-ins and evaluation forms)."""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.service.models import (
    Attendance,
    Course,
    Evaluation,
    FundIncome,
    PreventionPlan,
    PreventionProject,
    Trainer,
    TrainingSession,
)

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


def session_with_scores(project, scores, *, trainees: int = 0, by=None):
    """One held session of `project` with `trainees` sign-ins and an evaluation per score."""
    by = by or project.created_by
    trainer = Trainer.objects.create(region=project.region, name="王老师", specialty="安全生产")
    course = Course.objects.create(region=project.region, trainer=trainer, title="建筑施工工伤预防",
                                   outline="高处坠落、物体打击的预防", hours=Decimal("2.0"), status="approved")
    start = datetime(2026, 5, 10, 9, tzinfo=TZ)
    session = TrainingSession.objects.create(
        project=project, region=project.region, course=course, venue_kind="site", venue="演示工地",
        industry=project.industry, starts_at=start, ends_at=start + timedelta(hours=2), expected_trainees=50,
        sign_in_token=secrets.token_hex(8), status="closed", created_by=by)
    people = [Attendance.objects.create(session=session, name=f"学员{i}", mobile=f"1390000{i:04d}")
              for i in range(trainees)]
    for score in scores:
        Evaluation.objects.create(session=session, kind="evaluation_form", score=Decimal(str(score)), submitted_by=by)
    return session, people
