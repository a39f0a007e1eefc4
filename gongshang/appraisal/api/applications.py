"""劳动能力鉴定申请 API (paths fixed by the issue); thin: parse, load-and-check, call a service, shape.

Errors: the one format {"code", "message", "details"}; a submission with materials missing answers
422 `materials_missing` with details.missing listing ALL of them (as recognition's submit)."""


from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from gongshang.accounts.access import api_permit
from gongshang.accounts.choices import Audience
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.quickreports.schemas import parse_data

from .. import selectors
from ..choices import ApplicationStatus
from ..schemas.applications import (
    AppraisalAppApplicationIn,
    AppraisalAppApplicationOut,
    AppraisalAppChecklistOut,
    AppraisalAppCreatedOut,
    AppraisalAppItemsIn,
    AppraisalAppMaterialOut,
    AppraisalAppMessageIn,
    AppraisalAppMessageOut,
    AppraisalAppMessagesOut,
    AppraisalAppOptionalReasonIn,
    AppraisalAppPageOut,
    AppraisalAppPostponeIn,
    AppraisalAppReasonIn,
    AppraisalAppSubmittedOut,
)
from ..schemas.choice import choice
from ..services import applications as services

router = Router(tags=["劳动能力鉴定"], auth=bearer)
ERRORS = {403: dict, 404: dict, 409: dict, 422: dict}
QueueView = choice({k: v[0] for k, v in selectors.QUEUE_VIEWS.items()}, "队列", blank="不限")
StatusFilter = choice({c: str(label) for c, label in ApplicationStatus.choices}, "状态", blank="全部")


def _app(request, pk: int, action: str = "view"):
    return selectors.application_access(actor=request.auth, pk=pk, action=action)


def _detail(request, application) -> dict:
    application.refresh_from_db()
    return selectors.application_dict(application, actor=request.auth)


@router.post("/applications", response={201: AppraisalAppCreatedOut, **ERRORS}, summary="新建劳动能力鉴定申请（草稿）")
@api_permit("appraisal_application", "create")
def create_application(request, payload: AppraisalAppApplicationIn):
    case = selectors.case_for_number(actor=request.auth, number=payload.case_number)
    application = services.application_create(actor=request.auth, case=case, data=payload.model_dump())
    return Status(201, {"id": application.pk, "status": application.status})


@router.get("/applications", response={200: AppraisalAppPageOut, 403: dict},
            summary="申请列表：申请人看本人的；经办人员看本统筹区的队列（view=pending 待审核 | correction 待补正 | "
                    "accepted 已受理 | overdue 逾期 | open 全部在办；overdue=true 同 view=overdue），按时限排序")
@api_permit("appraisal_application", "view")
def list_applications(request, page: Query[PageParams], status: StatusFilter = "",
                      view: QueueView = "", overdue: bool = False):
    actor = request.auth
    if actor.kind == Audience.STAFF and overdue:
        view = "overdue"
    if actor.kind == Audience.STAFF and view:
        rows = selectors.staff_queue(actor=actor, view=view)
        if status:
            rows = rows.filter(status=status)
    elif actor.kind == Audience.STAFF:
        rows = selectors.application_list(actor=actor, status=status).order_by("due_on", "received_on", "pk")
    else:
        rows = selectors.my_applications(actor=actor)
        if status:
            rows = rows.filter(status=status)
    limit, offset = page.limit, page.offset
    return {"count": rows.count(), "limit": limit, "offset": offset,
            "items": [selectors.row_dict(a) for a in rows[offset:offset + limit]]}


@router.get("/applications/{pk}", response={200: AppraisalAppApplicationOut, 403: dict, 404: dict},
            summary="申请详情：状态、全部时限及依据、材料清单、时间线、可办理的操作（allowed_actions）")
@api_permit("appraisal_application", "view")
def get_application(request, pk: int):
    return selectors.application_dict(_app(request, pk), actor=request.auth)


@router.post("/applications/{pk}/materials", response={201: AppraisalAppMaterialOut, 413: dict, 415: dict, **ERRORS},
             summary="上传材料（multipart：kind 材料类型代码，file；短视频 MP4/MOV ≤ 30 MB，其余 JPG/PNG/PDF ≤ 20 MB）")
@api_permit("appraisal_application", "edit")
def add_material(request, pk: int, kind: Form[str], file: File[UploadedFile]):
    application = _app(request, pk, "edit")
    document = services.application_material_add(actor=request.auth, application=application, kind=kind, upload=file)
    return Status(201, {"id": document.pk, "kind": document.kind, "sha256": document.file.sha256,
                        "checklist": services.checklist(application)})


@router.get("/applications/{pk}/checklist", response={200: AppraisalAppChecklistOut, 403: dict, 404: dict},
            summary="材料清单：required 应交（含已有、平台生成），missing 尚缺")
@api_permit("appraisal_application", "view")
def get_checklist(request, pk: int):
    return services.checklist(_app(request, pk))


@router.post("/applications/{pk}/submit", response={200: AppraisalAppSubmittedOut, **ERRORS},
             summary="提交或补正后重新提交（材料不齐 422 materials_missing，details.missing 列出全部）")
@api_permit("appraisal_application", "submit")
def submit(request, pk: int):
    application = services.application_submit(actor=request.auth, application=_app(request, pk))
    return {"id": application.pk, "status": application.status,
            "deadlines": {"completeness_due": application.completeness_due,
                          "conclusion_due": application.conclusion_due}}


@router.post("/applications/{pk}/request-correction", response={200: AppraisalAppApplicationOut, **ERRORS},
             summary="一次性告知补正（列出全部缺少的材料或事项）")
@api_permit("appraisal_application", "request_correction")
def request_correction(request, pk: int, payload: AppraisalAppItemsIn):
    application = services.application_request_correction(
        actor=request.auth, application=_app(request, pk, "request_correction"), items=payload.items)
    return _detail(request, application)


@router.post("/applications/{pk}/accept", response={200: AppraisalAppApplicationOut, **ERRORS}, summary="受理（材料齐全，60日结论时限起算）")
@api_permit("appraisal_application", "accept")
def accept(request, pk: int):
    application = services.application_accept(actor=request.auth, application=_app(request, pk, "accept"))
    return _detail(request, application)


@router.post("/applications/{pk}/extend", response={200: AppraisalAppApplicationOut, **ERRORS},
             summary="延长作出结论的期限30日（须填写理由，限一次；再次申请答 409）")
@api_permit("appraisal_application", "extend")
def extend(request, pk: int, payload: AppraisalAppReasonIn):
    application = services.application_extend(actor=request.auth, application=_app(request, pk, "extend"),
                                              reason=payload.reason)
    return _detail(request, application)


@router.post("/applications/{pk}/postpone", response={200: AppraisalAppApplicationOut, **ERRORS},
             summary="登记顺延（职工申请，作出结论期限相应顺延）")
@api_permit("appraisal_application", "postpone")
def postpone(request, pk: int, payload: AppraisalAppPostponeIn):
    application = services.application_postpone(actor=request.auth, application=_app(request, pk, "postpone"),
                                                days=payload.days, reason=payload.reason)
    return _detail(request, application)


def _optional_body(request, schema):
    """An optional JSON body (withdraw may be posted empty): invalid JSON or fields → 422."""
    if "json" not in (request.content_type or "") or not request.body.strip():
        return None
    return parse_data(schema, request.body.decode("utf-8", errors="replace"), loc=("body", "payload"))


@router.post("/applications/{pk}/withdraw", response={200: AppraisalAppApplicationOut, **ERRORS},
             summary="撤回申请（鉴定前；可附 {\"reason\"}）",
             openapi_extra={"requestBody": {"required": False, "content": {"application/json": {
                 "schema": AppraisalAppOptionalReasonIn.model_json_schema()}}}})
@api_permit("appraisal_application", "withdraw")
def withdraw(request, pk: int):
    application = _app(request, pk, "withdraw")
    payload = _optional_body(request, AppraisalAppOptionalReasonIn)
    application = services.application_withdraw(actor=request.auth, application=application,
                                                reason=payload.reason if payload else "")
    return _detail(request, application)


@router.get("/applications/{pk}/messages", response={200: AppraisalAppMessagesOut, 403: dict, 404: dict},
            summary="留言记录（申请人与鉴定管理员之间；鉴定专家、待遇审核员不能查看）")
@api_permit("appraisal_application", "message")
def list_messages(request, pk: int):
    application = _app(request, pk, "message")
    for_staff = request.auth.kind == Audience.STAFF
    items = [selectors.message_dict(m, for_staff=for_staff)
             for m in selectors.messages_of(actor=request.auth, application=application)]
    selectors.thread_seen(actor=request.auth, application=application)
    return {"items": items}


@router.post("/applications/{pk}/messages", response={201: AppraisalAppMessageOut, **ERRORS}, summary="留言（申请人与经办人员）")
@api_permit("appraisal_application", "message")
def add_message(request, pk: int, payload: AppraisalAppMessageIn):
    message = services.message_add(actor=request.auth, application=_app(request, pk, "message"), text=payload.text)
    return Status(201, selectors.message_dict(message, for_staff=request.auth.kind == Audience.STAFF))
