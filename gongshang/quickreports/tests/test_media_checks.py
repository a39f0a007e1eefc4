"""Evidence checks found in review: real (temp-file) video posters, S3-style storage, decompression
bombs, truncated JPEGs, unreadable video durations."""

import io
import json
import sys
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongshang.core.files import evidence
from gongshang.core.models import StoredFile
from gongshang.quickreports import content
from gongshang.quickreports.choices import MediaFlag
from gongshang.quickreports.models import QuickReport, QuickReportMedia

from .media_fixtures import jpeg_bytes, mp4_bytes

pytestmark = pytest.mark.django_db
BLANK_POSTER = (40, 44, 52)


def data(**overrides) -> str:
    values = {"reporter_kind": "self", "accident_at": (timezone.now() - timedelta(hours=1)).isoformat(),
              "description": "被机器夹伤右手", "address": "青岛市市南区香港中路 100 号",
              "pledge_version": content.PLEDGE_VERSION}
    values.update(overrides)
    return json.dumps(values, ensure_ascii=False)


@pytest.fixture
def headers(worker, token_for):
    return token_for(worker)


def _poster_pixel(media) -> tuple:
    with default_storage.open(media.watermarked.storage_path) as fh:
        poster = Image.open(fh)
        poster.load()
    return poster.convert("RGB").getpixel((2, 2))


def test_video_uploaded_to_a_temporary_file_gets_a_real_poster(api_client, headers, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file, like any real video
    clip = mp4_bytes(tmp_path, created=timezone.now() - timedelta(minutes=5), seconds=2)
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "video": SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")}, **headers)
    assert response.status_code == 201, response.content
    media = QuickReportMedia.objects.get()
    assert MediaFlag.POSTER_ONLY not in media.flags
    assert _poster_pixel(media) != BLANK_POSTER  # a frame of the clip, not the grey placeholder


def test_poster_without_a_local_path_streams_from_storage(headers, api_client, monkeypatch, tmp_path):
    local_path = default_storage.path

    def remote(name):  # what S3 storage answers the evidence code: no filesystem path
        if sys._getframe(1).f_globals.get("__name__") == evidence.__name__:
            raise NotImplementedError("This backend doesn't support absolute paths.")
        return local_path(name)  # FileSystemStorage itself still needs it to save

    monkeypatch.setattr(default_storage, "path", remote)
    clip = mp4_bytes(tmp_path, created=timezone.now() - timedelta(minutes=5), seconds=1)
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "video": SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")}, **headers)
    assert response.status_code == 201, response.content
    assert MediaFlag.POSTER_ONLY not in QuickReportMedia.objects.get().flags


def _png(size, mode="1") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def test_decompression_bomb_is_refused_before_decoding(api_client, headers, monkeypatch):
    bomb = _png((12000, 10000))  # a few hundred KB on disk, ~1.4 GB once decoded as RGBA
    assert len(bomb) < 2 * 1024 * 1024

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "photos": [SimpleUploadedFile("bomb.png", bomb, content_type="image/png")]}, **headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "photo_too_many_pixels" and "像素" in body["message"]
    assert body["details"]["field"] == "photos[1]"
    assert not QuickReport.objects.exists() and not StoredFile.objects.exists()


def test_decompression_bomb_warning_is_an_error():
    limit = Image.MAX_IMAGE_PIXELS
    image = io.BytesIO(_png((10000, 9000)))  # 90 MP: above Pillow's warning threshold (80 MP)
    assert evidence.image_problem(image, max_pixels=10**9) == "too_many_pixels"
    assert Image.MAX_IMAGE_PIXELS == limit


def test_truncated_jpeg_is_422_and_nothing_is_written(api_client, headers):
    whole = jpeg_bytes(timezone.now() - timedelta(minutes=5), size=(300, 200))
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "photos": [SimpleUploadedFile("a.jpg", whole[: len(whole) // 2])]}, **headers)
    assert response.status_code == 422
    assert response.json()["code"] == "photo_not_image"
    assert not QuickReport.objects.exists() and not StoredFile.objects.exists()


def test_truncated_jpeg_is_refused_even_after_weasyprint_relaxed_pillow(api_client, headers, monkeypatch):
    """Importing WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = jpeg_bytes(timezone.now() - timedelta(minutes=5), size=(300, 200))
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "photos": [SimpleUploadedFile("a.jpg", whole[: len(whole) // 2])]}, **headers)
    assert response.status_code == 422 and response.json()["code"] == "photo_not_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint


def _no_mediainfo(monkeypatch):
    import pymediainfo

    def broken(*args, **kwargs):
        raise RuntimeError("libmediainfo could not read this container")

    monkeypatch.setattr(pymediainfo.MediaInfo, "parse", broken)


def test_duration_from_ffprobe_when_mediainfo_fails_still_enforces_limit(api_client, headers, monkeypatch,
                                                                        settings, tmp_path):
    settings.QUICKREPORT_VIDEO_MAX_SECONDS = 2
    clip = mp4_bytes(tmp_path, created=timezone.now() - timedelta(minutes=5), seconds=4)
    _no_mediainfo(monkeypatch)
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "video": SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")}, **headers)
    assert response.status_code == 422 and response.json()["code"] == "video_too_long"


def test_unreadable_duration_is_flagged_for_staff(api_client, headers, monkeypatch, tmp_path, staff_factory):
    clip = mp4_bytes(tmp_path, created=timezone.now() - timedelta(minutes=5), seconds=1)
    _no_mediainfo(monkeypatch)
    monkeypatch.setattr(evidence, "_ffprobe_metadata", lambda fileobj: (None, None, "none"))
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "video": SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")}, **headers)
    assert response.status_code == 201, response.content
    media = QuickReportMedia.objects.get()
    assert MediaFlag.DURATION_UNKNOWN in media.flags and media.duration_seconds is None
    api_client.force_login(staff_factory("intake"))
    page = api_client.get(reverse("quickreports:inbox_detail", args=[media.report_id])).content.decode()
    assert str(MediaFlag.DURATION_UNKNOWN.label) in page and "duration_unknown" not in page


def test_watermark_lines_name_the_case_time_and_place():
    from datetime import UTC, datetime

    from gongshang.quickreports.services.media import watermark_lines

    captured = datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    lines = watermark_lines(captured_at=captured, uploaded_at=captured, place="青岛市市南区香港中路 100 号",
                            case_numbers=["GS370200-2026-000123"])
    assert lines == ["案件编号：GS370200-2026-000123", "拍摄时间：2026-12-05 09:30:00", "地点：青岛市市南区香港中路 100 号"]
    many = watermark_lines(captured_at=None, uploaded_at=captured, place="",
                           case_numbers=[f"GS370200-2026-00012{i}" for i in range(3)])
    assert many == ["案件编号：GS370200-2026-000120、GS370200-2026-000121 等 3 件",
                    "上传时间（无拍摄时间）：2026-12-05 09:30:00", "地点：未填写"]


def test_video_poster_watermark_names_the_case_never_the_code(api_client, headers, monkeypatch, tmp_path):
    clip = mp4_bytes(tmp_path, created=timezone.now() - timedelta(minutes=5), seconds=1)
    drawn = []
    poster = evidence.video_poster
    monkeypatch.setattr(evidence, "video_poster", lambda stored, lines: drawn.extend(lines) or poster(stored, lines))
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "video": SimpleUploadedFile("v.mp4", clip, content_type="video/mp4")}, **headers)
    assert response.status_code == 201, response.content
    code, number = response.json()["code"], response.json()["case_numbers"][0]
    assert f"案件编号：{number}" in drawn
    assert not any(code in line or code.replace("-", "") in line for line in drawn)

def test_photo_carrying_a_web_page_is_flagged_by_the_full_check_and_never_handed_out(api_client, headers):
    """A picture that decodes but holds a page (an image/HTML polyglot): the submission's quick check
    does not scan for it; the full check before the copy is drawn does, and flags it like a damaged
    photo (no copy drawn, the original not handed out)."""
    page = b"<html><body><script>alert(document.domain)</script></body></html>"
    polyglot = jpeg_bytes(timezone.now() - timedelta(minutes=5)) + page
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "photos": [SimpleUploadedFile("evil.html", polyglot)]}, **headers)
    assert response.status_code == 201, response.content
    media = QuickReportMedia.objects.get()
    assert media.watermarked_id is None
    assert {MediaFlag.PHOTO_DAMAGED.value, MediaFlag.WATERMARK_FAILED.value,
            MediaFlag.ACTIVE_CONTENT.value} <= set(media.flags)
    assert api_client.get(reverse("quickreports:media", args=[media.pk, "original"]), **headers).status_code == 404


def test_jpeg_scan_bomb_is_422_before_decoding(api_client, headers, monkeypatch):
    """A progressive JPEG of hundreds of repeated scans (each a pass over the whole picture)."""
    from gongshang.core.tests.hostile_files import jpeg_scan_bomb

    monkeypatch.setattr(evidence, "_load_strictly", lambda img: pytest.fail("pixels were decoded"))
    response = api_client.post(reverse("api:create_report"), {
        "data": data(), "photos": [SimpleUploadedFile("a.jpg", jpeg_scan_bomb())]}, **headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "photo_not_image" and body["details"]["field"] == "photos[1]"
    assert "分段扫描过多（超过 150 段）" in body["message"]
    assert not QuickReport.objects.exists() and not StoredFile.objects.exists()
