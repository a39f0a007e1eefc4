"""Factories of 工伤预防培训 Plans and projects are written directly through the model here
(the prevention services own them); everything of training goes through factories of its own models."""

import io
import secrets
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.service.choices import (
    CourseStatus,
    PlanStatus,
    ProjectKind,
    ProjectStatus,
    SessionStatus,
    VenueKind,
)
from gongshang.service.models import Course, PreventionPlan, PreventionProject, Trainer, TrainingSession

TZ = ZoneInfo("Asia/Shanghai")
REGION = "370200"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreventionPlan

    region = REGION
    county = factory.Sequence(lambda n: f"3702{(n % 90) + 2:02d}")
    year = 2026
    title = factory.Sequence(lambda n: f"2026 年度工伤预防计划 {n}")
    budget = Decimal("500000.00")
    status = PlanStatus.APPROVED
    created_by = factory.SubFactory(StaffUserFactory, roles=["prevention"])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreventionProject

    plan = factory.SubFactory(PlanFactory, region=factory.SelfAttribute("..region"))
    region = REGION
    title = factory.Sequence(lambda n: f"危化品企业工伤预防能力提升培训 {n}")
    kind = ProjectKind.TRAINING
    industry = "危险化学品"
    budget = Decimal("200000.00")
    status = ProjectStatus.CONTRACTED
    contractor = "济宁安全培训中心（测试）"
    created_by = factory.SelfAttribute("plan.created_by")


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    region = REGION
    name = factory.Sequence(lambda n: f"专家{n}")
    mobile = factory.Sequence(lambda n: f"1370000{n:04d}")
    organisation = "市安全生产协会"
    specialty = "危化品安全"
    title = "注册安全工程师"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    trainer = factory.SubFactory(TrainerFactory, region=factory.SelfAttribute("..region"))
    region = REGION
    title = factory.Sequence(lambda n: f"化工企业工伤预防措施与方法 {n}")
    outline = "一、什么是工伤预防\n二、化工产业事故案例\n三、预防措施"
    hours = Decimal("2.0")
    status = CourseStatus.APPROVED


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    project = factory.SubFactory(ProjectFactory, region=factory.SelfAttribute("..region"))
    region = REGION
    course = factory.SubFactory(CourseFactory, region=factory.SelfAttribute("..region"))
    venue_kind = VenueKind.ENTERPRISE
    venue = "金乡县新材料园区七洲化工会议室"
    industry = "化工"
    starts_at = datetime(2026, 11, 10, 9, 0, tzinfo=TZ)
    ends_at = datetime(2026, 11, 10, 11, 30, tzinfo=TZ)
    expected_trainees = 110
    sign_in_token = factory.LazyFunction(lambda: secrets.token_urlsafe(12))
    status = SessionStatus.PLANNED
    created_by = factory.SelfAttribute("project.created_by")


def jpeg(name: str = "现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf_named_jpg() -> SimpleUploadedFile:
    from gongshang.core.files.pdf import blank_pdf

    return SimpleUploadedFile("现场.jpg", blank_pdf(), content_type="image/jpeg")


def mp3() -> SimpleUploadedFile:
    """A tiny MP3 (ID3 header and one silent MPEG-1 layer III frame)."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return SimpleUploadedFile("讲课录音.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * 3, content_type="audio/mpeg")


ANSWERS = {"relevance": 5, "clarity": 4, "usefulness": 5, "organisation": 3, "overall": 4}
MARKS = {"content": 9, "trainer": 10, "turnout": 8, "organisation": 7, "records": 9}
