"""Test helpers of 案件留言: a case of 张伟 at 青岛海川机械 with the worker's account, a
recognition application waiting for acceptance, uploads, and the staff of the case desks."""

import io
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.benefits.tests.factories import make_case
from gongshang.recognition.models import RecognitionApplication


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


def jpeg_upload(name="伤口照片.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def fake_jpeg(name="病历.jpg") -> SimpleUploadedFile:
    """A text file named .jpg: refused by content."""
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>" * 10, content_type="image/jpeg")


def application(case, creator, *, status="allocated", assignee=None, **fields) -> RecognitionApplication:
    """The case's recognition application in `status` (written directly: the messages start here)."""
    defaults = {"circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": "右手食指挤压伤",
                "body_part": "右手", "injured_name": case.injured_name, "accident_at": case.accident.occurred_at,
                "handling_region": case.region}
    defaults.update(fields)
    return RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"employer:{creator.employer_id}", created_by=creator,
        status=status, applicant_kind="employer", person=case.person, employer=case.employer, assignee=assignee,
        submitted_at=case.created_at, **defaults)


@pytest.fixture
def worker(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def case(zhang_wei, employer_a):
    return make_case(zhang_wei, employer_a, injured_on=date(2026, 2, 20))


@pytest.fixture
def other_case(li_na, employer_b):
    """李娜's case at another employer (same 统筹区)."""
    return make_case(li_na, employer_b, injured_on=date(2026, 2, 21))


@pytest.fixture
def intake(staff_factory):
    return staff_factory("intake", display_name="孙受理")


@pytest.fixture
def reviewer(staff_factory):
    return staff_factory("reviewer", display_name="吴审核")


@pytest.fixture
def benefits(staff_factory):
    return staff_factory("benefits_reviewer", display_name="周待遇")


@pytest.fixture
def window(staff_factory):
    return staff_factory("window", display_name="郑窗口")


@pytest.fixture
def appraisal_admin(staff_factory):
    return staff_factory("appraisal_admin", display_name="钱鉴定")


@pytest.fixture
def hotline(staff_factory):
    return staff_factory("hotline", display_name="冯坐席")


@pytest.fixture
def other_intake(staff_factory):
    """受理员 of 潍坊 (another 统筹区)."""
    return staff_factory("intake", jurisdiction="370700", display_name="潍坊受理")
