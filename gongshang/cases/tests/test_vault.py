"""材料库: stored once, referenced again without a copy, retired never deleted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.cases import vault
from gongshang.cases.models import CaseDocument
from gongshang.cases.services import accident_create, case_create
from gongshang.core.errors import DomainError
from gongshang.core.files.pdf import blank_pdf

pytestmark = pytest.mark.django_db
PDF = blank_pdf()


@pytest.fixture
def case(employer_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from django.utils import timezone

    accident = accident_create(region="370200", occurred_at=timezone.now(), employer=employer_a)
    return case_create(actor=None, accident=accident, injured={"name": "张伟"}, source="application")


def test_upload_reference_retire(case):
    doc = vault.vault_upload(actor=None, case=case, kind="medical_diagnosis",
                             upload=SimpleUploadedFile("d.pdf", PDF, content_type="application/pdf"))
    again = vault.vault_add_stored(actor=None, case=case, kind="medical_diagnosis", stored=doc.file, title="x",
                                   source="issued")
    assert again.pk == doc.pk and CaseDocument.objects.count() == 1
    vault.vault_retire(actor=None, document=doc, reason="错传")
    assert list(vault.vault_documents(case=case)) == [] and vault.vault_documents(case=case, current_only=False)
    with pytest.raises(DomainError):
        vault.vault_retire(actor=None, document=doc)
    assert case.events.filter(event_type="case.document_retired").exists()


def test_type_checked_by_content(case):
    with pytest.raises(DomainError) as exc:
        vault.vault_upload(actor=None, case=case, kind="other",
                           upload=SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 400))
    assert exc.value.status == 415


def test_import_without_quick_report_is_empty(case):
    assert vault.vault_import_quick_report(actor=None, case=case) == []


# --- a quick report's photos: brought in only once their full check has passed ----------------------------

def _quick_case(employer_user_a, photo_bytes: bytes):
    from datetime import timedelta

    from django.utils import timezone

    from gongshang.cases.models import InjuryCase
    from gongshang.quickreports import content
    from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit

    result = quick_report_submit(actor=employer_user_a, photos=[SimpleUploadedFile("scene.jpg", photo_bytes)],
                                 data=ReportInput(
        reporter_kind="employer", accident_at=timezone.now() - timedelta(hours=1), description="冲床压伤右手",
        address="青岛市市南区香港中路 100 号车间", reporter_mobile="13800000001",
        persons=[InjuredInput(name="张伟", id_number="370202198803151237", mobile="13900000001")],
        pledge_version=content.PLEDGE_VERSION))
    return InjuryCase.objects.get(number=result.case_numbers[0])


def _jpeg() -> bytes:
    from gongshang.quickreports.tests.media_fixtures import jpeg_bytes

    return jpeg_bytes(None)


def _draft(employer_user_a, case):
    from gongshang.recognition.services import drafts

    return drafts.application_create(actor=employer_user_a, case=case, data={
        "circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": "右手食指挤压伤",
        "handling_region": "370200"})


def test_a_photo_still_being_checked_comes_into_the_vault_when_its_check_passes(employer_user_a, zhang_wei,
                                                                                 settings, tmp_path):
    from gongshang.quickreports.models import QuickReportMedia
    from gongshang.quickreports.services import watermarks

    settings.MEDIA_ROOT = str(tmp_path)
    case = _quick_case(employer_user_a, _jpeg())  # the task has not run yet (the test never commits)
    _draft(employer_user_a, case)
    assert not CaseDocument.objects.filter(case=case, source="quick_report").exists()
    media = QuickReportMedia.objects.get(report__accident=case.accident)
    assert watermarks.derive([media.pk]) == 1
    document = CaseDocument.objects.get(case=case, source="quick_report")
    assert document.file_id == media.original_id and document.kind == "scene_photo"


def test_a_photo_carrying_a_web_page_never_comes_into_the_vault(employer_user_a, zhang_wei, settings, tmp_path):
    from gongshang.quickreports.models import QuickReportMedia
    from gongshang.quickreports.services import watermarks

    settings.MEDIA_ROOT = str(tmp_path)
    case = _quick_case(employer_user_a, _jpeg() + b"<html><body><script>alert(1)</script></body></html>")
    media = QuickReportMedia.objects.get(report__accident=case.accident)
    _draft(employer_user_a, case)  # drafted before the check ran
    assert watermarks.derive([media.pk]) == 0
    media.refresh_from_db()
    assert "active_content" in media.flags
    vault.vault_import_quick_report(actor=None, case=case)  # imported again after the check: still left out
    assert not CaseDocument.objects.filter(case=case, source="quick_report").exists()
