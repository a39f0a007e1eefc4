"""工伤认定 API (paths fixed by issue 5). Thin: parse, load-and-check, call a service, shape."""

from typing import Literal

from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from gongshang.accounts.choices import Audience
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.api.schemas import choice_filter
from gongshang.cases.models import CaseDocument
from gongshang.cases.selectors import case_access
from gongshang.core.errors import FieldErrors, NotFound
from gongshang.quickreports.schemas import parse_data

from . import lookup, presenters, selectors
from .choices import ApplicationStatus
from .permissions import WORKBENCH_ROLES, require_applicant, require_staff
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
from .services import decision, drafts, intake, submission, transition
from .services.documents import application_form_generate
from .services.materials import application_material_add, application_material_remove

router = Router(tags=["工伤认定"], auth=bearer)


def _app(request, application_id: int):
    return selectors.application_access(actor=request.auth, application_id=application_id)


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
def create_application(request, payload: ApplicationIn):
    require_applicant(request.auth)
    case = case_access(actor=request.auth, case_id=payload.case_id) if payload.case_id else None
    application = drafts.application_create(actor=request.auth, data=payload.data(), case=case,
                                            replace_draft=payload.replace_draft, request=request)
    return Status(201, {"id": application.pk, "status": application.status, "case_number": application.case.number,
                        "checklist": _checklist(application)})


@router.get("/applications", response=PageOut, summary="我的认定申请（单位/个人）或本统筹区的申请（经办）")
def list_applications(request, page: Query[PageParams], status: choice_filter(ApplicationStatus) = ""):
    rows = selectors.application_list(actor=request.auth, status=status).order_by("-created_at")
    return _page(rows, page)


def _page(rows, page: PageParams, **extra) -> dict:
    """One page of a list: `count` is the whole list, `items` at most one page (no silent cut)."""
    limit, offset = page.limit, page.offset
    return {**extra, "count": rows.count(), "limit": limit, "offset": offset,
            "items": [presenters.row_dict(a) for a in rows[offset:offset + limit]]}


def _is_staff(request) -> bool:
    return getattr(request.auth, "kind", None) == Audience.STAFF


@router.get("/applications/{application_id}", response=ApplicationOut, summary="申请详情：状态、时限（deadlines）、时间线、文书")
def get_application(request, application_id: int):
    return presenters.application_dict(_app(request, application_id), for_staff=_is_staff(request))


@router.put("/applications/{application_id}", response=ApplicationChecklistOut, summary="修改申请（草稿或待补正）")
def update_application(request, application_id: int, payload: ApplicationIn):
    application = drafts.application_update(actor=request.auth, application=_app(request, application_id),
                                            data=payload.data(), replace_draft=payload.replace_draft,
                                            request=request)
    return {**presenters.application_dict(application, for_staff=_is_staff(request)), "checklist": _checklist(application)}


@router.delete("/applications/{application_id}", response=IdStatusOut, summary="删除申请（草稿或待补正）")
def delete_application(request, application_id: int):
    application = drafts.application_delete(actor=request.auth, application=_app(request, application_id),
                                            request=request)
    return {"id": application.pk, "status": application.status}


@router.post("/employee-check", response={200: EmployeeCheckOut, 404: dict}, summary="员工信息检测：身份证号+姓名带出人员、单位、参保和工资")
def employee_check(request, payload: EmployeeCheckIn):
    require_applicant(request.auth)
    result = lookup.employee_check(actor=request.auth, id_number=payload.id_number, name=payload.name)
    if result.fields.get("field") == "injured_id_number":
        raise FieldErrors({"id_number": result.message}, result.message)
    if not result.found:
        return Status(404, {"code": "employee_not_found", "message": result.message, "details": result.fields})
    return {"found": True, "message": result.message, "fields": result.fields}


@router.post("/applications/{application_id}/materials", response={201: MaterialOut},
             summary="上传材料（multipart：kind 材料类型代码，file JPG/PNG/PDF ≤ 20 MB）")
def add_material(request, application_id: int, kind: Form[str], file: File[UploadedFile]):
    application = _app(request, application_id)
    document = application_material_add(actor=request.auth, application=application, kind=kind, upload=file,
                                        request=request)
    return Status(201, {"id": document.pk, "kind": document.kind, "sha256": document.file.sha256,
                        "checklist": _checklist(application)})


@router.delete("/applications/{application_id}/materials/{document_id}", response=ChecklistOut, summary="移除材料（保留在历史中）")
def remove_material(request, application_id: int, document_id: int):
    application = _app(request, application_id)
    document = CaseDocument.objects.filter(pk=document_id, case_id=application.case_id).first()
    if document is None:
        raise NotFound()
    application_material_remove(actor=request.auth, application=application, document=document, request=request)
    return _checklist(application)


@router.get("/applications/{application_id}/checklist", response=ChecklistOut, summary="材料清单：required 应交、missing 缺少")
def get_checklist(request, application_id: int):
    return _checklist(_app(request, application_id))


@router.post("/applications/{application_id}/form", response={201: DocumentOut}, summary="生成预填的工伤认定申请表 PDF")
def generate_form(request, application_id: int):
    record = application_form_generate(actor=request.auth, application=_app(request, application_id),
                                       request=request)
    return Status(201, presenters.document_dict(record))


@router.post("/applications/{application_id}/submit", response=ApplicationOut, summary="提交（材料不齐 422 materials_missing）")
def submit(request, application_id: int):
    application = submission.application_submit(actor=request.auth, application=_app(request, application_id),
                                                 request=request)
    return presenters.application_dict(application, for_staff=_is_staff(request))


@router.post("/applications/{application_id}/withdraw", response=IdStatusOut, summary="撤回（作出认定决定前）",
             openapi_extra=optional_body_doc(OptionalReasonIn))
def withdraw(request, application_id: int):
    payload = _optional_body(request, OptionalReasonIn)
    application = submission.application_withdraw(actor=request.auth, application=_app(request, application_id),
                                                  reason=payload.reason if payload else "", request=request)
    return {"id": application.pk, "status": application.status}


def _staff_app(request, application_id: int, *roles):
    require_staff(request.auth, *(roles or WORKBENCH_ROLES))
    return _app(request, application_id)


def _done(application, request) -> dict:
    return presenters.application_dict(application, for_staff=_is_staff(request))


@router.get("/queue", response=QueuePageOut, summary="经办队列：view=unallocated 待分配 | mine 我的案件 | overdue 超期 | open 全部在办 | "
                             "expired 超过申请时限待处理")
def queue(request, page: Query[PageParams], view: QueueView = "open"):
    require_staff(request.auth, *WORKBENCH_ROLES)
    options = {"unallocated": {"status": ["submitted"]}, "mine": {"assignee": request.auth},
               "overdue": {"overdue": True}, "open": {"status": list(selectors.workflow.OPEN)},
               "expired": {"status": ["draft"], "period_status": "expired"}}
    if view == "overdue":
        transition.due_dates_refresh(actor=request.auth)
    return _page(selectors.staff_queue(actor=request.auth, **options[view]), page, view=view)


@router.post("/applications/{application_id}/allocate", response=AllocatedOut, summary="分配受理员（ids 可批量）")
def allocate(request, application_id: int, payload: AllocateIn):
    ids = [application_id, *payload.ids]
    require_staff(request.auth, *WORKBENCH_ROLES)
    count = intake.application_allocate_many(actor=request.auth, application_ids=ids,
                                             assignee_id=payload.assignee, request=request)
    return {"allocated": count, **_done(_app(request, application_id), request)}


@router.post("/applications/{application_id}/accept", response=ApplicationOut, summary="受理（出具受理通知书）",
             openapi_extra=optional_body_doc(AcceptIn))
def accept(request, application_id: int):
    payload = _optional_body(request, AcceptIn)
    application = intake.application_accept(actor=request.auth, application=_staff_app(request, application_id),
                                            simple=bool(payload and payload.simple), request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/request-correction", response=ApplicationOut, summary="一次性告知补正（出具补正材料通知书）")
def request_correction(request, application_id: int, payload: ItemsIn):
    application = intake.application_request_correction(
        actor=request.auth, application=_staff_app(request, application_id), items=payload.items, request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/reject", response=ApplicationOut, summary="不予受理（须填写理由；出具不予受理决定书）")
def reject(request, application_id: int, payload: ReasonIn):
    application = intake.application_reject(actor=request.auth, application=_staff_app(request, application_id),
                                            reason=payload.reason, request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/investigate", response=ApplicationOut, summary="启动调查核实（两名调查员）")
def investigate(request, application_id: int, payload: InvestigateIn):
    application = decision.application_investigate(
        actor=request.auth, application=_staff_app(request, application_id), investigator_ids=payload.investigators,
        request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/notes", response={201: NoteOut}, summary="调查记录")
def add_note(request, application_id: int, payload: NoteIn):
    note = decision.investigation_note_add(actor=request.auth, application=_staff_app(request, application_id),
                                           text=payload.text, request=request)
    return Status(201, {"id": note.pk})


@router.post("/applications/{application_id}/investigation-report", response={201: ReportOut},
             summary="上传调查报告（multipart file）")
def add_report(request, application_id: int, file: File[UploadedFile]):
    document = decision.investigation_report_upload(actor=request.auth,
                                                    application=_staff_app(request, application_id), upload=file,
                                                    request=request)
    return Status(201, {"id": document.pk, "sha256": document.file.sha256})


@router.post("/applications/{application_id}/suspend", response=ApplicationOut, summary="中止（认定时限停止计算）",
             openapi_extra=optional_body_doc(SuspendIn))
def suspend(request, application_id: int):
    payload = _optional_body(request, SuspendIn)
    application = decision.application_suspend(actor=request.auth, application=_staff_app(request, application_id),
                                               reason=payload.reason if payload else "", request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/resume", response=ApplicationOut, summary="恢复认定（时限继续计算）")
def resume(request, application_id: int):
    application = decision.application_resume(actor=request.auth, application=_staff_app(request, application_id),
                                              request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/decide", response=ApplicationOut, summary="作出认定决定（须有法律依据；出具决定书）")
def decide(request, application_id: int, payload: DecideIn):
    application = decision.application_decide(actor=request.auth, application=_staff_app(request, application_id),
                                              result=payload.result, article=payload.article,
                                              reasoning=payload.reasoning, request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/deliver", response=ApplicationOut, summary="送达",
             openapi_extra=optional_body_doc(DeliverIn))
def deliver(request, application_id: int):
    payload = _optional_body(request, DeliverIn)
    application = decision.application_deliver(actor=request.auth, application=_staff_app(request, application_id),
                                               method=payload.method if payload else "in_person", request=request)
    return _done(application, request)


@router.post("/applications/{application_id}/period-extension", response=PeriodExtensionOut, summary="登记申请时限延长理由（经办）")
def period_extension(request, application_id: int, payload: ReasonIn):
    require_staff(request.auth, *WORKBENCH_ROLES)
    application = _app(request, application_id)
    application = submission.application_period_extension_record(actor=request.auth, application=application,
                                                                 reason=payload.reason, request=request)
    return {"id": application.pk, "period_extension_reason": application.period_extension_reason}
