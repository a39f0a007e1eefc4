"""Deriving the watermarked copies (水印件) from the stored originals, off the request path.

A quick report answers as soon as its originals are stored (SHA-256 kept); the watermarked copy of
each photo and the video's poster are made by a task right after the transaction commits
(`schedule`), and a sweep (`derive_missing`, run by the worker's periodic task and by
`manage.py quickreport_rewatermark --missing`) catches any the queue lost. The copy is derived data:
it is made again from the original with today's text (copies made before the watermark stopped
showing the 快报唯一标志码 are replaced the same way), and the old copy and its file are removed.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.files import evidence
from gongshang.core.files.derived import store_derived
from gongshang.core.models import StoredFile
from gongshang.core.queue import enqueue_after_commit

from ..choices import MediaFlag, MediaKind
from ..models import QuickReportMedia
from . import media as media_service
from .media import PREFIX, delete_blobs, photo_max_pixels, render_watermark

RENDER_FLAGS = frozenset({MediaFlag.POSTER_ONLY.value, MediaFlag.WATERMARK_FONT_MISSING.value,
                          MediaFlag.WATERMARK_FAILED.value, MediaFlag.PHOTO_DAMAGED.value,
                          MediaFlag.ACTIVE_CONTENT.value})
EVENT_TYPE = "quickreport.watermark_regenerated"
DERIVED_EVENT_TYPE = "quickreport.watermark_derived"
FAILED_EVENT_TYPE = "quickreport.watermark_failed"
SWEEP_GRACE = timedelta(minutes=2)  # the sweep leaves alone what the task is about to do anyway
logger = logging.getLogger(__name__)


def schedule(media_ids: list[int]) -> None:
    """Enqueue the derivation of these media's copies, to run once the caller's transaction commits.
    A queue that refuses the job breaks nothing: the sweep derives what is missing."""
    ids = [int(i) for i in media_ids]
    if not ids:
        return

    def enqueue():
        from gongshang.quickreports.tasks import derive_watermarks

        derive_watermarks.enqueue(ids)

    enqueue_after_commit(enqueue, what=f"quick report media {ids} (left for the sweep)")


def derive(media_ids: list[int]) -> int:
    """Derive the missing copies of `media_ids` (the task's body); how many were made."""
    made = 0
    for media in QuickReportMedia.objects.filter(pk__in=media_ids, watermarked__isnull=True).order_by("pk"):
        made += _derive_one(media)
    return made


def _derive_one(media: QuickReportMedia) -> bool:
    """Draw one copy. A photo that passed the quick checks but does not decode is flagged for staff
    (who still have the original); a file the storage cannot read right now is left for the sweep;
    anything else that goes wrong is flagged as failed (the rewatermark command tries it again)."""
    try:
        made = media_rewatermark(media=media)
    except PhotoUnreadable as exc:  # a web page inside too: flagged the same, and never handed out
        extra = [MediaFlag.ACTIVE_CONTENT.value] if exc.reason == "active_content" else []
        _flag(media, MediaFlag.PHOTO_DAMAGED.value, reason=exc.reason, extra=extra)
        return False
    except OSError:
        logger.exception("quick report media #%s: storage not readable now, left for the sweep", media.pk)
        return False
    except Exception:
        logger.exception("quick report media #%s: watermark failed", media.pk)
        _flag(media, MediaFlag.WATERMARK_FAILED.value)
        return False
    if made and media.kind == MediaKind.PHOTO:
        try:
            _into_case_vaults(media.pk)
        except Exception:  # the copy stands; staff can still attach the photo by hand
            logger.exception("quick report media #%s: not added to the case vaults", media.pk)
    return made


def _into_case_vaults(media_id: int) -> None:
    """The photo passed its full check: cases that drafted an application meanwhile get it too."""
    from gongshang.cases.vault import vault_import_checked_media

    media = QuickReportMedia.objects.select_related("report", "original").get(pk=media_id)
    if media_service.original_servable(media):
        with transaction.atomic():
            vault_import_checked_media(media=media)


def _flag(media: QuickReportMedia, flag: str, *, reason: str = "", extra: list[str] = ()) -> None:
    """No copy can be drawn: staff see the flag beside the original (and the report's timeline says so)."""
    flags = list(dict.fromkeys([*media.flags, flag, MediaFlag.WATERMARK_FAILED.value, *extra]))
    QuickReportMedia.objects.filter(pk=media.pk).update(flags=flags)
    record_event(actor=None, actor_label="system", event_type=FAILED_EVENT_TYPE, target=media.report,
                 region=media.report.region, details={"media": media.pk, "flag": flag, "reason": reason})


def derive_missing(*, grace: timedelta = SWEEP_GRACE, limit: int = 1000) -> int:
    """The sweep: copies still missing after `grace` (a worker was down, a queue lost a job); a file
    already flagged as failed is not tried again (the rewatermark command retries it on purpose), and
    however many such files there are, the sweep looks past them to the ones still to draw."""
    rows = (QuickReportMedia.objects.filter(watermarked__isnull=True, uploaded_at__lte=timezone.now() - grace)
            .order_by("pk").values_list("pk", "flags"))
    failed = {MediaFlag.WATERMARK_FAILED.value, MediaFlag.PHOTO_DAMAGED.value}
    ids = []
    for pk, flags in rows.iterator(chunk_size=2000):
        if not failed & set(flags or []):
            ids.append(pk)
            if len(ids) >= limit:
                break
    return derive(ids)


def report_case_numbers(report) -> list[str]:
    return list(report.accident.cases.order_by("pk").values_list("number", flat=True))


def accident_place(accident) -> str:
    return accident.address or f"{accident.latitude},{accident.longitude}"


class PhotoUnreadable(Exception):
    """The stored photo passed the quick checks but does not decode whole (the full check)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _render(media: QuickReportMedia) -> tuple[bytes, list[str]]:
    report = media.report
    if media.kind == MediaKind.PHOTO:
        with default_storage.open(media.original.storage_path, "rb") as fh:
            problem = evidence.image_problem(fh, max_pixels=photo_max_pixels())
        if problem:
            raise PhotoUnreadable(problem)
    lines = media_service.watermark_lines(captured_at=media.captured_at, uploaded_at=media.uploaded_at,
                            place=accident_place(report.accident), case_numbers=report_case_numbers(report))
    with default_storage.open(media.original.storage_path, "rb") as fh:
        return render_watermark(item_kind=media.kind, source=fh, original=media.original, lines=lines)


def _delete_after_commit(stored: StoredFile) -> None:
    path = stored.storage_path
    stored.delete()

    def remove_blob():
        try:
            default_storage.delete(path)
        except OSError:
            pass

    transaction.on_commit(remove_blob)


def media_rewatermark(*, media: QuickReportMedia) -> bool:
    """Derive the watermarked copy of one media item again; False when it is already current."""
    written: list[str] = []
    try:
        return _rewatermark(media_id=media.pk, written=written)
    except Exception:
        delete_blobs(written)  # the rows rolled back; the new file must go too
        raise


@transaction.atomic
def _rewatermark(*, media_id: int, written: list[str]) -> bool:
    media = (QuickReportMedia.objects.select_for_update(of=("self",))
             .select_related("report__accident", "original", "watermarked")
             .get(pk=media_id))
    data, render_flags = _render(media)
    old = media.watermarked
    if old is not None and old.sha256 == hashlib.sha256(data).hexdigest():
        return False
    marked = store_derived(data, original=media.original, content_type="image/jpeg", extension="jpg", prefix=PREFIX,
                           suffix="watermarked")
    written.append(marked.storage_path)
    flags = [f for f in media.flags if f not in RENDER_FLAGS] + render_flags
    QuickReportMedia.objects.filter(pk=media.pk).update(watermarked=marked, flags=flags)
    if old is not None:
        _delete_after_commit(old)
    record_event(actor=None, actor_label="system", event_type=EVENT_TYPE if old is not None else DERIVED_EVENT_TYPE,
                 target=media.report, region=media.report.region, details={"media": media.pk, "sha256": marked.sha256})
    return True


def rewatermark_all(*, region: str = "") -> tuple[int, int]:
    """Every media item (of one 统筹区 if given): (checked, regenerated). One transaction each."""
    items = QuickReportMedia.objects.order_by("pk")
    if region:
        items = items.filter(report__region=region)
    checked = regenerated = 0
    for media in items.iterator(chunk_size=200):
        checked += 1
        regenerated += _derive_one(media)  # a damaged photo is flagged; the run goes on
    return checked, regenerated
