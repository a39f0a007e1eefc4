"""Roster batch import API (/api/v1/registry/roster-imports).

GET  /template?kind=add|reduce        the xlsx template (employer callers)
POST /  multipart file, kind, mode     202 {"id"} (employer callers)
GET  /{id}                             status, counts and the rejected-row lines
POST /{id}/retry                       202 {"id"}: process a failed import again (employer callers)
GET  /{id}/error-file                  the uploaded sheet annotated with an 错误说明 column
"""

from typing import Literal

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer

from . import leases, selectors, services
from .downloads import attachment, stored_attachment
from .template import XLSX_CONTENT_TYPE, build_template, template_filename

router = Router(tags=["批量报盘"], auth=bearer)

XLSX_RESPONSE = {"responses": {200: {"description": "Excel 文件（xlsx）", "content": {
    XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


class ImportCreated(Schema):
    id: int


class ImportErrorLine(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    mode: str
    status: str
    total: int
    processed: int
    accepted: int
    rejected: int
    failure_message: str
    has_error_file: bool
    errors: list[ImportErrorLine]


@router.get("/template", summary="下载批量报盘模板（xlsx）", openapi_extra=XLSX_RESPONSE)
@api_permit("roster_import", "create")
def template(request, kind: Literal["add", "reduce"]):
    return attachment(build_template(kind), template_filename(kind), XLSX_CONTENT_TYPE)


@router.post("", response={202: ImportCreated}, summary="上传批量报盘（增员/减员）")
@api_permit("roster_import", "create")
def create(request, file: File[UploadedFile], kind: Form[Literal["add", "reduce"]],
           mode: Form[Literal["all_or_nothing", "valid_rows"]] = "all_or_nothing"):
    """Small files are processed before the answer; larger ones by the task worker. Poll GET /{id}."""
    roster_import = services.roster_import_start(actor=request.auth, uploaded_file=file, direction=kind, mode=mode)
    return Status(202, {"id": roster_import.pk})


@router.get("/{int:import_id}", response=ImportOut, summary="批量报盘处理结果")
@api_permit("roster_import", "view")
def detail(request, import_id: int):
    roster_import = selectors.import_get(actor=request.auth, import_id=import_id)
    if leases.sweep_one(roster_import):  # its worker died: failed, with the message, before answering
        roster_import = selectors.import_get(actor=request.auth, import_id=import_id)
    return {"id": roster_import.pk, "kind": roster_import.direction, "mode": roster_import.mode,
            "status": roster_import.status, "total": roster_import.total, "processed": roster_import.processed,
            "accepted": roster_import.accepted, "rejected": roster_import.rejected,
            "failure_message": roster_import.failure_message, "has_error_file": roster_import.error_file_id is not None,
            "errors": roster_import.errors or []}


@router.post("/{int:import_id}/retry", response={202: ImportCreated}, summary="重新处理失败的批量报盘")
@api_permit("roster_import", "retry")
def retry(request, import_id: int):
    """Only a failed import (nothing of it was written), at most three attempts in all; 409 otherwise."""
    roster_import = services.roster_import_retry(actor=request.auth, import_id=import_id)
    return Status(202, {"id": roster_import.pk})


@router.get("/{int:import_id}/error-file", summary="下载错误标注文件（xlsx，仅上传单位）", openapi_extra=XLSX_RESPONSE)
@api_permit("roster_import", "download_errors")
def error_file(request, import_id: int):
    stored = services.import_error_file_open(actor=request.auth, import_id=import_id)
    return stored_attachment(stored, XLSX_CONTENT_TYPE)
