import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.core.files.pdf import blank_pdf
from gongshang.quickreports import content
from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit
from gongshang.recognition.services import drafts


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


def pdf_bytes() -> bytes:
    return blank_pdf()


def pdf_upload(name="m.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def jpeg_upload(name="scene.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def worker(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def intake(staff_factory):
    return staff_factory("intake", display_name="孙受理")


@pytest.fixture
def reviewer(staff_factory):
    return staff_factory("reviewer", display_name="吴审核")


@pytest.fixture
def quick_case(employer_user_a, zhang_wei):
    """A case from a quick report by the employer: 张伟 injured an hour ago, one photo."""
    result = quick_report_submit(actor=employer_user_a, photos=[jpeg_upload()], data=ReportInput(
        reporter_kind="employer", accident_at=timezone.now() - timedelta(hours=1), description="冲床压伤右手",
        address="青岛市市南区香港中路 100 号车间", reporter_mobile="13800000001",
        persons=[InjuredInput(name="张伟", id_number="370202198803151237", mobile="13900000001", body_part="右手")],
        pledge_version=content.PLEDGE_VERSION))
    from gongshang.cases.models import InjuryCase
    from gongshang.quickreports.services import watermarks

    watermarks.derive([m.pk for m in result.report.media.all()])  # the task, seconds later: the photo checked
    return InjuryCase.objects.get(number=result.case_numbers[0])


COMPLETE = {"circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": "右手食指挤压伤",
            "handling_region": "370200"}
BASIC_KINDS = ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record")


@pytest.fixture
def draft(employer_user_a, quick_case):
    return drafts.application_create(actor=employer_user_a, data=dict(COMPLETE), case=quick_case)


@pytest.fixture
def add_materials():
    from gongshang.recognition.services.materials import application_material_add

    def run(actor, application, kinds=BASIC_KINDS):
        for kind in kinds:
            application_material_add(actor=actor, application=application, kind=kind, upload=pdf_upload())

    return run
