"""Helpers of the application part's tests (materials, conclusions)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.cases.models_vault import CaseDocument, DocumentSource
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.files.storage import store_upload

from ..models import AppraisalConclusion
from .factories import make_application

PDF = blank_pdf()
# The smallest MP4 header filetype recognises (ftyp box, brand isom).
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"\x00" * 400


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def mp4(name="日常生活.mp4", size=None):
    body = MP4 if size is None else MP4 + b"\x00" * (size - len(MP4))
    return SimpleUploadedFile(name, body, content_type="video/mp4")


def vault_add(case, kind, *, actor=None):
    """A material already in the case's vault (e.g. handed in for recognition)."""
    stored = store_upload(pdf(f"{kind}.pdf"), allowed_types={"application/pdf"},
                          max_bytes=20 * 1024 * 1024, prefix="materials")
    return CaseDocument.objects.create(case=case, kind=kind, title=kind, file=stored, source=DocumentSource.UPLOAD,
                                       uploaded_by=actor)


def make_conclusion(case, creator, *, concluded_on=date(2025, 12, 1), received_on=None, provincial=False, grade=7,
                    **app_fields):
    """A delivered initial application with its conclusion (written directly)."""
    application = make_application(case=case, creator=creator, status="delivered", concluded_on=concluded_on,
                                   **app_fields)
    n = AppraisalConclusion.objects.count() + 1
    return AppraisalConclusion.objects.create(
        application=application, case=case, region=case.region, number=f"青劳鉴〔2025〕{n:03d}号", grade=grade,
        concluded_on=concluded_on, received_on=received_on, provincial=provincial, concluded_by=creator)
