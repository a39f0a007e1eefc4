"""Deriving the watermarked copies again (水印件重新生成) from the stored originals.

Copies made before the watermark stopped showing the 快报唯一标志码 still show it, and staff and
the supplement page display them. The copy is derived data: it is made again from the original
(unchanged, SHA-256 kept) with today's text, and the old copy and its file are removed.
"""

import hashlib

from django.core.files.storage import default_storage
from django.db import transaction

from gongshang.core.audit import record_event
from gongshang.core.files.derived import store_derived
from gongshang.core.models import StoredFile

from ..choices import MediaFlag
from ..models import QuickReportMedia
from .media import PREFIX, delete_blobs, render_watermark, watermark_lines

RENDER_FLAGS = frozenset({MediaFlag.POSTER_ONLY.value, MediaFlag.WATERMARK_FONT_MISSING.value})
EVENT_TYPE = "quickreport.watermark_regenerated"


def report_case_numbers(report) -> list[str]:
    return list(report.accident.cases.order_by("pk").values_list("number", flat=True))


def accident_place(accident) -> str:
    return accident.address or f"{accident.latitude},{accident.longitude}"


def _render(media: QuickReportMedia) -> tuple[bytes, list[str]]:
    report = media.report
    lines = watermark_lines(captured_at=media.captured_at, uploaded_at=media.uploaded_at,
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
    record_event(actor=None, actor_label="system", event_type=EVENT_TYPE, target=media.report,
                 region=media.report.region, details={"media": media.pk, "sha256": marked.sha256})
    return True


def rewatermark_all(*, region: str = "") -> tuple[int, int]:
    """Every media item (of one 统筹区 if given): (checked, regenerated). One transaction each."""
    items = QuickReportMedia.objects.order_by("pk")
    if region:
        items = items.filter(report__region=region)
    checked = regenerated = 0
    for media in items.only("pk").iterator(chunk_size=200):
        checked += 1
        regenerated += media_rewatermark(media=media)
    return checked, regenerated
