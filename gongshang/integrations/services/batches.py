"""交换批次: receiving a partner's file, processing it with the partner's adapter, and recording
what we send.

`batch_receive` checks the (partner, kind) pair and the format version, streams the file to storage
while hashing it (SHA-256) and records the batch. A file whose checksum matches a batch of the same
统筹区, partner and kind already received (and not failed) becomes a `duplicate` batch pointing at
it: nothing is applied twice. Otherwise the batch is processed at once (small files, or when
settings say so) or by the task worker after the transaction commits.

`batch_process` (the platform acts: actor None) moves received → processing, then runs the adapter
and writes the counts, the row errors, the dead letters and processing → done in ONE transaction: a
file that is unreadable (FormatError) or an unexpected error leaves nothing applied and the batch
failed with a Chinese message; the stored file stays and `batch_retry` processes it again.
"""

import base64
import hashlib
import json
import logging
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from gongshang.accounts.access import get_for, require
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import _too_large, detect_type, display_name, open_stored
from gongshang.core.models import StoredFile
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.regions import pooling_region_of
from gongshang.core.workflow import transition

from .. import adapters
from ..choices import BatchKind, BatchStatus, Direction, ExchangeEventType, Partner
from ..errors import ExchangeErrorCode
from ..models import DeadLetter, ExchangeBatch
from ..rules.workflow import BATCH_PROCESSING_WORKFLOW
from ..selectors.batches import masked_numbers

logger = logging.getLogger(__name__)

SYSTEM_LABEL = "系统（数据交换）"
MAX_KEPT_ERRORS = 1000          # errors listed on the batch; every one is a dead letter
DEAD_LETTER_CHUNK = 1000
# Received, being processed or applied: a file with the same checksum is then a duplicate.
LIVE_STATUSES = (BatchStatus.RECEIVED, BatchStatus.PROCESSING, BatchStatus.DONE)
FAILED_MESSAGE = ("处理过程中发生系统错误，本批次的数据均未写入。文件已保存，请稍后点击“重新处理”；"
                  "如仍失败，请联系系统管理员并提供批次号 #{id}。")
NO_ADAPTER_MESSAGE = "该交换方的这类数据已停止自动处理，本批次的数据均未写入。请联系系统管理员。"
INTERRUPTED_MESSAGE = ("处理过程中断（后台处理程序意外停止），本批次的数据均未写入。文件已保存，"
                       "请点击“重新处理”。")
# Partner files are text (CSV, JSON, XML in UTF-8 or GBK: the adapter decodes) or a ZIP / XLSX
# container; the type is told by content (no NUL byte in text), the extension only names text kinds.
TEXT_TYPES = {"csv": "text/csv", "json": "application/json", "txt": "text/plain", "xml": "application/xml"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SNIFF = 4096
PUSH_TEMPLATE = "webhook_exchange_batch"
register_template(PUSH_TEMPLATE, "数据交换文件：{partner_label}·{kind_label}，批次 #{batch_id}，文件 {name}"
                                 "（格式版本 {format_version}，{size} 字节，SHA-256 {sha256}）。")
# What a retried batch starts from (a failed batch wrote nothing).
RESET = {"total": 0, "accepted": 0, "rejected": 0, "duplicate": 0, "errors": [], "summary": {},
         "failure_message": "", "started_at": None, "finished_at": None}


def push_max_bytes() -> int:
    """The largest file sent inside one webhook message (base64 in its JSON)."""
    return int(getattr(settings, "EXCHANGE_PUSH_MAX_BYTES", 20 * 1024 * 1024))


def max_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_BYTES", 200 * 1024 * 1024))


def inline_max_bytes() -> int:
    """Files up to this size are processed during the upload request; larger ones by the worker."""
    return int(getattr(settings, "EXCHANGE_INLINE_MAX_BYTES", 256 * 1024))


# --- receiving ------------------------------------------------------------------------------------------

def _region_of(actor, region) -> str:
    """The staff member's own 统筹区 (as their scope reads it); the platform names one."""
    if actor is not None:
        require(actor, "exchange_batch", "create")
        region = actor.jurisdiction or ""
    region = (region or "").strip()
    if not region or (actor is None and pooling_region_of(region) != region):
        raise DomainError(ExchangeErrorCode.REGION_REQUIRED, status=400,
                          details=[{"field": "region", "message": str(ExchangeErrorCode.REGION_REQUIRED.label)}])
    return region


def checked_adapter(partner, kind) -> adapters.InboundAdapter:
    """The adapter of (partner, kind); 400 naming both fields and the pairs that exist."""
    adapter = adapters.adapter_for(str(partner or ""), str(kind or ""))
    if adapter is not None:
        return adapter
    from ..selectors.batches import upload_choices

    known = "、".join(f"{c.partner_label}—{c.kind_label}" for c in upload_choices()) or "（暂无）"
    message = f"该交换方不报送这类数据，请核对“交换方”和“数据类别”。可接收的有：{known}。"
    raise DomainError(ExchangeErrorCode.UNKNOWN_ADAPTER, message, status=400, details=[
        {"field": "partner", "message": message}, {"field": "kind", "message": message}])


def checked_version(adapter, format_version) -> str:
    """The given version when the adapter reads it; "" means the adapter's newest."""
    version = str(format_version or "").strip()
    if not version:
        return adapter.format_versions[-1]
    if version in adapter.format_versions:
        return version
    message = (f"格式版本“{version[:20]}”不受支持：该类数据可接收的格式版本为 "
               f"{'、'.join(adapter.format_versions)}。请按交换方实际使用的版本填写，不填则按 {adapter.format_versions[-1]}。")
    raise DomainError(ExchangeErrorCode.FORMAT_VERSION, message, status=400,
                      details=[{"field": "format_version", "message": message}])


def _original_of(region: str, partner: str, kind: str, checksum: str) -> ExchangeBatch | None:
    return (ExchangeBatch.objects.filter(region=region, partner=partner, kind=kind, checksum=checksum,
                                         direction=Direction.INBOUND, status__in=LIVE_STATUSES)
            .order_by("pk").first())


def batch_receive(*, actor, partner, kind, upload, format_version="", region=None) -> ExchangeBatch:
    """Record one inbound file of `partner` and `kind`; returns the batch (processed already when
    small). `actor` None is the platform (the file drop): `region` says whose batch it is."""
    region = _region_of(actor, region)
    adapter = checked_adapter(partner, kind)
    version = checked_version(adapter, format_version)
    stored = _store_inbound(upload, actor=actor, region=region)
    with transaction.atomic():
        _lock_checksum(region, adapter.partner, adapter.kind, stored.sha256)
        original = _original_of(region, adapter.partner, adapter.kind, stored.sha256)
        common = {"region": region, "partner": adapter.partner, "kind": adapter.kind, "direction": Direction.INBOUND,
                  "format_version": version, "checksum": stored.sha256, "created_by": actor,
                  "original_name": (stored.original_name or getattr(upload, "name", "") or "batch")[:255]}
        if original is not None:
            return _record_duplicate(actor, original, stored, common)
        batch = ExchangeBatch.objects.create(file=stored, status=BatchStatus.RECEIVED, **common)
        record_event(actor=actor, actor_label="" if actor else SYSTEM_LABEL, event_type=ExchangeEventType.BATCH_RECEIVED,
                     target=batch, region=region, details={"partner": batch.partner, "kind": batch.kind,
                                                           "format_version": version, "size": stored.size,
                                                           "sha256": stored.sha256})
        inline = _schedule(batch.pk, stored.size)
    return batch_process(batch.pk) if inline else batch


def _lock_checksum(region: str, partner: str, kind: str, checksum: str) -> None:
    """Serialise receipts of one file until the transaction ends: a second upload of the same file
    at the same moment then finds the first one's batch and becomes its duplicate. PostgreSQL
    advisory lock (no row exists yet to lock); SQLite serialises every write."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"exchange_batch:{region}:{partner}:{kind}:{checksum}".encode()).digest()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])
    except OperationalError as exc:  # a lock wait that timed out
        raise DomainError(ExchangeErrorCode.INVALID_TRANSITION, "同一文件正在接收中，请稍后查看批次列表，"
                          "不必重新上传。", status=409) from exc


def _record_duplicate(actor, original, stored, common) -> ExchangeBatch:
    """The same file again: a batch of its own (the partner did send it) that applies nothing and
    shares the original's stored file (the copy just stored is removed)."""
    now = timezone.now()
    batch = ExchangeBatch.objects.create(
        file=original.file, status=BatchStatus.DUPLICATE, duplicate_of=original, total=original.total,
        duplicate=original.total, started_at=now, finished_at=now, **common)
    record_event(actor=actor, actor_label="" if actor else SYSTEM_LABEL, event_type=ExchangeEventType.BATCH_DUPLICATE,
                 target=batch, region=batch.region,
                 details={"partner": batch.partner, "kind": batch.kind, "duplicate_of": original.pk,
                          "total": batch.total})
    _discard(stored)
    return batch


def _schedule(batch_id: int, size: int) -> bool:
    """True when the caller should process the batch now; otherwise it is handed to the task queue
    once the surrounding transaction commits."""
    if getattr(settings, "EXCHANGE_PROCESS_INLINE", False) or size <= inline_max_bytes():
        return True
    transaction.on_commit(lambda: enqueue(batch_id))
    return False


def enqueue(batch_id: int) -> bool:
    """Hand the batch to the task queue; False (it stays received, the sweep finds it) if that fails."""
    from ..tasks import process_exchange_batch

    try:
        process_exchange_batch.enqueue(batch_id)
    except Exception:
        logger.exception("exchange batch #%s: enqueue failed; it stays received", batch_id)
        return False
    return True


# --- processing -----------------------------------------------------------------------------------------

def _step(batch, action: str, *, event_type=None, changes=None, details=None) -> ExchangeBatch:
    return transition(None, batch, action, workflow=BATCH_PROCESSING_WORKFLOW, actor_label=SYSTEM_LABEL,
                      event_type=event_type or f"exchange_batch.{action}", changes=changes, details=details,
                      region=batch.region, code=ExchangeErrorCode.INVALID_TRANSITION)


def batch_process(batch_id: int) -> ExchangeBatch:
    """Process a received batch. Never raises for bad input or unexpected errors: the batch ends
    done or failed. A batch another worker has claimed (or finished) is left alone."""
    batch = ExchangeBatch.objects.select_related("file").get(pk=batch_id)
    try:
        batch = _step(batch, "start", changes={"started_at": timezone.now()})
    except DomainError:
        return ExchangeBatch.objects.get(pk=batch_id)
    adapter = adapters.adapter_for(batch.partner, batch.kind)
    if adapter is None:
        _fail(batch, NO_ADAPTER_MESSAGE, reason="no_adapter")
        return ExchangeBatch.objects.get(pk=batch_id)
    try:
        with transaction.atomic():
            with open_stored(batch.file) as stream:
                outcome = adapter.process(batch, stream)
            _finish(batch, outcome)
    except adapters.FormatError as exc:
        _fail(batch, exc.message, reason="format")
    except DomainError as exc:
        logger.warning("exchange batch #%s refused: %s", batch_id, exc.code)
        _fail(batch, exc.message, reason=exc.code)
    except Exception:
        logger.exception("exchange batch #%s failed", batch_id)
        _fail(batch, FAILED_MESSAGE.format(id=batch_id), reason="error")
    return ExchangeBatch.objects.get(pk=batch_id)


def _json_safe(value):
    """The adapter's summary as plain JSON (Decimals and dates as text)."""
    return json.loads(json.dumps(value or {}, ensure_ascii=False, default=str))


def _finish(batch, outcome: adapters.Outcome) -> None:
    """Counts, the first errors, every dead letter and processing → done (in the caller's transaction)."""
    # Messages are shown in lists and kept in a plain column: numbers an adapter quotes stay masked.
    errors = [adapters.RowError(e.row, masked_numbers(str(e.message)), e.payload) for e in outcome.errors]
    _dead_letters(batch, errors)
    counts = {"total": outcome.total, "accepted": outcome.accepted, "rejected": outcome.rejected,
              "duplicate": outcome.duplicate}
    _step(batch, "finish", event_type=ExchangeEventType.BATCH_PROCESSED, details=counts, changes={
        **counts, "errors": [{"row": e.row, "message": str(e.message)} for e in errors[:MAX_KEPT_ERRORS]],
        "summary": _json_safe(outcome.summary), "failure_message": "", "finished_at": timezone.now()})


def _dead_letters(batch, errors) -> None:
    for start in range(0, len(errors), DEAD_LETTER_CHUNK):
        DeadLetter.objects.bulk_create([
            DeadLetter(batch=batch, region=batch.region, row=max(int(e.row), 0), message=str(e.message)[:500],
                       payload=json.dumps(e.payload or {}, ensure_ascii=False, default=str))
            for e in errors[start:start + DEAD_LETTER_CHUNK]])


def _fail(batch, message: str, *, reason: str) -> None:
    """The batch failed and nothing of it was applied (its transaction rolled back)."""
    try:
        _step(batch, "fail", event_type=ExchangeEventType.BATCH_FAILED, details={"reason": reason}, changes={
            **RESET, "started_at": batch.started_at, "failure_message": str(message)[:500],
            "finished_at": timezone.now()})
    except DomainError:
        logger.warning("exchange batch #%s: no longer processing, left as it is", batch.pk)


def batch_sweep(now=None) -> int:
    """Fail the batches left processing longer than EXCHANGE_PROCESSING_TIMEOUT_MINUTES (their
    worker died: its transaction rolled back, nothing was applied); how many."""
    minutes = int(getattr(settings, "EXCHANGE_PROCESSING_TIMEOUT_MINUTES", 120))
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    stale = ExchangeBatch.objects.filter(status=BatchStatus.PROCESSING, started_at__lt=cutoff)
    count = 0
    for batch in stale:
        _fail(batch, INTERRUPTED_MESSAGE, reason="interrupted")
        count += 1
    return count


def batch_process_waiting(*, grace_minutes: int = 5, now=None) -> int:
    """Process the batches received more than `grace_minutes` ago that no worker picked up (a
    worker was down, a queue lost the job); how many. Two processes never both process one batch:
    the first to move it to processing wins, the other leaves it."""
    cutoff = (now or timezone.now()) - timedelta(minutes=grace_minutes)
    waiting = list(ExchangeBatch.objects.filter(status=BatchStatus.RECEIVED, created_at__lt=cutoff)
                   .order_by("pk").values_list("pk", flat=True))
    return sum(1 for batch_id in waiting if batch_process(batch_id).status != BatchStatus.RECEIVED)


# --- staff actions --------------------------------------------------------------------------------------

def batch_retry(*, actor, batch_id: int) -> ExchangeBatch:
    """Process a failed batch again from its stored file (nothing of it was written)."""
    batch = get_for(actor, ExchangeBatch, batch_id, "retry")
    with transaction.atomic():
        batch = transition(actor, batch, "retry", changes=RESET, region=batch.region,
                           code=ExchangeErrorCode.BATCH_NOT_RETRYABLE,
                           message=str(ExchangeErrorCode.BATCH_NOT_RETRYABLE.label))
        inline = _schedule(batch.pk, batch.file.size)
    return batch_process(batch.pk) if inline else ExchangeBatch.objects.get(pk=batch.pk)


def dead_letter_resolve(*, actor, dead_letter_id: int, note: str) -> DeadLetter:
    """Close one error row with a note (corrected at the partner, or why nothing is needed)."""
    dead_letter = get_for(actor, DeadLetter, dead_letter_id, "resolve")
    note = (note or "").strip()
    if not note:
        raise FieldErrors({"note": "请填写处理说明：如已通知交换方更正后重新报送，或说明无需处理的原因。"})
    if len(note) > 300:
        raise FieldErrors({"note": f"处理说明最多 300 字，当前 {len(note)} 字，请精简后提交。"})
    return transition(actor, dead_letter, "resolve", event_type=ExchangeEventType.DEAD_LETTER_RESOLVED,
                      region=dead_letter.region, code=ExchangeErrorCode.INVALID_TRANSITION,
                      message="该错误行已处理，请刷新页面查看最新状态。",
                      changes={"note": note, "resolved_by": actor, "resolved_at": timezone.now()},
                      details={"batch": dead_letter.batch_id, "row": dead_letter.row})


# --- outbound -------------------------------------------------------------------------------------------

def batch_record_outbound(*, actor, partner, kind, content: bytes, name: str, format_version: str,
                          region: str) -> ExchangeBatch:
    """Record a file we send to `partner` (status sent): stored with its SHA-256, dropped into the
    partner's outbound folder and pushed on the webhook channel of the outbox (sent after commit,
    retried, visible to staff) when the partner has an address. Called by the province part inside
    its own transaction."""
    if str(partner) not in Partner.values or str(kind) not in BatchKind.values:
        raise FieldErrors({"partner": f"未知的交换方或数据类别：{partner}/{kind}，未生成发送批次。"})
    if not content:
        raise DomainError(ExchangeErrorCode.FILE_EMPTY, "要发送的文件是空的，未生成发送批次。", status=400)
    if len(content) > push_max_bytes():
        raise _too_large(len(content), push_max_bytes())
    stored = _store_bytes(content, name=name, region=region, actor=actor)
    with transaction.atomic():
        batch = ExchangeBatch.objects.create(
            region=region, partner=str(partner), kind=str(kind), direction=Direction.OUTBOUND,
            format_version=str(format_version)[:16], checksum=stored.sha256, file=stored,
            original_name=(name or stored.original_name)[:255], status=BatchStatus.SENT, created_by=actor,
            started_at=timezone.now(), finished_at=timezone.now())
        message = _push(batch, content)
        record_event(actor=actor, actor_label="" if actor else SYSTEM_LABEL, event_type=ExchangeEventType.BATCH_SENT,
                     target=batch, region=region,
                     details={"partner": batch.partner, "kind": batch.kind, "format_version": batch.format_version,
                              "size": stored.size, "sha256": stored.sha256,
                              "outbox_message": message.pk if message else None, "pushed": message is not None})
    return batch




def _push(batch, content: bytes):
    """The webhook message to the partner's address (settings.EXCHANGE_PARTNER_URLS), or None when
    the partner has none: the batch is then recorded and audited as not pushed."""
    url = str(getattr(settings, "EXCHANGE_PARTNER_URLS", {}).get(batch.partner, "") or "").strip()
    if not url:
        return None
    params = {"event": "exchange_batch_sent", "batch_id": batch.pk, "partner": batch.partner, "kind": batch.kind,
              "partner_label": batch.get_partner_display(), "kind_label": batch.get_kind_display(),
              "format_version": batch.format_version, "name": batch.original_name, "size": len(content),
              "sha256": batch.checksum, "content_base64": base64.b64encode(content).decode("ascii")}
    return enqueue_message(channel=OutboxChannel.WEBHOOK, recipient=url, template=PUSH_TEMPLATE, params=params,
                           region=batch.region)


# --- files ----------------------------------------------------------------------------------------------

def _file_refused(message: str, code=ExchangeErrorCode.FILE_FORMAT, status: int = 415) -> DomainError:
    return DomainError(code, message, status=status, details=[{"field": "file", "message": message}])


def _empty() -> DomainError:
    return _file_refused(str(ExchangeErrorCode.FILE_EMPTY.label), ExchangeErrorCode.FILE_EMPTY, 400)


def _client_extension(upload) -> str:
    name = PurePosixPath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _content_type(head: bytes, has_nul: bool, client_ext: str) -> tuple[str, str]:
    """(mime, extension) of a partner file, by its content; 415 for anything else."""
    mime, _ext = detect_type(head)
    if mime == "application/zip":
        return (XLSX_TYPE, "xlsx") if client_ext == "xlsx" else (mime, "zip")
    if mime is not None or has_nul:
        found = f"该文件的实际类型为 {mime}" if mime else "该文件不是文本文件"
        raise _file_refused(f"{found}。数据交换只接收 CSV、JSON、XML 等文本文件或 ZIP、XLSX 文件"
                            "（按文件内容判断，修改扩展名无效），请使用交换方按约定格式导出的原始文件。")
    if client_ext in TEXT_TYPES:
        return TEXT_TYPES[client_ext], client_ext
    ext = "json" if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else "csv"
    return TEXT_TYPES[ext], ext


def _store_inbound(upload, *, actor, region: str) -> StoredFile:
    """Stream the upload to storage, measuring and hashing it; memory stays flat whatever the size."""
    if upload is None:
        raise _empty()
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared == 0:
        raise _empty()
    if declared is not None and declared > limit:
        raise _too_large(declared, limit)
    digest, size, head, has_nul = hashlib.sha256(), 0, b"", False
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit, at_least=True)
        if len(head) < SNIFF:
            head += chunk[:SNIFF - len(head)]
        has_nul = has_nul or b"\x00" in chunk
        digest.update(chunk)
    if size == 0:
        raise _empty()
    mime, ext = _content_type(head, has_nul, _client_extension(upload))
    upload.seek(0)
    return _saved(upload, region=region, ext=ext, mime=mime, size=size, sha256=digest.hexdigest(), actor=actor,
                  client_name=getattr(upload, "name", ""))


def _store_bytes(content: bytes, *, name: str, region: str, actor) -> StoredFile:
    ext = (str(name or "").rsplit(".", 1)[-1].lower() if "." in str(name or "") else "") or "bin"
    ext = "".join(ch for ch in ext if ch.isalnum())[:10] or "bin"
    mime = TEXT_TYPES.get(ext) or {"zip": "application/zip", "xlsx": XLSX_TYPE}.get(ext, "application/octet-stream")
    return _saved(ContentFile(content), region=region, ext=ext, mime=mime, size=len(content),
                  sha256=hashlib.sha256(content).hexdigest(), actor=actor, client_name=name)


def _saved(fileobj, *, region, ext, mime, size, sha256, actor, client_name) -> StoredFile:
    now = timezone.localtime()
    saved = default_storage.save(f"exchange/{region}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{ext}", fileobj)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                storage_path=saved, original_name=display_name(client_name, ext), content_type=mime, extension=ext,
                size=size, sha256=sha256, uploaded_by=actor if getattr(actor, "pk", None) else None)
    except Exception:
        default_storage.delete(saved)  # no orphan blob when the row cannot be written
        raise


def _discard(stored: StoredFile) -> None:
    """Remove a copy nothing refers to (the blob once the transaction has committed)."""
    path = stored.storage_path
    stored.delete()
    transaction.on_commit(lambda: default_storage.delete(path))
