"""一窗受理 API under /api/v1/service/window-requests; thin: parse, load-and-check, call a service, shape."""

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool

from gongshang.accounts.access import api_permit, get_for, in_scope
from gongshang.accounts.choices import Audience
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, Text, choice_filter
from gongshang.core.errors import FieldErrors

from ..choices import MatterKind, MatterStatus, WindowChannel
from ..models import WindowRequest
from ..presenters.window import queue_row, receipt_pdf, request_dict
from ..selectors.window import window_queue
from ..services import window as services

router = Router(tags=["一窗受理"], auth=bearer)
QS = WindowRequest.objects.select_related("case", "case__employer", "recognition")


class WindowErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: WindowErrorOut for status in (401, 403, 404, 409, 422)}
PDF_RESPONSE = {"responses": {200: {"description": "一窗受理回执（PDF）",
                                    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


class WindowRequestIn(ApiSchema):
    application_id: int = Field(..., ge=1, description="工伤认定申请的编号（窗口：草稿或待受理的申请，材料齐全时当场受理；"
                                                       "网上：已提交的申请）")
    wants_appraisal: StrictBool = Field(False, description="同时申请劳动能力鉴定")
    injury_stable: StrictBool = Field(False, description="伤情已相对稳定（同时申请鉴定时填写；稳定的，认定为工伤后平台即代为提出鉴定申请）")
    wants_benefits: StrictBool = Field(False, description="同时申请工伤保险待遇")
    channel: choice_filter(WindowChannel) = Field("", description="window 综合窗口（经办人员）/ online 网上申请（个人、单位）；可留空")


class MatterWithdrawIn(ApiSchema):
    reason: str = Field("", max_length=200, description="撤回原因（可不填）")


class MatterTargetOut(Schema):
    label: str
    url: str


class WindowMatterOut(Schema):
    kind: str = Field(..., description="recognition 工伤认定 / appraisal 劳动能力鉴定 / benefits 工伤保险待遇")
    kind_label: Text
    status: str
    status_label: Text
    due_date: date | None = Field(None, description="法定办结日期（待遇事项随鉴定结论核定，无单独期限）")
    due_basis: str
    days_left: int | None
    note: str
    prepared_by: str
    prepared_at: datetime | None
    target: MatterTargetOut
    actions: list[str] = Field(..., description="当前账户可办理的操作：prepare 提前准备 / withdraw 撤回")


class WindowRequestOut(Schema):
    id: int
    case_number: str
    injured_name: str = Field(..., description="工伤职工姓名（脱敏）")
    employer_name: str
    channel: str
    channel_label: Text
    status: str
    status_label: Text
    wants_appraisal: bool
    injury_stable: bool
    wants_benefits: bool
    created_at: datetime
    recognition_id: int
    matters: list[WindowMatterOut]


class QueueRowOut(WindowMatterOut):
    request_id: int
    case_number: str
    injured_name: str
    recognition_status: str


class QueueOut(Schema):
    items: list[QueueRowOut]
    count: int


class QueueQuery(ApiSchema):
    kind: choice_filter(MatterKind) = Field("", description="事项：appraisal / benefits（不填：本岗位负责的全部）")
    status: choice_filter(MatterStatus) = Field("", description="状态（不填：待发起、已提前准备、已发起办理）")
    case_number: str = Field("", max_length=32, description="案件编号")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


def _application(actor, application_id: int):
    """The recognition application named in the body: unknown or out of reach is a field error."""
    from gongshang.recognition.models import RecognitionApplication

    if actor.kind == Audience.STAFF:  # the counter: its own 统筹区's applications, drafts included
        qs = RecognitionApplication.objects.filter(region=actor.jurisdiction or "-")
    else:
        qs = in_scope(actor, RecognitionApplication)
    found = qs.filter(pk=application_id).select_related("case").first()
    if found is None:
        raise FieldErrors({"application_id": "没有找到该工伤认定申请，请核对申请编号。"})
    return found


@router.post("/window-requests", response={201: WindowRequestOut, **ERRORS},
             summary="登记一窗受理（认定申请同时申请劳动能力鉴定、工伤保险待遇；窗口材料齐全当场受理）")
@api_permit("window_request", "create")
def create(request, payload: WindowRequestIn):
    application = _application(request.auth, payload.application_id)
    row = services.window_request_create(actor=request.auth, application=application,
                                         wants_appraisal=payload.wants_appraisal, injury_stable=payload.injury_stable,
                                         wants_benefits=payload.wants_benefits, channel=payload.channel)
    return Status(201, request_dict(QS.get(pk=row.pk), request.auth))


@router.get("/window-requests", response={200: QueueOut, **ERRORS},
            summary="后续事项队列（后台并联经办：鉴定管理员看鉴定，待遇审核员看待遇，按法定办结日期排序）")
@api_permit("window_request", "queue")
def queue(request, query: Query[QueueQuery]):
    qs = window_queue(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [queue_row(m, request.auth) for m in qs[start:start + query.size]], "count": qs.count()}


@router.get("/window-requests/{pk}", response={200: WindowRequestOut, **ERRORS}, summary="一窗受理详情（各事项及其法定办结日期）")
@api_permit("window_request", "view")
def detail(request, pk: int):
    return request_dict(get_for(request.auth, QS, pk, "view"), request.auth)


@router.get("/window-requests/{pk}/receipt.pdf", response=ERRORS, openapi_extra=PDF_RESPONSE,
            summary="一窗受理回执（PDF：每个事项、办理状态和法定办结日期）")
@api_permit("window_request", "receipt")
def receipt(request, pk: int):
    row = get_for(request.auth, QS, pk, "receipt")
    response = HttpResponse(receipt_pdf(row, request.auth), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="window-receipt-{row.case.number}.pdf"'
    return response


@router.post("/window-requests/{pk}/matters/{kind}/prepare", response={200: WindowRequestOut, **ERRORS},
             summary="提前准备后续事项（鉴定管理员：鉴定；待遇审核员：待遇）")
@api_permit("window_request", "prepare")
def prepare(request, pk: int, kind: str):
    row = get_for(request.auth, QS, pk, "prepare")
    services.window_matter_prepare(actor=request.auth, request=row, kind=kind)
    return request_dict(QS.get(pk=row.pk), request.auth)


@router.post("/window-requests/{pk}/matters/{kind}/withdraw", response={200: WindowRequestOut, **ERRORS},
             summary="撤回尚未发起的后续事项（劳动能力鉴定或待遇）")
@api_permit("window_request", "withdraw")
def withdraw(request, pk: int, kind: str, payload: MatterWithdrawIn):
    row = get_for(request.auth, QS, pk, "withdraw")
    services.window_matter_withdraw(actor=request.auth, request=row, kind=kind, reason=payload.reason)
    return request_dict(QS.get(pk=row.pk), request.auth)
