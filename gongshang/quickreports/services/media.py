"""Checking and storing 现场影像: counts, type by content, size, duration, capture-time window;
then the unchanged original (SHA-256). The watermarked JPEG copy is derived by a task (watermarks.py)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from gongshang.core.errors import DomainError
from gongshang.core.files import evidence
from gongshang.core.files.storage import SNIFF_BYTES, _too_large, detect_type, save_upload
from gongshang.core.models import StoredFile

from .. import rules
from ..choices import MediaFlag, MediaKind
from ..errors import QuickReportErrorCode as E
from ..models import QuickReportMedia

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
PREFIX = "evidence/quickreports"


def photo_max_bytes() -> int:
    return int(getattr(settings, "QUICKREPORT_PHOTO_MAX_BYTES", 15 * 1024 * 1024))


def video_max_bytes() -> int:
    return int(getattr(settings, "QUICKREPORT_VIDEO_MAX_BYTES", 200 * 1024 * 1024))


def photo_max_pixels() -> int:
    return int(getattr(settings, "QUICKREPORT_PHOTO_MAX_PIXELS", evidence.DEFAULT_MAX_PIXELS))


def video_max_seconds() -> int:
    return int(getattr(settings, "QUICKREPORT_VIDEO_MAX_SECONDS", 60))


@dataclass
class CheckedMedia:
    upload: object
    kind: str
    field: str
    captured_at: datetime | None
    capture_source: str
    duration: float | None = None
    flags: list[str] = field(default_factory=list)


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _refuse(code, field_name: str, message: str | None = None, **details) -> DomainError:
    return DomainError(code, message, status=422, details={"field": field_name, **details})


def _check_window(captured, accident_at, uploaded_at, field_name):
    if captured is not None and not rules.capture_time_ok(captured, accident_at, uploaded_at):
        shown = timezone.localtime(captured).strftime("%Y-%m-%d %H:%M:%S")
        raise _refuse(E.CAPTURE_TIME_OUT_OF_WINDOW, field_name,
                      f"{field_name} 的拍摄时间为 {shown}，不在事故发生前 1 小时至上传时之间，"
                      "请在现场重新拍摄后上传。", captured_at=captured.isoformat())


def check_photo(upload, *, accident_at, uploaded_at, field_name) -> CheckedMedia:
    if (getattr(upload, "size", 0) or 0) > photo_max_bytes():
        raise _too_large(upload.size, photo_max_bytes())
    mime, _ext = detect_type(_head(upload))
    # The quick checks only (header, scan count, the file's end; the capture time read in the same
    # opening of the file): the full check (every pixel decoded, no web page inside) follows in the
    # task that draws the watermarked copy (watermarks.derive); nothing is derived from the photo
    # or handed out before it.
    problem, captured = (evidence.photo_quick_check(upload, max_pixels=photo_max_pixels()) if mime in PHOTO_TYPES
                         else (None, None))
    if problem == "too_many_pixels":
        raise _refuse(E.PHOTO_TOO_MANY_PIXELS, field_name, f"{field_name} 的像素过多（上限 {photo_max_pixels() // 1_000_000} "
                      "百万像素），请用相机的标准分辨率重新拍摄后上传。", max_pixels=photo_max_pixels())
    if problem == "too_many_scans":
        raise _refuse(E.PHOTO_NOT_IMAGE, field_name, f"{field_name} 是分段扫描过多（超过 {evidence.MAX_JPEG_SCANS} 段）的 "
                      "JPEG 图片，无法安全读取，请用相机重新拍摄后上传。", detected=mime or "")
    if mime not in PHOTO_TYPES or problem:
        raise _refuse(E.PHOTO_NOT_IMAGE, field_name, f"{field_name} 不是完整的 JPEG/PNG 图片（按文件内容判断，"
                      "文件可能不完整），请用相机重新拍摄后上传。", detected=mime or "")
    _check_window(captured, accident_at, uploaded_at, field_name)
    flags = [] if captured else [MediaFlag.NO_CAPTURE_TIME.value]
    return CheckedMedia(upload, MediaKind.PHOTO, field_name, captured, "exif" if captured else "", flags=flags)


def check_video(upload, *, accident_at, uploaded_at, field_name="video") -> CheckedMedia:
    if (getattr(upload, "size", 0) or 0) > video_max_bytes():
        raise _too_large(upload.size, video_max_bytes())
    mime, _ext = detect_type(_head(upload))
    if mime not in VIDEO_TYPES:
        raise _refuse(E.VIDEO_NOT_VIDEO, field_name, detected=mime or "")
    captured, duration, source = evidence.video_metadata(upload)
    if duration is not None and duration > video_max_seconds():
        raise _refuse(E.VIDEO_TOO_LONG, field_name, f"视频时长 {duration:.0f} 秒，超过上限 {video_max_seconds()} 秒，"
                      "请拍摄更短的视频。", duration=duration)
    _check_window(captured, accident_at, uploaded_at, field_name)
    flags = [] if captured else [MediaFlag.NO_CAPTURE_TIME.value]
    if duration is None:  # neither MediaInfo nor ffprobe could read it: staff must check the length
        flags.append(MediaFlag.DURATION_UNKNOWN.value)
    return CheckedMedia(upload, MediaKind.VIDEO, field_name, captured, source if captured else "",
                        duration=duration, flags=flags)


def check_counts(*, photos: int, videos: int, existing_photos: int = 0, existing_videos: int = 0) -> None:
    """Counts of current media after the change; called again under the report's row lock."""
    problem = rules.media_count_problem(photos=existing_photos + photos, videos=existing_videos + videos)
    if problem == "photos":
        raise _refuse(E.TOO_MANY_PHOTOS, "photos", max=rules.MAX_PHOTOS, current=existing_photos)
    if problem == "videos":
        raise _refuse(E.TOO_MANY_VIDEOS, "video", max=rules.MAX_VIDEOS, current=existing_videos)


def check_all(*, photos, video, accident_at, uploaded_at, existing_photos=0, existing_videos=0):
    """Check every file before anything is written (一次性告知 for counts; files one by one)."""
    videos = [video] if video else []
    check_counts(photos=len(photos), videos=len(videos), existing_photos=existing_photos,
                 existing_videos=existing_videos)
    checked = [check_photo(p, accident_at=accident_at, uploaded_at=uploaded_at, field_name=f"photos[{i + 1}]")
               for i, p in enumerate(photos)]
    checked += [check_video(v, accident_at=accident_at, uploaded_at=uploaded_at) for v in videos]
    return checked


CASE_NUMBERS_SHOWN = 2  # more would run off the band; the rest are counted


def case_reference(case_numbers: list[str]) -> str:
    """The public case number(s) of the report: up to two, then "等 N 件"."""
    shown = "、".join(case_numbers[:CASE_NUMBERS_SHOWN])
    return f"{shown} 等 {len(case_numbers)} 件" if len(case_numbers) > CASE_NUMBERS_SHOWN else shown


def watermark_lines(*, captured_at, uploaded_at, place: str, case_numbers: list[str]) -> list[str]:
    """案件编号, time and place. Never the 快报唯一标志码: it is a credential, and the watermarked
    copy is shown to staff and on the supplement page (the case number is public and sequential)."""
    when = timezone.localtime(captured_at or uploaded_at).strftime("%Y-%m-%d %H:%M:%S")
    label = "拍摄时间" if captured_at else "上传时间（无拍摄时间）"
    lines = [f"案件编号：{case_reference(case_numbers)}"] if case_numbers else []
    return [*lines, f"{label}：{when}", f"地点：{place[:40] or '未填写'}"]


def render_watermark(*, item_kind: str, source, original, lines: list[str]) -> tuple[bytes, list[str]]:
    """The watermarked JPEG (a photo, or the video's poster) and the flags it adds."""
    flags = []
    if item_kind == MediaKind.PHOTO:
        data, font_found = evidence.watermark_photo(source, lines)
    else:
        data, font_found, real_frame = evidence.video_poster(original, lines)
        flags += [] if real_frame else [MediaFlag.POSTER_ONLY.value]
    if not font_found:
        flags.append(MediaFlag.WATERMARK_FONT_MISSING.value)
    return data, flags


def store_all(*, report, items: list[CheckedMedia], revision: int, actor, written: list[str]) -> list[QuickReportMedia]:
    """Store checked files: each original unchanged (hashed while it is written), then their rows
    in two inserts. The watermarked copy (or the video's poster) is derived afterwards by a task
    (watermarks.schedule), so a worker on a weak network gets the answer as soon as the originals
    are safe; until the copy exists the pages show a placeholder and staff the original (a photo's
    original once the task's full check has passed: `original_servable`). `written` collects the
    blobs, for the caller to delete if its transaction fails."""
    files = []
    for item in items:
        is_photo = item.kind == MediaKind.PHOTO
        original = save_upload(item.upload, allowed_types=set(PHOTO_TYPES if is_photo else VIDEO_TYPES),
                               max_bytes=photo_max_bytes() if is_photo else video_max_bytes(), prefix=PREFIX,
                               actor=actor, content_checked_later=is_photo, field="photos" if is_photo else "video",
                               label="照片" if is_photo else "视频")
        written.append(original.storage_path)
        files.append(original)
    if not files:
        return []
    StoredFile.objects.bulk_create(files)
    return QuickReportMedia.objects.bulk_create([
        QuickReportMedia(report=report, kind=item.kind, original=original, watermarked=None,
                         captured_at=item.captured_at, capture_source=item.capture_source, flags=list(item.flags),
                         revision=revision,
                         duration_seconds=Decimal(f"{item.duration:.2f}") if item.duration is not None else None)
        for item, original in zip(items, files, strict=True)])


def original_servable(media: QuickReportMedia) -> bool:
    """Whether the original may be handed out. A video: always (it is only ever a download or a
    sandboxed player source). A photo: once the task's full check (every pixel decoded, no web page
    inside) has run, i.e. its copy was drawn or drawing it failed for another reason; a photo the
    check found carrying a web page is never handed out (a damaged one is: staff judge it)."""
    if media.kind != MediaKind.PHOTO:
        return True
    flags = set(media.flags or [])
    if MediaFlag.ACTIVE_CONTENT.value in flags:
        return False
    return media.watermarked_id is not None or bool(flags & {MediaFlag.WATERMARK_FAILED.value,
                                                             MediaFlag.PHOTO_DAMAGED.value})


def delete_blobs(paths: list[str]) -> None:
    """After a failed transaction: remove files already written (their rows rolled back)."""
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:
            pass
