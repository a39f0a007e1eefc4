"""工伤认定 API (paths fixed by issue 5). Thin: parse, load-and-check, call a service, shape."""

from typing import Literal

from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from gongshang.accounts.access import api_permit, get_for, require
from gongshang.accounts.choices import Audience
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams, count_fields
from gongshang.api.schemas import choice_filter
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import FieldErrors
from gongshang.core.pii.masking import mask_name
from gongshang.quickreports.schemas import parse_data

from . import lookup, presenters, selectors
from .choices import ApplicationStatus
from .permissions import assisting_only
from .schemas import (
    AcceptIn,
    AllocatedOut,
    AllocateIn,
    ApplicationChecklistOut,
    ApplicationCreatedOut,
    ApplicationIn,
    ApplicationOut,
    ChecklistOut,
    DecideIn,
    DeliverIn,
    DocumentOut,
    EmployeeCheckIn,
    EmployeeCheckOut,
    IdStatusOut,
    InvestigateIn,
    ItemsIn,
    MaterialOut,
    NoteIn,
    NoteOut,
    OptionalReasonIn,
    PageOut,
    PeriodExtensionOut,
    QueuePageOut,
    ReasonIn,
    ReportOut,
    SuspendIn,
)
from .services import decision, drafts, intake, submission
from .services.documents import application_form_generate
from .services.materials import application_material_add, application_material_remove

router = Router(tags=["工伤认定"], auth=bearer)


def _app(request, application_id: int, action: str = "view"):
    return selectors.application_access(actor=request.auth, application_id=application_id, action=action)


def optional_body_doc(schema) -> dict:
    """openapi_extra for an action that may be posted empty or with a small JSON object."""
    return {"requestBody": {"required": False, "content": {"application/json": {"schema": schema.model_json_schema()}}}}


def _optional_body(request, schema):
    """An optional JSON body (these actions may be posted empty): invalid JSON or fields → 422."""
    if "json" not in request.content_type or not request.body.strip():
        return None
    return parse_data(schema, request.body.decode("utf-8", errors="replace"), loc=("body", "payload"))


QueueView = Literal["unallocated", "mine", "overdue", "open", "expired"]


def _checklist(application) -> dict:
    checklist = selectors.checklist(application)
    return {"required": checklist["required"], "missing": checklist["missing"]}


@router.post("/applications", response={201: ApplicationCreatedOut}, summary="新建工伤认定申请（草稿；可从案件/快报开始）")
@api_permit("recognition_application", "create")
def create_application(request, payload: ApplicationIn):
    if payload.case_id:
        require(request.auth, "case", "start_recognition")
    case = get_for(request.auth, InjuryCase, payload.case_id, "start_recognition") if payload.case_id else None
    application = drafts.application_create(actor=request.auth, data=payload.data(), case=case,
                                            replace_draft=payload.replace_draft)
    return Status(201, {"id": application.pk, "status": application.status, "case_number": application.case.number,
                        "checklist": _checklist(application)})


@router.get("/applications", response=PageOut, summary="我的认定申请（单位/个人）或本统筹区的申请（经办）")
@api_permit("recognition_application", "view")
def list_applications(request, page: Query[PageParams], status: choice_filter(ApplicationStatus) = ""):
    rows = selectors.application_list(actor=request.auth, status=status).order_by("-created_at")
    return _page(rows, page)


def _page(rows, page: PageParams, **extra) -> dict:
    """One page of a list: `count` is the whole list (capped, see count_capped), `items` at most one page."""
    limit, offset = page.limit, page.offset
    return {**extra, **count_fields(rows), "limit": limit, "offset": offset,
            "items": [presenters.row_dict(a) for a in rows[offset:offset + limit]]}


def _is_staff(request) -> bool:
    return getattr(request.auth, "kind", None) == Audience.STAFF


@router.get("/applications/{application_id}", response=ApplicationOut, summary="申请详情：状态、时限（deadlines）、时间线、文书")
@api_permit("recognition_application", "view")
def get_application(request, application_id: int):
    found = presenters.application_dict(_app(request, application_id), for_staff=_is_staff(request))
    if _is_staff(request) and assisting_only(request.auth):  # 合作经办: the name masked, as on its own page
        found["injured_name"] = mask_name(found["injured_name"])
    return found


@router.put("/applications/{application_id}", response=ApplicationChecklistOut, summary="修改申请（草稿或待补正）")
@api_permit("recognition_application", "edit")
def update_application(request, application_id: int, payload: ApplicationIn):
    application = drafts.application_update(actor=request.auth, application=_app(request, application_id, "edit"),
                                            data=payload.data(), replace_draft=payload.replace_draft)
    return {**presenters.application_dict(application, for_staff=_is_staff(request)), "checklist": _checklist(application)}


@router.delete("/applications/{application_id}", response=IdStatusOut, summary="删除申请（草稿或待补正）")
@api_permit("recognition_application", "delete")
def delete_application(request, application_id: int):
    application = drafts.application_delete(actor=request.auth, application=_app(request, application_id, "delete"))
    return {"id": application.pk, "status": application.status}


@router.post("/employee-check", response={200: EmployeeCheckOut, 404: dict}, summary="员工信息检测：身份证号+姓名带出人员、单位、参保和工资")
@api_permit("recognition_application", "create")
def employee_check(request, payload: EmployeeCheckIn):
    result = lookup.employee_check(actor=request.auth, id_number=payload.id_number, name=payload.name)
    if result.fields.get("field") == "injured_id_number":
        raise FieldErrors({"id_number": result.message}, result.message)
    if not result.found:
        return Status(404, {"code": "employee_not_found", "message": result.message, "details": result.fields})
    return {"found": True, "message": result.message, "fields": result.fields}


@router.post("/applications/{application_id}/materials", response={201: MaterialOut},
             summary="上传材料（multipart：kind 材料类型代码，file JPG/PNG/PDF ≤ 20 MB）")
@api_permit("case_document.material", "add")
def add_material(request, application_id: int, kind: Form[str], file: File[UploadedFile]):
    application = _app(request, application_id, "edit")
    document = application_material_add(actor=request.auth, application=application, kind=kind, upload=file)
    return Status(201, {"id": document.pk, "kind": document.kind, "sha256": document.file.sha256,
                        "checklist": _checklist(application)})


@router.delete("/applications/{application_id}/materials/{document_id}", response=ChecklistOut, summary="移除材料（保留在历史中）")
@api_permit("case_document.material", "retire")
def remove_material(request, application_id: int, document_id: int):
    application = _app(request, application_id, "edit")
    document = selectors.material_for(actor=request.auth, application=application, document_id=document_id,
                                      action="retire")
    application_material_remove(actor=request.auth, application=application, document=document)
    return _checklist(application)


@router.get("/applications/{application_id}/checklist", response=ChecklistOut, summary="材料清单：required 应交、missing 缺少")
@api_permit("recognition_application", "view")
def get_checklist(request, application_id: int):
    return _checklist(_app(request, application_id))


@router.post("/applications/{application_id}/form", response={201: DocumentOut}, summary="生成预填的工伤认定申请表 PDF")
@api_permit("recognition_application", "edit")
def generate_form(request, application_id: int):
    record = application_form_generate(actor=request.auth, application=_app(request, application_id, "edit"))
    return Status(201, presenters.document_dict(record))


@router.post("/applications/{application_id}/submit", response=ApplicationOut, summary="提交（材料不齐 422 materials_missing）")
@api_permit("recognition_application", "submit")  # or resubmit, after 补正: the same audiences
def submit(request, application_id: int):
    application = _app(request, application_id)
    application = submission.application_submit(actor=request.auth, application=application)
    return presenters.application_dict(application, for_staff=_is_staff(request))


@router.post("/applications/{application_id}/withdraw", response=IdStatusOut, summary="撤回（作出认定决定前）",
             openapi_extra=optional_body_doc(OptionalReasonIn))
@api_permit("recognition_application", "withdraw")
def withdraw(request, application_id: int):
    payload = _optional_body(request, OptionalReasonIn)
    application = submission.application_withdraw(actor=request.auth,
                                                  application=_app(request, application_id, "withdraw"),
                                                  reason=payload.reason if payload else "")
    return {"id": application.pk, "status": application.status}


def _done(application, request) -> dict:
    return presenters.application_dict(application, for_staff=_is_staff(request))


@router.get("/queue", response=QueuePageOut, summary="经办队列：view=unallocated 待分配 | mine 我的案件 | overdue 超期 | open 全部在办 | "
                             "expired 超过申请时限待处理")
@api_permit("recognition_application", "queue")
def queue(request, page: Query[PageParams], view: QueueView = "open"):
    options = {"unallocated": {"status": ["submitted"]}, "mine": {"assignee": request.auth},
               "overdue": {"overdue": True}, "open": {"status": list(selectors.workflow.OPEN)},
               "expired": {"status": ["draft"], "period_status": "expired"}}
    return _page(selectors.staff_queue(actor=request.auth, **options[view]), page, view=view)


@router.post("/applications/{application_id}/allocate", response=AllocatedOut, summary="分配受理员（ids 可批量）")
@api_permit("recognition_application", "allocate")
def allocate(request, application_id: int, payload: AllocateIn):
    ids = [application_id, *payload.ids]
    count = intake.application_allocate_many(actor=request.auth, application_ids=ids,
                                             assignee_id=payload.assignee, waiting_only=False)
    return {"allocated": count, **_done(_app(request, application_id), request)}


@router.post("/applications/{application_id}/accept", response=ApplicationOut, summary="受理（出具受理通知书）",
             openapi_extra=optional_body_doc(AcceptIn))
@api_permit("recognition_application", "accept")
def accept(request, application_id: int):
    payload = _optional_body(request, AcceptIn)
    application = intake.application_accept(actor=request.auth, application=_app(request, application_id, "accept"),
                                            simple=bool(payload and payload.simple))
    return _done(application, request)


@router.post("/applications/{application_id}/request-correction", response=ApplicationOut, summary="一次性告知补正（出具补正材料通知书）")
@api_permit("recognition_application", "request_correction")
def request_correction(request, application_id: int, payload: ItemsIn):
    application = intake.application_request_correction(
        actor=request.auth, application=_app(request, application_id, "request_correction"), items=payload.items)
    return _done(application, request)


@router.post("/applications/{application_id}/reject", response=ApplicationOut, summary="不予受理（须填写理由；出具不予受理决定书）")
@api_permit("recognition_application", "reject")
def reject(request, application_id: int, payload: ReasonIn):
    application = intake.application_reject(actor=request.auth, application=_app(request, application_id, "reject"),
                                            reason=payload.reason)
    return _done(application, request)


@router.post("/applications/{application_id}/investigate", response=ApplicationOut, summary="启动调查核实（两名调查员）")
@api_permit("recognition_application", "investigate")
def investigate(request, application_id: int, payload: InvestigateIn):
    application = decision.application_investigate(
        actor=request.auth, application=_app(request, application_id, "investigate"), investigator_ids=payload.investigators)
    return _done(application, request)


@router.post("/applications/{application_id}/notes", response={201: NoteOut}, summary="调查记录")
@api_permit("recognition_application", "note")
def add_note(request, application_id: int, payload: NoteIn):
    note = decision.investigation_note_add(actor=request.auth, application=_app(request, application_id, "note"),
                                           text=payload.text)
    return Status(201, {"id": note.pk})


@router.post("/applications/{application_id}/investigation-report", response={201: ReportOut},
             summary="上传调查报告（multipart file）")
@api_permit("recognition_application", "report")
def add_report(request, application_id: int, file: File[UploadedFile]):
    document = decision.investigation_report_upload(actor=request.auth,
                                                    application=_app(request, application_id, "report"), upload=file)
    return Status(201, {"id": document.pk, "sha256": document.file.sha256})


@router.post("/applications/{application_id}/suspend", response=ApplicationOut, summary="中止（认定时限停止计算）",
             openapi_extra=optional_body_doc(SuspendIn))
@api_permit("recognition_application", "suspend")
def suspend(request, application_id: int):
    payload = _optional_body(request, SuspendIn)
    application = decision.application_suspend(actor=request.auth, application=_app(request, application_id, "suspend"),
                                               reason=payload.reason if payload else "")
    return _done(application, request)


@router.post("/applications/{application_id}/resume", response=ApplicationOut, summary="恢复认定（时限继续计算）")
@api_permit("recognition_application", "resume")  # or resume_investigation: the same roles
def resume(request, application_id: int):
    application = _app(request, application_id)
    application = decision.application_resume(actor=request.auth, application=application)
    return _done(application, request)


@router.post("/applications/{application_id}/decide", response=ApplicationOut, summary="作出认定决定（须有法律依据；出具决定书）")
@api_permit("recognition_application", "decide")
def decide(request, application_id: int, payload: DecideIn):
    application = decision.application_decide(actor=request.auth, application=_app(request, application_id, "decide"),
                                              result=payload.result, article=payload.article,
                                              reasoning=payload.reasoning)
    return _done(application, request)


@router.post("/applications/{application_id}/deliver", response=ApplicationOut, summary="送达",
             openapi_extra=optional_body_doc(DeliverIn))
@api_permit("recognition_application", "deliver")
def deliver(request, application_id: int):
    payload = _optional_body(request, DeliverIn)
    application = decision.application_deliver(actor=request.auth, application=_app(request, application_id, "deliver"),
                                               method=payload.method if payload else "in_person")
    return _done(application, request)


@router.post("/applications/{application_id}/period-extension", response=PeriodExtensionOut, summary="登记申请时限延长理由（经办）")
@api_permit("recognition_application", "period_extension")
def period_extension(request, application_id: int, payload: ReasonIn):
    application = _app(request, application_id, "period_extension")
    application = submission.application_period_extension_record(actor=request.auth, application=application,
                                                                 reason=payload.reason)
    return {"id": application.pk, "period_extension_reason": application.period_extension_reason}
