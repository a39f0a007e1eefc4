"""Serving stored files (core.files.serving): uploads as sandboxed attachments under a clean name
with the detected type; inline only when asked for (our own re-encoded copies and documents)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongshang.core.files.serving import content_disposition, download_name, stored_file_response
from gongshang.core.files.storage import IMAGE_OR_PDF_TYPES, store_upload
from gongshang.core.models import StoredFile

from .hostile_files import clean_pdf, jpeg_bytes

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_an_upload_is_a_sandboxed_attachment_with_its_detected_type():
    stored = store_upload(SimpleUploadedFile("诊断证明.html", jpeg_bytes(), content_type="text/html"),
                          allowed_types=IMAGE_OR_PDF_TYPES, max_bytes=MB, prefix="materials")
    response = stored_file_response(stored)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"file.jpg\"; filename*=UTF-8''%E8%AF%8A%E6%96%AD%E8%AF%81%E6%98%8E.jpg")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == jpeg_bytes()


@pytest.mark.django_db
def test_inline_only_when_asked_and_generated_documents_without_sandbox():
    stored = store_upload(SimpleUploadedFile("decision.pdf", clean_pdf()), allowed_types=IMAGE_OR_PDF_TYPES,
                          max_bytes=MB, prefix="documents")
    response = stored_file_response(stored, title="工伤认定决定书-ABC123", inline=True, sandbox=False)
    assert response["Content-Disposition"].startswith('inline; filename="ABC123.pdf"; filename*=UTF-8\'\'')
    assert response["Content-Type"] == "application/pdf" and "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_name_keeps_the_detected_extension():
    stored = StoredFile(original_name="evil.html", extension="jpg")  # a row stored before names were cleaned
    assert download_name(stored) == "evil.jpg"
    assert download_name(stored, "工伤认定调查报告") == "工伤认定调查报告.jpg"
    assert download_name(stored, "报告.jpg") == "报告.jpg"
    assert download_name(StoredFile(original_name="", extension="pdf")) == "file.pdf"


@pytest.mark.parametrize(("name", "header"), [
    ("evidence-12.jpg", "attachment; filename=\"evidence-12.jpg\"; filename*=UTF-8''evidence-12.jpg"),
    ("a b\".png", "attachment; filename=\"ab.png\"; filename*=UTF-8''a%20b%22.png"),
    ("材料", "attachment; filename=\"file\"; filename*=UTF-8''%E6%9D%90%E6%96%99"),
])
def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name(name, header):
    assert content_disposition(name) == header
