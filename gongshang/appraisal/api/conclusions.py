"""劳动能力鉴定 API (paths fixed by the issue); thin: parse, load-and-check, call a service, shape.
Conclusions, delivery and 签收, the 结论书 PDF, the public 公示 list and objections, 再次鉴定 (the
package to the province and the provincial conclusion back)."""

import hashlib

from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for, public
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema
from gongshang.core.errors import NotFound
from gongshang.quickreports.schemas import parse_data

from ..models import AppraisalApplication, AppraisalConclusion, PublishedConclusion
from ..presenters import conclusions as presenters
from ..schemas.conclusions import (
    ConclusionDeliverIn,
    ConclusionErrorOut,
    ConclusionIn,
    ConclusionOut,
    ProvincialConclusionIn,
    PublicationObjectionIn,
    PublicationObjectionOut,
    PublicationPageOut,
    ReferralOut,
)
from ..services import conclusions, province, publication

router = Router(tags=["劳动能力鉴定"], auth=bearer)

PDF_RESPONSE = {"responses": {200: {"description": "劳动能力鉴定结论书（PDF）",
                                    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}
ZIP_RESPONSE = {"responses": {200: {"description": "再次鉴定案卷包（zip：manifest.json 与材料文件）",
                                    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}}
ERRORS = {status: ConclusionErrorOut for status in (401, 403, 404, 409, 422)}


def _app(request, application_id: int, action: str = "view") -> AppraisalApplication:
    return get_for(request.auth, AppraisalApplication.objects.select_related("case__person", "case__employer"),
                   application_id, action)


def _conclusion(request, application_id: int) -> AppraisalConclusion:
    _app(request, application_id)  # 404 out of scope
    row = AppraisalConclusion.objects.filter(application_id=application_id).values_list("pk", flat=True).first()
    if row is None:
        raise NotFound("该申请尚未作出鉴定结论。")
    return get_for(request.auth, AppraisalConclusion.objects.select_related(
        "application", "case", "document", "supersedes"), row, "view")


@router.post("/applications/{application_id}/conclusion", response={201: ConclusionOut, **ERRORS},
             summary="作出鉴定结论（专家组已提出意见后；出具结论书并核算待遇）")
@api_permit("appraisal_application", "conclude")
def conclude(request, application_id: int, payload: ConclusionIn):
    application = _app(request, application_id, "conclude")
    data = payload.model_dump(exclude_unset=True)
    if payload.basis is not None:
        data["basis"] = payload.basis.model_dump()
    conclusion = conclusions.conclusion_create(actor=request.auth, application=application, data=data)
    return Status(201, presenters.conclusion_out(conclusion))


@router.get("/applications/{application_id}/conclusion", response={200: ConclusionOut, **ERRORS},
            summary="鉴定结论")
@api_permit("appraisal_conclusion", "view")
def conclusion(request, application_id: int):
    return presenters.conclusion_out(_conclusion(request, application_id))


@router.get("/applications/{application_id}/conclusion.pdf", response=ERRORS, openapi_extra=PDF_RESPONSE,
            summary="下载劳动能力鉴定结论书（PDF）")
@api_permit("appraisal_conclusion", "view")
def conclusion_pdf(request, application_id: int):
    return presenters.conclusion_file_response(_conclusion(request, application_id), download=True)


@router.post("/applications/{application_id}/deliver", response={200: ConclusionOut, **ERRORS},
             summary="送达结论书（online 网上送达 / post 邮寄，须填邮寄单号 / in_person 窗口领取）")
@api_permit("appraisal_application", "deliver")
def deliver(request, application_id: int, payload: ConclusionDeliverIn):
    application = _app(request, application_id, "deliver")
    row = conclusions.conclusion_deliver(actor=request.auth, application=application, method=payload.method,
                                         tracking_number=payload.tracking_number)
    return presenters.conclusion_out(row)


@router.post("/applications/{application_id}/receive", response={200: ConclusionOut, **ERRORS},
             summary="申请人下载并签收结论书（再次鉴定申请期限自签收之日起算）")
@api_permit("appraisal_application", "receive_conclusion")
def receive(request, application_id: int):
    application = _app(request, application_id, "receive_conclusion")
    return presenters.conclusion_out(conclusions.conclusion_receive(actor=request.auth, application=application))


@router.post("/applications/{application_id}/refer", response={200: ReferralOut, **ERRORS},
             summary="再次鉴定：报送省级鉴定委员会（导出案卷包）")
@api_permit("appraisal_application", "refer")
def refer(request, application_id: int):
    application = _app(request, application_id, "refer")
    content, manifest = province.application_refer(actor=request.auth, application=application)
    return {"id": application.pk, "status": "referred", "package_sha256": hashlib.sha256(content).hexdigest(),
            "files": len(manifest["files"]),
            "package_url": f"/api/v1/appraisal/applications/{application.pk}/package"}


@router.get("/applications/{application_id}/package", response=ERRORS, openapi_extra=ZIP_RESPONSE,
            summary="再次鉴定案卷包（zip：manifest.json 列出案件、申请、每份材料及其 SHA-256、原结论、专家意见、现场鉴定记录）")
@api_permit("appraisal_conclusion", "export_package")
def package(request, application_id: int):
    application = _app(request, application_id)
    content = province.package_download(actor=request.auth, application=application)
    return presenters.zip_response(content, application)


@router.post("/applications/{application_id}/provincial-conclusion", response={201: ConclusionOut, **ERRORS},
             summary="导入省级鉴定委员会结论（multipart：data 为 JSON（grade、self_care、number、concluded_on），"
                     "file 为结论书 PDF 或图片；最终结论）")
@api_permit("appraisal_conclusion", "import_provincial")
def provincial_conclusion(request, application_id: int, data: Form[str], file: File[UploadedFile]):
    application = _app(request, application_id)
    parsed = parse_data(ProvincialConclusionIn, data, loc=("form", "data"))
    row = province.provincial_conclusion_import(actor=request.auth, application=application,
                                                data=parsed.model_dump(), upload=file)
    return Status(201, presenters.conclusion_out(row))


class PublicationQuery(ApiSchema):
    region: str = Field("", max_length=6, description="统筹区代码")
    batch: str = Field("", max_length=20, description="批次号")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


@router.get("/publications", response={200: PublicationPageOut, 422: ConclusionErrorOut}, auth=None,
            summary="鉴定结论公示（公开，无需登录；姓名脱敏；仅公示期内）")
@public
def publications(request, query: Query[PublicationQuery]):
    page = publication.public_page(region=query.region, batch=query.batch, page=query.page, size=query.size)
    page["items"] = [presenters.publication_out(item) for item in page["items"]]
    return page


@router.post("/publications/{publication_id}/objections", response={201: PublicationObjectionOut, **ERRORS},
             summary="登记公示异议")
@api_permit("appraisal_publication", "record_objection")
def objection(request, publication_id: int, payload: PublicationObjectionIn):
    line = get_for(request.auth, PublishedConclusion.objects.all(), publication_id, "record_objection")
    row = publication.objection_record(actor=request.auth, publication=line, raised_by=payload.raised_by,
                                       text=payload.text, contact=payload.contact)
    return Status(201, {"id": row.pk, "publication_id": line.pk, "raised_by": row.raised_by,
                        "recorded_at": row.recorded_at.isoformat()})
