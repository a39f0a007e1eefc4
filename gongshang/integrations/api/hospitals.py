"""入出院通知 API under /api/v1/exchange/ (paths fixed by the issue); thin: parse, load-and-check, call
a service, shape. ID numbers are always masked (nobody's job needs the full number here); names are
masked in the list and shown on one notice (staff compare it with the case).

GET /hospital-notices, GET /hospital-notices/{notice_id}, POST /hospital-notices/{notice_id}/link
{case_number}, POST /hospital-notices/{notice_id}/dismiss {note}."""

from datetime import date

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from gongshang.accounts.access import allowed_actions, api_permit
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, IsoDateTime, Text, choice_filter
from gongshang.core.errors import FieldErrors
from gongshang.core.pii.masking import mask_id_number, mask_name

from ..choices import HospitalNoticeKind, HospitalNoticeStatus
from ..selectors.hospitals import NOTICES, hospital_notice_get, hospital_notice_list
from ..services import hospitals as services
from ..services.hospitals import NOTE_MAX

router = Router(tags=["数据交换：入出院通知"], auth=bearer)


class HospitalErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: HospitalErrorOut for status in (401, 403, 404, 409, 422)}
READ_ERRORS = {status: HospitalErrorOut for status in (401, 403, 422)}


class NoticeQuery(ApiSchema):
    status: choice_filter(HospitalNoticeStatus) = Field(
        "", description="状态：linked 已关联工伤案件 / unlinked 无在办工伤案件 / dismissed 经核查与工伤无关（留空为全部）")
    kind: choice_filter(HospitalNoticeKind) = Field("", description="类别：admission 入院 / discharge 出院（留空为全部）")
    date_from: date | None = Field(None, description="入院/出院日期自（含）")
    date_to: date | None = Field(None, description="入院/出院日期至（含）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class LinkIn(ApiSchema):
    case_number: str = Field(..., max_length=40, description="要关联的工伤案件编号（本统筹区、同一职工的案件），如 GS370200-2026-000123")


class DismissIn(ApiSchema):
    note: str = Field(..., max_length=NOTE_MAX, description="排除原因（经核查与工伤无关的理由）")


class NoticeItemOut(Schema):
    id: int
    hospital_code: str
    hospital_name: str
    notice_number: str
    kind: str
    kind_label: Text
    id_number: str = Field(..., description="身份证号（已遮盖）")
    name: str
    event_date: date = Field(..., description="入院/出院日期")
    status: str
    status_label: Text
    case_number: str | None = Field(..., description="关联的工伤案件编号")
    received_at: IsoDateTime


class NoticeOut(NoticeItemOut):
    region: str
    batch_id: int = Field(..., description="所属交换批次")
    institution_id: int | None = Field(..., description="匹配到的协议机构（按医疗机构代码）")
    person_matched: bool = Field(..., description="是否匹配到参保人员")
    diagnosis: str
    diagnosis_code: str
    note: str = Field(..., description="关联或排除的说明")
    handled_by: str = Field(..., description="核查人（系统自动关联时为空）")
    actions: list[str] = Field(..., description="当前账户可办理的操作：link 关联案件 / dismiss 排除")


class NoticeListOut(Schema):
    items: list[NoticeItemOut]
    count: int


def _item(notice, *, masked_name: bool = True) -> dict:
    return {"id": notice.pk, "hospital_code": notice.hospital_code, "hospital_name": notice.hospital_name,
            "notice_number": notice.notice_number, "kind": notice.kind, "kind_label": notice.get_kind_display(),
            "id_number": mask_id_number(notice.id_number),
            "name": mask_name(notice.name) if masked_name else notice.name, "event_date": notice.event_date,
            "status": notice.status, "status_label": notice.get_status_display(),
            "case_number": notice.case.number if notice.case_id else None,
            "received_at": timezone.localtime(notice.created_at).isoformat()}


def _detail(notice, actor) -> dict:
    return {**_item(notice, masked_name=False), "region": notice.region, "batch_id": notice.batch_id,
            "institution_id": notice.institution_id, "person_matched": notice.person_id is not None,
            "diagnosis": notice.diagnosis, "diagnosis_code": notice.diagnosis_code, "note": notice.note,
            "handled_by": str(notice.handled_by) if notice.handled_by_id else "",
            "actions": sorted(a for a in allowed_actions(actor, notice) if a in ("link", "dismiss"))}


@router.get("/hospital-notices", response={200: NoticeListOut, **READ_ERRORS},
            summary="入出院通知列表（本统筹区；身份证号、姓名已遮盖）")
@api_permit("hospital_notice", "view")
def list_(request, query: Query[NoticeQuery]):
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise FieldErrors({"date_to": "“日期至”不能早于“日期自”，请调整日期范围。"})
    qs = hospital_notice_list(actor=request.auth, filters=query.dict())
    start = (query.page - 1) * query.size
    return {"items": [_item(n) for n in qs[start:start + query.size]], "count": qs.count()}


@router.get("/hospital-notices/{notice_id}", response={200: NoticeOut, **ERRORS}, summary="一条入出院通知")
@api_permit("hospital_notice", "view")
def detail(request, notice_id: int):
    return _detail(hospital_notice_get(actor=request.auth, notice_id=notice_id), request.auth)


@router.post("/hospital-notices/{notice_id}/link", response={200: NoticeOut, **ERRORS},
             summary="按案件编号关联工伤案件（须为通知中同一职工的本统筹区案件）")
@api_permit("hospital_notice", "link")
def link(request, notice_id: int, payload: LinkIn):
    notice = hospital_notice_get(actor=request.auth, notice_id=notice_id, action="link")
    services.hospital_notice_link(actor=request.auth, notice=notice, case_number=payload.case_number)
    return _detail(NOTICES.get(pk=notice.pk), request.auth)


@router.post("/hospital-notices/{notice_id}/dismiss", response={200: NoticeOut, **ERRORS},
             summary="排除：经核查与工伤无关（须写明原因；已关联的取消关联）")
@api_permit("hospital_notice", "dismiss")
def dismiss(request, notice_id: int, payload: DismissIn):
    notice = hospital_notice_get(actor=request.auth, notice_id=notice_id, action="dismiss")
    services.hospital_notice_dismiss(actor=request.auth, notice=notice, note=payload.note)
    return _detail(NOTICES.get(pk=notice.pk), request.auth)
