"""劳动能力鉴定 API: batches, the panel draw and exam day (paths fixed by the issue); thin: parse,
load-and-check, call a service, shape."""

from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from gongshang.accounts.access import api_permit, get_for, public, restrict
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams
from gongshang.core.errors import FieldErrors
from gongshang.quickreports.schemas import parse_data

from .. import selectors
from ..models import AppraisalApplication, AppraisalBatch, AppraisalSite
from ..presenters import batches as p
from ..schemas.batches import (
    BatchAssignedOut,
    BatchAssignIn,
    BatchCommitmentPageOut,
    BatchCommitmentQuery,
    BatchIn,
    BatchOut,
    BatchPageOut,
    DrawVerificationOut,
    ExamNoShowIn,
    ExamRecordOut,
    ExamStatusOut,
    ExpertOpinionIn,
    ExpertOpinionOut,
    HomeVisitIn,
    HomeVisitOut,
    PanelProposalIn,
    TerminateIn,
)
from ..services import batches as batch_services
from ..services import exam as exam_services

router = Router(tags=["劳动能力鉴定"], auth=bearer)


def _batch(request, batch_id: int, action: str = "view") -> AppraisalBatch:
    return get_for(request.auth, AppraisalBatch.objects.select_related("site"), batch_id, action)


def _application(request, application_id: int, action: str) -> AppraisalApplication:
    return get_for(request.auth, AppraisalApplication.objects.select_related("case"), application_id, action)


def _optional(request, schema):
    """An optional JSON body (the action may be posted empty): invalid JSON or fields → 422."""
    if "json" not in (request.content_type or "") or not request.body.strip():
        return None
    return parse_data(schema, request.body.decode("utf-8", errors="replace"), loc=("body", "payload"))


def _optional_doc(schema) -> dict:
    return {"requestBody": {"required": False, "content": {"application/json": {"schema": schema.model_json_schema()}}}}


@router.post("/batches", response={201: BatchOut}, summary="新建鉴定批次（生成批次号，公布抽取种子承诺值）")
@api_permit("appraisal_batch", "create")
def create_batch(request, payload: BatchIn):
    site = restrict(request.auth, AppraisalSite, "edit").filter(pk=payload.site_id).first() if payload.site_id else None
    if site is None:
        raise FieldErrors({"site_id": "请选择本统筹区启用中的鉴定场所"})
    batch = batch_services.batch_create(actor=request.auth, exam_on=payload.exam_on, site=site,
                                        capacity=payload.capacity, cutoff_on=payload.cutoff_on,
                                        exam_time=payload.exam_time, bring_note=payload.bring_note)
    return Status(201, p.batch_dict(batch, actor=request.auth, detail=True))


@router.get("/batches", response=BatchPageOut, summary="鉴定批次列表（鉴定专家：其参加的批次）")
@api_permit("appraisal_batch", "view")
def list_batches(request, page: Query[PageParams]):
    rows = restrict(request.auth, AppraisalBatch.objects.select_related("site")).order_by("-exam_on", "-pk")
    return {"count": rows.count(), "limit": page.limit, "offset": page.offset,
            "items": [p.batch_dict(b, actor=request.auth) for b in rows[page.offset:page.offset + page.limit]]}


@router.get("/batches/commitments", response={200: BatchCommitmentPageOut, 422: dict}, auth=None,
            summary="鉴定批次抽取承诺（公开，无需登录）：每个批次的批次号、鉴定日期、抽取种子承诺值（SHA-256），"
                    "抽取后公布种子，可核对 SHA-256(种子) 与事先公布的承诺值一致；不含任何姓名")
@public
def batch_commitments(request, query: Query[BatchCommitmentQuery]):
    return selectors.public_commitments(region=query.region, page=query.page, size=query.size)


@router.get("/batches/{batch_id}", response=BatchOut, summary="批次详情：编入的申请；抽取后含种子、承诺值与专家组")
@api_permit("appraisal_batch", "view")
def get_batch(request, batch_id: int):
    return p.batch_dict(_batch(request, batch_id), actor=request.auth, detail=True)


@router.post("/batches/{batch_id}/assign", response=BatchAssignedOut, openapi_extra=_optional_doc(BatchAssignIn),
             summary="编入申请：截止编入日期前受理的本统筹区申请，按时限先后至容量为止；或指定 application_ids")
@api_permit("appraisal_batch", "edit")
def assign_batch(request, batch_id: int):
    payload = _optional(request, BatchAssignIn)
    batch = _batch(request, batch_id, "edit")
    assigned = batch_services.batch_assign(actor=request.auth, batch=batch,
                                           application_ids=payload.application_ids if payload else None)
    batch.refresh_from_db()
    return {"assigned": [a.pk for a in assigned], "batch": p.batch_dict(batch, actor=request.auth, detail=True)}


@router.post("/batches/{batch_id}/close", response=BatchOut, summary="截止编入")
@api_permit("appraisal_batch", "close")
def close_batch(request, batch_id: int):
    batch = batch_services.batch_close(actor=request.auth, batch=_batch(request, batch_id, "close"))
    return p.batch_dict(batch, actor=request.auth, detail=True)


@router.post("/batches/{batch_id}/draw", response=BatchOut,
             summary="随机抽取专家组（条例第二十五条、第二十七条回避）；公开种子，记录专家库快照与结果")
@api_permit("appraisal_batch", "draw")
def draw_batch(request, batch_id: int):
    batch = _batch(request, batch_id, "draw")
    batch_services.batch_draw(actor=request.auth, batch=batch)
    batch.refresh_from_db()
    return p.batch_dict(batch, actor=request.auth, detail=True)


@router.post("/batches/{batch_id}/finish", response=BatchOut,
             summary="结束现场鉴定（批次内申请均已形成专家组意见、退回下一批次或终止）")
@api_permit("appraisal_batch", "finish")
def finish_batch(request, batch_id: int):
    batch = batch_services.batch_finish(actor=request.auth, batch=_batch(request, batch_id, "finish"))
    return p.batch_dict(batch, actor=request.auth, detail=True)


@router.get("/batches/{batch_id}/verification", response=DrawVerificationOut,
            summary="核验抽取：种子与承诺值一致、快照摘要一致、以快照和种子重新抽取结果一致")
@api_permit("appraisal_batch", "view")
def verify_batch(request, batch_id: int):
    batch = _batch(request, batch_id)
    record = batch.draws.order_by("-pk").first()
    if record is None:
        return {"ok": False, "problems": ["该批次尚未抽取专家组。"], "seed": "", "seed_commitment": batch.seed_commitment,
                "pool_sha256": ""}
    problems = batch_services.draw_verify(record)
    return {"ok": not problems, "problems": problems, "seed": record.seed, "seed_commitment": batch.seed_commitment,
            "pool_sha256": record.pool_sha256}


# --- exam day ----------------------------------------------------------------------------------------

@router.post("/applications/{application_id}/check-in", response=ExamRecordOut,
             summary="现场签到（multipart：photo 现场照片，verified 核验是否一致，note 说明）")
@api_permit("appraisal_application", "check_in")
def check_in(request, application_id: int, photo: File[UploadedFile], verified: Form[bool],
             note: Form[str] = ""):
    application = _application(request, application_id, "check_in")
    exam_services.exam_check_in(actor=request.auth, application=application, photo=photo, verified=verified,
                                note=note[:300])
    application.refresh_from_db()
    return p.exam_dict(application)


@router.post("/applications/{application_id}/opinion", response={201: ExpertOpinionOut},
             summary="鉴定专家签署本人意见（专家组成员；每人一次）")
@api_permit("appraisal_application", "opinion")
def sign_opinion(request, application_id: int, payload: ExpertOpinionIn):
    application = _application(request, application_id, "opinion")
    opinion = exam_services.opinion_sign(actor=request.auth, application=application, grade=payload.grade,
                                         self_care=payload.self_care, standard_items=payload.standard_items,
                                         confirmations=payload.confirmations, text=payload.text)
    return Status(201, p.opinion_dict(opinion))


@router.post("/applications/{application_id}/examine", response=ExamRecordOut,
             summary="专家组意见（须全体成员已签署意见）")
@api_permit("appraisal_application", "examine")
def examine(request, application_id: int, payload: PanelProposalIn):
    application = _application(request, application_id, "examine")
    exam_services.exam_examine(actor=request.auth, application=application, grade=payload.grade,
                               self_care=payload.self_care, text=payload.text, confirmations=payload.confirmations)
    application.refresh_from_db()
    return p.exam_dict(application)


@router.post("/applications/{application_id}/no-show", response=ExamStatusOut, openapi_extra=_optional_doc(ExamNoShowIn),
             summary="登记无正当理由未到场（未达地区设置次数：退回待安排下一批次；达到：终止鉴定）")
@api_permit("appraisal_application", "record_no_show")
def no_show(request, application_id: int):
    payload = _optional(request, ExamNoShowIn)
    application = _application(request, application_id, "record_no_show")
    application = exam_services.exam_no_show(actor=request.auth, application=application,
                                             note=payload.note if payload else "")
    return p.status_dict(application)


@router.post("/applications/{application_id}/terminate", response=ExamStatusOut,
             summary="终止鉴定（鉴定办法第二十三条），须写明理由")
@api_permit("appraisal_application", "terminate")
def terminate(request, application_id: int, payload: TerminateIn):
    application = _application(request, application_id, "terminate")
    application = exam_services.application_terminate(actor=request.auth, application=application,
                                                      reason=payload.reason)
    return p.status_dict(application)


@router.post("/applications/{application_id}/visit", response={201: HomeVisitOut},
             summary="绿色通道：批准上门或远程鉴定并预约时间")
@api_permit("appraisal_application", "approve_visit")
def approve_visit(request, application_id: int, payload: HomeVisitIn):
    application = _application(request, application_id, "approve_visit")
    batch = None
    if payload.batch_id is not None:
        batch = restrict(request.auth, AppraisalBatch, "edit").filter(pk=payload.batch_id).first()
        if batch is None:
            raise FieldErrors({"batch_id": "只能编入本统筹区计划中的批次"})
    visit = exam_services.visit_approve(actor=request.auth, application=application, mode=payload.mode,
                                        scheduled_at=payload.scheduled_at, address=payload.address, batch=batch)
    return Status(201, {"id": visit.pk, "application_id": application.pk, "mode": visit.mode,
                        "scheduled_at": visit.scheduled_at.isoformat(), "status": visit.application.status})


@router.post("/applications/{application_id}/recording", response={201: ExamRecordOut},
             summary="上传鉴定过程录音录像（multipart：file，MP4/MOV/MP3 等）")
@api_permit("appraisal_application", "check_in")
def recording(request, application_id: int, file: File[UploadedFile]):
    application = _application(request, application_id, "check_in")
    exam_services.recording_attach(actor=request.auth, application=application, upload=file)
    application.refresh_from_db()
    return Status(201, p.exam_dict(application))
