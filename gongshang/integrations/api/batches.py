"""交换批次 API under /api/v1/exchange/: receive a partner's file, follow its processing, its error
rows and the dead-letter list; thin: parse, load-and-check, call a service, shape.

POST /batches                          multipart partner, kind, file (format_version) → 202 {"id"}
GET  /batches                          the region's batches (filters, limit/offset)
GET  /batches/{batch_id}               status and counts, the first 1000 row errors
POST /batches/{batch_id}/retry         process a failed batch again → 202 {"id"}
GET  /batches/{batch_id}/errors.csv    every error row (masked) as CSV
GET  /dead-letters                     error rows to handle (open by default)
POST /dead-letters/{dead_letter_id}/resolve   close one with a note
"""

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import ApiSchema, IsoDateTime, choice_filter

from ..choices import BatchKind, BatchStatus, DeadLetterStatus, Direction, Partner
from ..selectors.batches import (
    batch_get,
    batch_list,
    dead_letter_list,
    error_csv_lines,
    error_csv_name,
    payload_preview,
)
from ..services import batches as services

router = Router(tags=["数据交换批次"], auth=bearer)

PARTNER_HELP = "交换方：" + " / ".join(f"{value} {label}" for value, label in Partner.choices)
KIND_HELP = "数据类别：" + " / ".join(f"{value} {label}" for value, label in BatchKind.choices)
STATUS_HELP = "状态：" + " / ".join(f"{value} {label}" for value, label in BatchStatus.choices)
CSV_RESPONSE = {"responses": {200: {"description": "错误明细（CSV，UTF-8）", "content": {
    "text/csv": {"schema": {"type": "string"}}}}}}


class ExchangeErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: ExchangeErrorOut for status in (400, 401, 403, 404, 409, 422)}


class BatchForm(Schema):
    partner: str = Field(..., max_length=24, description=PARTNER_HELP)
    kind: str = Field(..., max_length=24, description=KIND_HELP)
    format_version: str = Field("", max_length=16, description="格式版本（不填按该类数据的最新版本）")


class BatchCreated(Schema):
    id: int


class RowErrorOut(Schema):
    row: int = Field(..., description="文件中的行号（表头为第 1 行）")
    message: str


class ExchangeBatchOut(Schema):
    status: str = Field(..., description=STATUS_HELP)
    total: int = Field(..., description="总行数")
    accepted: int = Field(..., description="已处理（写入）的行数")
    rejected: int = Field(..., description="有错误未处理的行数（均列入错误行清单）")
    duplicate: int = Field(..., description="以前已接收过、本次未再处理的行数")
    errors: list[RowErrorOut] = Field(..., description="错误明细（前 1000 条；全部见 errors.csv）")
    partner: str
    kind: str
    direction: str = Field(..., description="inbound 接收 / outbound 发送")
    format_version: str
    checksum: str = Field(..., description="文件的 SHA-256")
    duplicate_of: int | None = Field(None, description="重复批次：与之相同的原批次号")
    failure_message: str = Field(..., description="处理失败的原因（失败时）")
    created_at: IsoDateTime
    finished_at: IsoDateTime | None = None


class BatchListItem(Schema):
    id: int
    partner: str
    partner_label: str
    kind: str
    kind_label: str
    direction: str
    status: str
    status_label: str
    original_name: str
    format_version: str
    total: int
    accepted: int
    rejected: int
    duplicate: int
    duplicate_of: int | None = None
    created_at: IsoDateTime
    finished_at: IsoDateTime | None = None


class BatchListOut(Schema):
    items: list[BatchListItem]
    count: int


class BatchQuery(PageParams):
    partner: choice_filter(Partner) = Field("", description=PARTNER_HELP)
    kind: choice_filter(BatchKind) = Field("", description=KIND_HELP)
    status: choice_filter(BatchStatus) = Field("", description=STATUS_HELP)
    direction: choice_filter(Direction) = Field("", description="inbound 接收 / outbound 发送")


class DeadLetterOut(Schema):
    id: int
    batch: int
    row: int
    message: str
    payload: str = Field(..., description="原始行（身份证号、姓名、手机号、银行账号已脱敏）")
    status: str = Field(..., description="open 待处理 / resolved 已处理")
    note: str
    resolved_at: IsoDateTime | None = None


class DeadLetterListOut(Schema):
    items: list[DeadLetterOut]
    count: int


class DeadLetterQuery(PageParams):
    batch: int | None = Field(None, ge=1, description="只看该批次的错误行")
    status: choice_filter(DeadLetterStatus) = Field("open", description="open 待处理（默认）/ resolved 已处理 / 空为全部")


class ResolveIn(ApiSchema):
    note: str = Field(..., max_length=300, description="处理说明（必填）：如已通知交换方更正后重新报送")


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def batch_dict(batch) -> dict:
    return {"status": batch.status, "total": batch.total, "accepted": batch.accepted, "rejected": batch.rejected,
            "duplicate": batch.duplicate, "errors": batch.errors or [], "partner": batch.partner, "kind": batch.kind,
            "direction": batch.direction, "format_version": batch.format_version, "checksum": batch.checksum,
            "duplicate_of": batch.duplicate_of_id, "failure_message": batch.failure_message,
            "created_at": _iso(batch.created_at), "finished_at": _iso(batch.finished_at)}


def _item(batch) -> dict:
    return {"id": batch.pk, "partner": batch.partner, "partner_label": batch.get_partner_display(),
            "kind": batch.kind, "kind_label": batch.get_kind_display(), "direction": batch.direction,
            "status": batch.status, "status_label": batch.get_status_display(), "original_name": batch.original_name,
            "format_version": batch.format_version, "total": batch.total, "accepted": batch.accepted,
            "rejected": batch.rejected, "duplicate": batch.duplicate, "duplicate_of": batch.duplicate_of_id,
            "created_at": _iso(batch.created_at), "finished_at": _iso(batch.finished_at)}


def dead_letter_dict(dead_letter) -> dict:
    return {"id": dead_letter.pk, "batch": dead_letter.batch_id, "row": dead_letter.row,
            "message": dead_letter.message, "payload": payload_preview(dead_letter.payload),
            "status": dead_letter.status, "note": dead_letter.note, "resolved_at": _iso(dead_letter.resolved_at)}


@router.post("/batches", response={202: BatchCreated, 413: ExchangeErrorOut, 415: ExchangeErrorOut, **ERRORS},
             summary="接收交换方的数据文件（小文件当场处理，大文件后台处理；用 GET 查询结果）")
@api_permit("exchange_batch", "create")
def create(request, file: File[UploadedFile], form: Form[BatchForm]):
    """The same file received again is recorded as a duplicate of the first batch and changes nothing."""
    batch = services.batch_receive(actor=request.auth, partner=form.partner, kind=form.kind, upload=file,
                                   format_version=form.format_version)
    return Status(202, {"id": batch.pk})


@router.get("/batches", response={200: BatchListOut, **ERRORS}, summary="交换批次列表（本统筹区）")
@api_permit("exchange_batch", "view")
def list_(request, query: Query[BatchQuery]):
    qs = batch_list(actor=request.auth, partner=query.partner, kind=query.kind, status=query.status,
                    direction=query.direction)
    return {"items": [_item(b) for b in qs[query.offset:query.offset + query.limit]], "count": qs.count()}


@router.get("/batches/{batch_id}", response={200: ExchangeBatchOut, **ERRORS}, summary="交换批次的处理状态、计数和错误明细")
@api_permit("exchange_batch", "view")
def detail(request, batch_id: int):
    return batch_dict(batch_get(actor=request.auth, batch_id=batch_id))


@router.post("/batches/{batch_id}/retry", response={202: BatchCreated, **ERRORS},
             summary="重新处理失败的批次（失败的批次未写入任何数据）")
@api_permit("exchange_batch", "retry")
def retry(request, batch_id: int):
    batch = services.batch_retry(actor=request.auth, batch_id=batch_id)
    return Status(202, {"id": batch.pk})


@router.get("/batches/{batch_id}/errors.csv", response=ERRORS, openapi_extra=CSV_RESPONSE,
            summary="下载批次的全部错误行（CSV，原始行已脱敏）")
@api_permit("exchange_batch", "download_errors")
def errors_csv(request, batch_id: int):
    batch = batch_get(actor=request.auth, batch_id=batch_id, action="download_errors")
    response = StreamingHttpResponse(error_csv_lines(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, error_csv_name(batch))
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/dead-letters", response={200: DeadLetterListOut, **ERRORS}, summary="交换错误行清单（本统筹区）")
@api_permit("dead_letter", "view")
def dead_letters(request, query: Query[DeadLetterQuery]):
    qs = dead_letter_list(actor=request.auth, batch_id=query.batch, status=query.status)
    return {"items": [dead_letter_dict(d) for d in qs[query.offset:query.offset + query.limit]], "count": qs.count()}


@router.post("/dead-letters/{dead_letter_id}/resolve", response={200: DeadLetterOut, **ERRORS},
             summary="处理交换错误行（须填写处理说明）")
@api_permit("dead_letter", "resolve")
def resolve(request, dead_letter_id: int, payload: ResolveIn):
    dead_letter = services.dead_letter_resolve(actor=request.auth, dead_letter_id=dead_letter_id, note=payload.note)
    return dead_letter_dict(dead_letter)
