"""待遇领取资格认证 API under /api/v1/exchange/: the staff queue and review, the window and the
designated institution confirming in person, the cycle run now, and the beneficiary's own
certification on the phone. Thin: parse, load-and-check, call a service, shape."""

from ninja import File, Query, Router
from ninja.files import UploadedFile

from gongshang.accounts.access import allowed_actions, api_permit
from gongshang.accounts.choices import Audience
from gongshang.api.auth import bearer

from ..selectors import eligibility as selectors
from ..services import eligibility as services
from ..services import eligibility_cycle as cycle
from .eligibility_schemas import (
    CertificationDetailOut,
    CertificationErrorOut,
    CertificationListOut,
    CertificationQuery,
    ConfirmIn,
    CycleOut,
    InPersonIn,
    InPersonOut,
    MyCertificationOut,
    ReviewIn,
)

router = Router(tags=["待遇领取资格认证"], auth=bearer)
ERRORS = {status: CertificationErrorOut for status in (401, 403, 404, 409, 422)}
UPLOAD_ERRORS = {status: CertificationErrorOut for status in (413, 415)}


def _detail(actor, certification) -> dict:
    return selectors.certification_detail(certification, allowed_actions(actor, certification),
                                          full=actor.kind != Audience.INSTITUTION)


@router.get("/certifications", response={200: CertificationListOut, **ERRORS},
            summary="待遇领取资格认证列表（待审核在前，其次逾期暂停、待认证）")
@api_permit("benefit_certification", "view")
def certification_list(request, query: Query[CertificationQuery]):
    qs = selectors.certification_list(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [selectors.certification_row(c) for c in qs[start:start + query.size]], "count": qs.count()}


@router.post("/certifications/run", response={200: CycleOut, **ERRORS},
             summary="立即执行本统筹区的资格认证比对（新建、数据比对、提醒、逾期暂停；每日自动执行）")
@api_permit("benefit_certification", "run")
def certification_run(request):
    result = cycle.certifications_run(actor=request.auth)
    return {**result.as_dict(), "summary": result.summary()}


@router.post("/certifications/institution-confirm", response={200: InPersonOut, **ERRORS, 429: CertificationErrorOut},
             summary="本人到场认证：定点机构（或经办窗口）按身份证号和姓名确认受领人本人到场")
@api_permit("benefit_certification", "confirm")
def certification_in_person(request, payload: InPersonIn):
    certification = services.certification_confirm_in_person(actor=request.auth, id_number=payload.id_number,
                                                             name=payload.name, note=payload.note)
    row = selectors.certification_row(certification)
    return {"id": certification.pk, "year": certification.year, "beneficiary_name": row["beneficiary_name"],
            "status": certification.status, "status_label": row["status_label"], "method_label": row["method_label"],
            "confirmed_at": row["confirmed_at"], "resumed": bool(certification.suspended_entitlements)}


@router.get("/certifications/{certification_id}", response={200: CertificationDetailOut, **ERRORS},
            summary="待遇领取资格认证详情（含提醒记录、逾期暂停的待遇）")
@api_permit("benefit_certification", "view")
def certification_detail(request, certification_id: int):
    certification = selectors.certification_get(actor=request.auth, certification_id=certification_id)
    return _detail(request.auth, certification)


@router.post("/certifications/{certification_id}/review", response={200: CertificationDetailOut, **ERRORS},
             summary="审核手机自助认证：核对现场照片与参照照片，认证通过或不通过（须写原因）")
@api_permit("benefit_certification", "review")
def certification_review(request, certification_id: int, payload: ReviewIn):
    certification = selectors.certification_get(actor=request.auth, certification_id=certification_id, action="review")
    services.certification_review(actor=request.auth, certification=certification, decision=payload.decision,
                                  reason=payload.reason)
    return _detail(request.auth, selectors.certification_get(actor=request.auth, certification_id=certification_id))


@router.post("/certifications/{certification_id}/confirm", response={200: CertificationDetailOut, **ERRORS},
             summary="窗口认证：受领人本人持身份证到窗口，经办人员确认（逾期暂停的待遇随即恢复）")
@api_permit("benefit_certification", "confirm")
def certification_confirm(request, certification_id: int, payload: ConfirmIn):
    certification = selectors.certification_get(actor=request.auth, certification_id=certification_id, action="confirm")
    services.certification_confirm(actor=request.auth, certification=certification, note=payload.note)
    return _detail(request.auth, selectors.certification_get(actor=request.auth, certification_id=certification_id))


def _mine(actor) -> dict:
    rows = selectors.my_certifications(actor=actor)
    current = rows[0] if rows else None
    return {"certification": selectors.certification_row(current) if current else None,
            "can_certify": bool(current and current.status in selectors.CERTIFIABLE),
            "message": selectors.my_message(current)}


@router.get("/me/certification", response={200: MyCertificationOut, **ERRORS},
            summary="本人的待遇领取资格认证（受领人本人）")
@api_permit("benefit_certification", "certify")
def my_certification(request):
    return _mine(request.auth)


@router.post("/me/certification", response={200: MyCertificationOut, **ERRORS, **UPLOAD_ERRORS},
             summary="手机自助认证：上传本人现场照片（multipart：photo，JPG 或 PNG，不超过 10 MB）")
@api_permit("benefit_certification", "certify")
def my_certification_submit(request, photo: File[UploadedFile] = None):
    services.certification_certify(actor=request.auth, photo=photo)
    return _mine(request.auth)
