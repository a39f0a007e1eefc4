"""Uploads: type by content, size limit while streaming, SHA-256, flat memory."""

import hashlib
import io
import re
import tracemalloc

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from gongshang.accounts.models import User
from gongshang.core.errors import CoreErrorCode, DomainError
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.files.storage import (
    IMAGE_OR_PDF_TYPES,
    IMAGE_TYPES,
    display_name,
    open_stored,
    store_upload,
)
from gongshang.core.models import StoredFile

from .hostile_files import polyglot_jpeg

MB = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_blobs(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def image_bytes(fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PDF_BYTES = blank_pdf()


@pytest.mark.django_db
def test_png_renamed_pdf_is_stored_as_png_with_correct_sha256(media):
    data = image_bytes("PNG")
    upload = SimpleUploadedFile("诊断证明.pdf", data, content_type="application/pdf")
    user = User.objects.create_user(username="u1", password="x", kind="individual")
    stored = store_upload(upload, allowed_types=IMAGE_OR_PDF_TYPES, max_bytes=MB, prefix="evidence",
                          actor=user)
    stored.refresh_from_db()
    assert stored.content_type == "image/png"
    assert stored.extension == "png"
    assert stored.storage_path.startswith("evidence/")
    assert stored.storage_path.endswith(".png")
    assert stored.original_name == "诊断证明.png"  # display name only, with the detected extension
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.uploaded_by == user
    with open_stored(stored) as handle:
        assert handle.read() == data
    assert len(stored_blobs(media)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "mime", "ext"), [
    (image_bytes("JPEG"), "image/jpeg", "jpg"),
    (PDF_BYTES, "application/pdf", "pdf"),
])
def test_jpeg_and_pdf_are_accepted(data, mime, ext):
    stored = store_upload(SimpleUploadedFile("x.bin", data), allowed_types=IMAGE_OR_PDF_TYPES,
                          max_bytes=MB, prefix="materials")
    assert (stored.content_type, stored.extension) == (mime, ext)
    assert stored.storage_path.endswith(f".{ext}")


@pytest.mark.django_db
def test_text_renamed_jpg_is_refused_and_nothing_stored(media):
    upload = SimpleUploadedFile("photo.jpg", "这是一个文本文件，不是图片。".encode() * 30,
                                content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        store_upload(upload, allowed_types=IMAGE_TYPES, max_bytes=MB, prefix="evidence")
    assert exc.value.code == CoreErrorCode.FILE_TYPE_NOT_ALLOWED
    assert exc.value.status == 415
    assert "只接受 JPEG/PNG" in exc.value.message
    assert not StoredFile.objects.exists()
    assert stored_blobs(media) == []


@pytest.mark.django_db
def test_pdf_refused_where_only_images_are_allowed():
    with pytest.raises(DomainError) as exc:
        store_upload(SimpleUploadedFile("a.pdf", PDF_BYTES), allowed_types=IMAGE_TYPES, max_bytes=MB,
                     prefix="evidence")
    assert exc.value.status == 415
    assert "实际类型为 PDF" in exc.value.message


@pytest.mark.django_db
def test_tiny_and_empty_files_are_refused():
    for data in (b"", b"\x89P"):
        with pytest.raises(DomainError) as exc:
            store_upload(SimpleUploadedFile("a.png", data), allowed_types=IMAGE_TYPES, max_bytes=MB,
                         prefix="evidence")
        assert exc.value.code == CoreErrorCode.FILE_TYPE_NOT_ALLOWED


@pytest.mark.django_db
def test_too_large_is_refused_and_nothing_stored(media):
    data = PNG_SIGNATURE + b"\x00" * (3 * MB)
    with pytest.raises(DomainError) as exc:
        store_upload(SimpleUploadedFile("big.png", data), allowed_types=IMAGE_TYPES, max_bytes=2 * MB,
                     prefix="evidence")
    assert exc.value.code == CoreErrorCode.FILE_TOO_LARGE
    assert exc.value.status == 413
    assert "上限 2 MB" in exc.value.message
    assert not StoredFile.objects.exists()
    assert stored_blobs(media) == []


class Chunks:
    """An upload whose declared size lies, reading counted: the limit is enforced while streaming."""

    name = "lying.png"
    size = 10

    def __init__(self, chunk_count):
        self.chunk_count = chunk_count
        self.read_chunks = 0

    def chunks(self):
        for index in range(self.chunk_count):
            self.read_chunks += 1
            chunk = (PNG_SIGNATURE if index == 0 else b"") + b"\x00" * (64 * 1024)
            yield chunk[: 64 * 1024]

    def seek(self, pos):
        raise AssertionError("must not reach storage")


@pytest.mark.django_db
def test_size_limit_aborts_mid_stream_whatever_the_declared_size(media):
    upload = Chunks(chunk_count=1000)
    with pytest.raises(DomainError) as exc:
        store_upload(upload, allowed_types=IMAGE_TYPES, max_bytes=MB, prefix="evidence")
    assert exc.value.code == CoreErrorCode.FILE_TOO_LARGE
    assert upload.read_chunks == 17  # 16 × 64 KB fit in 1 MB; the 17th is one too many
    assert stored_blobs(media) == []


def test_invalid_prefix_is_refused():
    with pytest.raises(ValueError):
        store_upload(SimpleUploadedFile("a.png", image_bytes()), allowed_types=IMAGE_TYPES, max_bytes=MB,
                     prefix="../etc")


def big_png_on_disk(path, size):
    """A real (small) PNG followed by zeros up to `size`: it decodes, and the bytes after its end
    make the file big (as a phone's trailer does)."""
    digest = hashlib.sha256()
    block = b"\x00" * MB
    picture = image_bytes("PNG")
    with open(path, "wb") as handle:
        handle.write(picture)
        digest.update(picture)
        remaining = size - len(picture)
        while remaining:
            part = block[: min(MB, remaining)]
            handle.write(part)
            digest.update(part)
            remaining -= len(part)
    return digest.hexdigest()


def peak_during(func):
    tracemalloc.start()
    try:
        result = func()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.mark.django_db
def test_memory_stays_flat_for_a_50_mb_temporary_upload(media):
    size = 50 * MB
    upload = TemporaryUploadedFile("scene.png", "image/png", size, None)
    expected = big_png_on_disk(upload.temporary_file_path(), size)
    upload.file.seek(0)

    stored, peak = peak_during(lambda: store_upload(upload, allowed_types=IMAGE_TYPES, max_bytes=60 * MB,
                                                    prefix="evidence"))
    assert peak < 10 * MB, f"peak {peak / MB:.1f} MB"
    assert stored.size == size
    assert stored.sha256 == expected
    assert (media / stored.storage_path).stat().st_size == size
    upload.close()  # as the request does at its end (the temporary file was moved into storage)


@pytest.mark.django_db
def test_memory_stays_flat_when_storage_copies_in_chunks(media, tmp_path):
    """A plain file (no temporary path to move) makes the storage read and write chunks itself,
    as object storage does."""
    size = 50 * MB
    source = tmp_path / "source.png"
    expected = big_png_on_disk(source, size)
    with open(source, "rb") as handle:
        upload = File(handle, name="source.png")
        stored, peak = peak_during(lambda: store_upload(upload, allowed_types=IMAGE_TYPES,
                                                        max_bytes=60 * MB, prefix="evidence"))
    assert peak < 10 * MB, f"peak {peak / MB:.1f} MB"
    assert stored.sha256 == expected
    with open_stored(stored) as copy:
        digest = hashlib.sha256()
        for chunk in copy.chunks():
            digest.update(chunk)
    assert digest.hexdigest() == expected


@pytest.mark.django_db
def test_stored_under_a_server_chosen_name_whatever_the_client_sent(media):
    upload = SimpleUploadedFile("../../static/evil.html", image_bytes("JPEG"), content_type="text/html")
    stored = store_upload(upload, allowed_types=IMAGE_TYPES, max_bytes=MB, prefix="materials")
    assert re.fullmatch(r"materials/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored.storage_path)
    assert stored.original_name == "evil.jpg" and stored.content_type == "image/jpeg"
    assert [p.name for p in stored_blobs(media)] == [stored.storage_path.rsplit("/", 1)[1]]


@pytest.mark.parametrize(("client_name", "shown"), [
    ("evil.html", "evil.jpg"),
    ("C:\\Users\\张伟\\诊断证明.PDF", "诊断证明.jpg"),
    ("report\u202egpj.exe", "reportgpj.jpg"),  # a right-to-left override would show "exe.jpg"
    ("a\r\nb;c\".jpg", "abc.jpg"),
    ("\u061c报告\u2028\u2067附件\u00ad.png", "报告附件.jpg"),  # Arabic letter mark, line separator, isolate
    ("\ud800病历.jpg", "病历.jpg"),  # a lone surrogate cannot be encoded in the download header
    ("", ""),
    ("...", ""),
])
def test_display_name_is_cleaned_and_takes_the_detected_extension(client_name, shown):
    assert display_name(client_name, "jpg") == shown


@pytest.mark.django_db
def test_content_refusal_stores_nothing_and_names_the_field(media):
    with pytest.raises(DomainError) as exc:
        store_upload(SimpleUploadedFile("evil.html", polyglot_jpeg()), allowed_types=IMAGE_TYPES, max_bytes=MB,
                     prefix="materials", field="attachment", label="附件")
    assert exc.value.status == 422 and exc.value.code == CoreErrorCode.FILE_ACTIVE_CONTENT
    assert exc.value.details == [{"field": "attachment", "message": exc.value.message}]
    assert exc.value.message.startswith("附件")
    assert not StoredFile.objects.exists() and stored_blobs(media) == []
