"""Watermarked copies derived again from the originals: copies that showed the 快报唯一标志码 are
replaced (old file removed), current ones are left alone; the command and seed_demo do it."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from gongshang.core.files import evidence
from gongshang.core.files.derived import store_derived
from gongshang.core.models import AuditEvent, StoredFile
from gongshang.quickreports import demo
from gongshang.quickreports.choices import MediaFlag
from gongshang.quickreports.models import QuickReportMedia
from gongshang.quickreports.services import media as media_service
from gongshang.quickreports.services.watermarks import media_rewatermark, report_case_numbers

from .media_fixtures import jpeg_bytes

pytestmark = pytest.mark.django_db


def _old_style_copy(media, code: str) -> StoredFile:
    """What the watermark looked like before: time, place and the code."""
    with default_storage.open(media.original.storage_path, "rb") as fh:
        data, _found = evidence.watermark_photo(fh, ["拍摄时间：…", "地点：…", f"快报码：{code}"])
    old = store_derived(data, original=media.original, content_type="image/jpeg", extension="jpg",
                        prefix=media_service.PREFIX, suffix="watermarked")
    QuickReportMedia.objects.filter(pk=media.pk).update(
        watermarked=old, flags=[*media.flags, MediaFlag.WATERMARK_FONT_MISSING.value])
    return old


@pytest.fixture
def media_with_code_watermark(worker, submit):
    data = jpeg_bytes(timezone.now() - timedelta(minutes=5), size=(400, 300))
    result = submit(worker, photos=[SimpleUploadedFile("a.jpg", data)])
    media = QuickReportMedia.objects.get(report=result.report)
    current = media.watermarked
    old = _old_style_copy(media, result.code)
    current.delete()  # stands for a database where only the old copy exists
    return media, old


def test_copy_showing_the_code_is_derived_again_and_the_old_file_removed(media_with_code_watermark,
                                                                          django_capture_on_commit_callbacks):
    media, old = media_with_code_watermark
    with django_capture_on_commit_callbacks(execute=True):
        assert media_rewatermark(media=media) is True
    media.refresh_from_db()
    assert media.watermarked_id != old.pk and media.watermarked.derived_from_id == media.original_id
    assert not StoredFile.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.storage_path)
    lines = media_service.watermark_lines(captured_at=media.captured_at, uploaded_at=media.uploaded_at,
                                          place=media.report.accident.address,
                                          case_numbers=report_case_numbers(media.report))
    with default_storage.open(media.original.storage_path, "rb") as fh:
        expected, _found = evidence.watermark_photo(fh, lines)
    assert media.watermarked.sha256 == hashlib.sha256(expected).hexdigest()  # case number, time, place
    assert MediaFlag.WATERMARK_FONT_MISSING not in media.flags  # recomputed with the new copy
    assert AuditEvent.objects.filter(event_type="quickreport.watermark_regenerated").count() == 1


def test_current_copy_is_left_alone(worker, submit):
    submit(worker, photos=[SimpleUploadedFile("a.jpg", jpeg_bytes(timezone.now() - timedelta(minutes=5)))])
    media = QuickReportMedia.objects.get()
    before = media.watermarked_id
    assert media_rewatermark(media=media) is False
    media.refresh_from_db()
    assert media.watermarked_id == before and StoredFile.objects.count() == 2


def test_command_regenerates_once(media_with_code_watermark):
    out = StringIO()
    call_command("quickreport_rewatermark", stdout=out)
    assert "已检查 1 个影像，重新生成水印件 1 个" in out.getvalue()
    call_command("quickreport_rewatermark", "--region", "370200", stdout=out)
    assert "重新生成水印件 0 个" in out.getvalue()


def test_seed_of_existing_demo_reports_regenerates_their_copies(media_with_code_watermark):
    media, old = media_with_code_watermark
    out = StringIO()
    demo.seed(stdout=out)
    media.refresh_from_db()
    assert media.watermarked_id != old.pk and "重新生成水印件 1 个" in out.getvalue()


# --- off the request path: the originals answer, the copies follow -----------------------------------

def _photo():
    return SimpleUploadedFile("a.jpg", jpeg_bytes(timezone.now() - timedelta(minutes=5), size=(400, 300)))


@pytest.mark.deferred_watermarks
def test_submit_answers_with_the_originals_and_the_copy_follows_after_commit(worker, submit, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = submit(worker, photos=[_photo(), _photo()])
        stored = list(QuickReportMedia.objects.filter(report=result.report))
        # Answered: both originals stored and hashed, no copy drawn inside the request.
        assert len(stored) == 2 and all(m.watermarked_id is None and len(m.original.sha256) == 64 for m in stored)
    assert callbacks, "the copies are scheduled after the commit"
    for callback in callbacks:
        callback()
    for media in stored:
        media.refresh_from_db()
        assert media.watermarked is not None and media.watermarked.derived_from_id == media.original_id
    assert AuditEvent.objects.filter(event_type="quickreport.watermark_derived").count() == 2


@pytest.mark.deferred_watermarks
def test_a_queue_that_refuses_the_job_breaks_nothing_and_the_sweep_derives_the_copy(
        worker, submit, monkeypatch, django_capture_on_commit_callbacks, time_machine):
    from gongshang.quickreports import tasks
    from gongshang.quickreports.services import watermarks

    class QueueDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "derive_watermarks", QueueDown())
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(worker, photos=[_photo()])
    media = QuickReportMedia.objects.get(report=result.report)
    assert media.watermarked_id is None
    assert watermarks.derive_missing() == 0  # within the grace: the task may still come
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert watermarks.derive_missing() == 1
    media.refresh_from_db()
    assert media.watermarked is not None


@pytest.mark.deferred_watermarks
def test_a_file_that_cannot_be_drawn_is_flagged_for_staff_and_not_retried_by_the_sweep(worker, submit, monkeypatch):
    from gongshang.quickreports.services import watermarks

    result = submit(worker, photos=[_photo()])
    media = QuickReportMedia.objects.get(report=result.report)

    def broken(*args, **kwargs):
        raise ValueError("cannot draw")

    monkeypatch.setattr(watermarks, "render_watermark", broken)
    assert watermarks.derive([media.pk]) == 0
    media.refresh_from_db()
    assert media.watermarked_id is None and MediaFlag.WATERMARK_FAILED.value in media.flags
    assert watermarks.derive_missing(grace=timedelta(0)) == 0


@pytest.mark.deferred_watermarks
def test_pages_show_a_placeholder_until_the_copy_exists(worker, submit, client):
    from django.template.loader import render_to_string

    from gongshang.quickreports.presenters import media_item

    result = submit(worker, photos=[_photo()])
    media = QuickReportMedia.objects.get(report=result.report)
    html = render_to_string("quickreports/_media.html", {"items": [media_item(media)]})
    # The original is not handed out before the full check: no link that would answer 404.
    assert "水印件生成中" in html and "原件正在检查，稍后可下载" in html and "下载原件" not in html
    client.force_login(worker)
    assert client.get(media_item(media)["original_url"]).status_code == 404
    assert media_item(media)["original_available"] is False

    watermarks_module().derive([media.pk])
    media.refresh_from_db()
    html = render_to_string("quickreports/_media.html", {"items": [media_item(media)]})
    assert "下载原件" in html and "正在检查" not in html and media_item(media)["original_available"] is True


@pytest.mark.deferred_watermarks
def test_a_photo_refused_by_the_full_check_shows_why_instead_of_a_download_link(worker, submit):
    from django.template.loader import render_to_string

    from gongshang.quickreports.presenters import media_item

    page = b"<html><body><script>alert(1)</script></body></html>"
    polyglot = SimpleUploadedFile("p.jpg", jpeg_bytes(timezone.now() - timedelta(minutes=5)) + page)
    media = QuickReportMedia.objects.get(report=submit(worker, photos=[polyglot]).report)
    watermarks_module().derive([media.pk])
    media.refresh_from_db()
    item = media_item(media)
    html = render_to_string("quickreports/_media.html", {"items": [item]})
    assert item["original_available"] is False and item["original_refused"] is True
    assert "此照片未通过安全检查，不提供原件下载" in html and "下载原件" not in html


def watermarks_module():
    from gongshang.quickreports.services import watermarks

    return watermarks


@pytest.mark.deferred_watermarks
def test_the_command_with_missing_derives_only_what_is_missing(worker, submit, time_machine):
    result = submit(worker, photos=[_photo()])
    media = QuickReportMedia.objects.get(report=result.report)
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    out = StringIO()
    call_command("quickreport_rewatermark", "--missing", stdout=out)
    media.refresh_from_db()
    assert media.watermarked is not None and "补做水印件 1 个" in out.getvalue()


@pytest.mark.deferred_watermarks
def test_a_photo_that_fails_the_full_decode_is_flagged_damaged_and_no_copy_is_drawn(worker, submit, monkeypatch):
    """The request checks the header, the scans, the file's end and markup; the task decodes every
    pixel before drawing, and a photo that does not decode is flagged for staff (no copy)."""
    from gongshang.quickreports.services import watermarks

    result = submit(worker, photos=[_photo()])
    media = QuickReportMedia.objects.get(report=result.report)
    seen = []
    monkeypatch.setattr(watermarks.evidence, "image_problem", lambda fh, **kw: seen.append(fh) or "undecodable")
    assert watermarks.derive([media.pk]) == 0
    media.refresh_from_db()
    assert media.watermarked_id is None
    assert seen and {MediaFlag.PHOTO_DAMAGED.value, MediaFlag.WATERMARK_FAILED.value} <= set(media.flags)
    assert AuditEvent.objects.filter(event_type="quickreport.watermark_failed").exists()


@pytest.mark.deferred_watermarks
def test_a_storage_error_is_not_a_failure_and_the_sweep_tries_again(worker, submit, monkeypatch):
    from gongshang.quickreports.services import watermarks

    media = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    with monkeypatch.context() as m:
        m.setattr(watermarks, "_render", lambda media: (_ for _ in ()).throw(OSError("storage down")))
        assert watermarks.derive([media.pk]) == 0
    media.refresh_from_db()
    assert media.flags == [] or MediaFlag.WATERMARK_FAILED.value not in media.flags
    assert watermarks.derive_missing(grace=timedelta(0)) == 1


# --- review findings: phone photos, the sweep's window, damaged photos in a full run, the flag cleared --

def _mpo_bytes() -> bytes:
    import io as _io

    from PIL import Image

    buffer = _io.BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(buffer, "MPO", save_all=True,
                                                 append_images=[Image.new("RGB", (100, 75), (9, 9, 9))])
    return buffer.getvalue()


def test_a_multi_picture_phone_photo_is_accepted(worker, submit):
    result = submit(worker, photos=[SimpleUploadedFile("a.jpg", _mpo_bytes())])
    assert QuickReportMedia.objects.filter(report=result.report).count() == 1


@pytest.mark.deferred_watermarks
def test_the_sweep_looks_past_failed_media(worker, submit):
    from gongshang.quickreports.services import watermarks

    failed = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    QuickReportMedia.objects.filter(pk=failed.pk).update(flags=[MediaFlag.WATERMARK_FAILED.value])
    fresh = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    assert watermarks.derive_missing(grace=timedelta(0), limit=1) == 1
    fresh.refresh_from_db()
    assert fresh.watermarked_id is not None


@pytest.mark.deferred_watermarks
def test_the_rewatermark_command_flags_a_damaged_photo_and_goes_on(worker, submit, monkeypatch):
    import os

    from gongshang.core.files import evidence
    from gongshang.quickreports.services import watermarks

    first = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    second = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    real = evidence.image_problem

    def damaged_first(fh, **kw):
        return "undecodable" if fh.name.endswith(os.path.basename(first.original.storage_path)) else real(fh, **kw)

    monkeypatch.setattr(watermarks.evidence, "image_problem", damaged_first)
    call_command("quickreport_rewatermark", stdout=StringIO())
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.watermarked_id is not None and MediaFlag.PHOTO_DAMAGED.value in first.flags


@pytest.mark.deferred_watermarks
def test_the_damaged_flag_is_cleared_when_a_later_derivation_succeeds(worker, submit, monkeypatch):
    from gongshang.quickreports.services import watermarks

    media = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    with monkeypatch.context() as m:
        m.setattr(watermarks.evidence, "image_problem", lambda fh, **kw: "undecodable")
        watermarks.derive([media.pk])
    media.refresh_from_db()
    assert MediaFlag.PHOTO_DAMAGED.value in media.flags
    assert watermarks.media_rewatermark(media=media) is True
    media.refresh_from_db()
    assert media.watermarked_id is not None and MediaFlag.PHOTO_DAMAGED.value not in media.flags


def test_the_production_timer_runs_the_watermark_sweep():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "quickreport_rewatermark --missing" in text


# --- the full check (every pixel, no web page) runs in the task; nothing is handed out before it --

def _original_status(client, media) -> int:
    from django.urls import reverse

    return client.get(reverse("quickreports:media", args=[media.pk, "original"])).status_code


@pytest.mark.deferred_watermarks
def test_a_photo_original_is_handed_out_only_after_the_full_check(worker, submit, client, staff_factory):
    from gongshang.quickreports.services import watermarks

    media = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    client.force_login(staff_factory("intake"))
    assert _original_status(client, media) == 404  # not yet checked: neither copy nor original
    assert watermarks.derive([media.pk]) == 1
    assert _original_status(client, media) == 200


@pytest.mark.deferred_watermarks
def test_the_full_check_flags_a_photo_carrying_a_web_page_like_a_damaged_one(worker, submit, client,
                                                                            staff_factory):
    from gongshang.core.tests.hostile_files import PAGE
    from gongshang.quickreports.services import watermarks

    hostile = SimpleUploadedFile("a.jpg", jpeg_bytes(timezone.now() - timedelta(minutes=5)) + PAGE)
    media = QuickReportMedia.objects.get(report=submit(worker, photos=[hostile]).report)
    assert media.flags == [] and media.watermarked_id is None  # the submission's quick check passed it
    assert watermarks.derive([media.pk]) == 0
    media.refresh_from_db()
    assert media.watermarked_id is None
    assert {MediaFlag.PHOTO_DAMAGED.value, MediaFlag.WATERMARK_FAILED.value,
            MediaFlag.ACTIVE_CONTENT.value} <= set(media.flags)
    event = AuditEvent.objects.get(event_type="quickreport.watermark_failed")
    assert event.details["reason"] == "active_content"
    client.force_login(staff_factory("intake"))
    assert _original_status(client, media) == 404  # never handed out
    assert watermarks.derive_missing(grace=timedelta(0)) == 0  # and not tried again by the sweep


@pytest.mark.deferred_watermarks
def test_a_damaged_photo_original_stays_available_to_staff(worker, submit, client, staff_factory, monkeypatch):
    from gongshang.quickreports.services import watermarks

    media = QuickReportMedia.objects.get(report=submit(worker, photos=[_photo()]).report)
    monkeypatch.setattr(watermarks.evidence, "image_problem", lambda fh, **kw: "undecodable")
    watermarks.derive([media.pk])
    client.force_login(staff_factory("intake"))
    assert _original_status(client, media) == 200
