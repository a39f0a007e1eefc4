"""工伤快报 API: the reporter's endpoints (by code) and the staff inbox (by id). Thin: parse, call a
service or selector, shape the answer."""

from django.utils import timezone
from ninja import Query, Router, Status

from gongshang.accounts.access import api_permit, public
from gongshang.accounts.services.auth import api_token_resolve
from gongshang.api.auth import bearer
from gongshang.api.idempotency import OPENAPI_PARAMETER
from gongshang.api.pagination import PageParams, count_fields
from gongshang.api.schemas import choice_filter
from gongshang.core.errors import DomainError
from gongshang.core.files.uploads import hash_while_receiving

from . import presenters, selectors
from .choices import ReportFlag, ReportStatus
from .errors import QuickReportErrorCode as E
from .schemas import (
    AccessCodeSentOut,
    AccessGrantOut,
    AccessIn,
    CloseIn,
    CreatedOut,
    GreenChannelOut,
    ReporterViewOut,
    ReportIn,
    SentOut,
    StaffPageOut,
    StaffViewOut,
    StatusOut,
    SupplementIn,
    SupplementOut,
    TextIn,
    parse_data,
)
from .services import access, staff
from .services.submission import InjuredInput, ReportInput, quick_report_submit
from .services.supplement import SupplementInput, quick_report_supplement

router = Router(tags=["工伤快报"])
staff_router = Router(tags=["工伤快报（经办）"], auth=bearer)

ACCESS_HEADER = "X-Quick-Report-Access"
MULTIPART_DOC = {"requestBody": {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["data"],
    "properties": {"data": {"type": "string", "description": "JSON，见 ReportIn / SupplementIn"},
                   "photos": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 4},
                   "video": {"type": "string", "format": "binary"}}}}}}}
CREATE_DOC = {**MULTIPART_DOC, "parameters": [OPENAPI_PARAMETER]}


def _aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


def _files(request):
    photos = request.FILES.getlist("photos")
    videos = request.FILES.getlist("video")
    if len(videos) > 1:
        raise DomainError(E.TOO_MANY_VIDEOS, status=422, details={"field": "video"})
    return photos, (videos[0] if videos else None)


def _optional_user(request):
    header = request.headers.get("Authorization", "")
    return api_token_resolve(header[7:].strip()) if header.lower().startswith("bearer ") else None


def _report_for(request, code: str):
    report = access.report_by_code(code)
    access.require_access(request, report=report, user=_optional_user(request),
                          token=request.headers.get(ACCESS_HEADER, ""))
    return report


@router.post("", response={201: CreatedOut}, auth=bearer, openapi_extra=CREATE_DOC,
             summary="提交工伤快报（multipart：data + photos + video；可带 Idempotency-Key 安全重试）")
@api_permit("quick_report", "create")
def create_report(request):
    hash_while_receiving(request)  # before the body is parsed: storing the photos then reads no file again
    payload = parse_data(ReportIn, request.POST.get("data"))
    photos, video = _files(request)
    data = ReportInput(
        reporter_kind=payload.reporter_kind, accident_at=_aware(payload.accident_at),
        description=payload.description, address=payload.address, latitude=payload.latitude,
        longitude=payload.longitude, accuracy_m=payload.accuracy_m, reporter_mobile=payload.reporter_mobile,
        employer_uscc=payload.employer_uscc, pledge_version=payload.pledge_version,
        persons=[InjuredInput(**p.model_dump()) for p in payload.persons])
    result = quick_report_submit(actor=request.auth, data=data, photos=photos, video=video)
    return Status(201, {"code": result.code, "case_numbers": result.case_numbers,
                 "submitted_at": result.report.submitted_at, "flags": result.report.flags})


@router.post("/{code}/access-code", response=AccessCodeSentOut, auth=None, summary="向快报人手机发送补充验证码")
@public  # the code and its rate limits are the access check
def send_access_code(request, code: str):
    report = access.report_by_code(code)
    return {"sent": True, "mobile_masked": access.access_sms_send(report=report)}


@router.post("/{code}/access", response=AccessGrantOut, auth=None, summary="用短信验证码换取 30 分钟的查看/补充授权")
@public  # the code, its rate limits and the reporter's SMS code are the access check
def grant_access(request, code: str, payload: AccessIn):
    report = access.report_by_code(code)
    token = access.access_grant(request, report=report, sms_code=payload.sms_code)
    return {"access_token": token, "header": ACCESS_HEADER, "expires_in": access.GRANT_SECONDS}


@router.get("/{code}", response=ReporterViewOut, auth=None, summary="快报人查看快报（申报人令牌，或 X-Quick-Report-Access 授权）")
@public  # the code and the reporter's account or grant are the access check (_report_for)
def get_report(request, code: str):
    return presenters.reporter_view(_report_for(request, code))


@router.post("/{code}/supplements", response={201: SupplementOut}, auth=None, summary="补充/更正快报（multipart）",
             openapi_extra=MULTIPART_DOC)
@public  # the code and the reporter's account or grant are the access check (_report_for)
def add_supplement(request, code: str):
    hash_while_receiving(request)
    report = _report_for(request, code)
    payload = parse_data(SupplementIn, request.POST.get("data"))
    photos, video = _files(request)
    data = SupplementInput(
        persons=[p.model_dump(exclude_none=True) for p in payload.persons], accident_at=_aware(payload.accident_at),
        address=payload.address, latitude=payload.latitude, longitude=payload.longitude,
        accuracy_m=payload.accuracy_m, note=payload.note, replace_media_ids=payload.replace_media_ids)
    user = _optional_user(request)
    event = quick_report_supplement(actor=user, report=report, data=data, photos=photos, video=video,
                                    actor_label=str(user) if user else "凭标志码补充")
    report.refresh_from_db()
    return Status(201, {"revision": event.revision, "flags": report.flags,
                        "media_added": event.details["media_added"]})


@staff_router.get("", response=StaffPageOut, summary="快报收件箱：本统筹区的快报（status、flag、unread 筛选；limit/offset 分页，默认 50 条）")
@api_permit("quick_report", "queue")
def staff_list(request, page: Query[PageParams], status: choice_filter(ReportStatus) = "",
               flag: choice_filter(ReportFlag) = "", unread: bool = False):
    reports = selectors.quick_report_list(actor=request.auth, action="queue", status=status, flag=flag,
                                          unread=unread)
    rows = selectors.page(reports, limit=page.limit, offset=page.offset)
    unread, unread_capped = selectors.unread_count_capped(actor=request.auth)
    return {"unread": unread, "unread_capped": unread_capped, **count_fields(reports), "limit": page.limit,
            "offset": page.offset, "items": [presenters.staff_row(r) for r in rows]}


def _staff_report(request, report_id: int, action: str):
    return selectors.quick_report_get(actor=request.auth, report_id=report_id, action=action)


@staff_router.get("/{report_id}", response=StaffViewOut, summary="快报详情（脱敏；影像原件与水印件）")
@api_permit("quick_report", "queue")
def staff_detail(request, report_id: int):
    report = _staff_report(request, report_id, "queue")
    staff.quick_report_mark_viewed(actor=request.auth, report=report)
    return presenters.staff_view(report)


@staff_router.post("/{report_id}/receive", response=StatusOut, summary="接收")
@api_permit("quick_report", "receive")
def staff_receive(request, report_id: int):
    report = staff.quick_report_receive(actor=request.auth, report=_staff_report(request, report_id, "receive"))
    return {"status": report.status}


@staff_router.post("/{report_id}/messages", response={201: SentOut}, summary="给快报人发短信留言")
@api_permit("quick_report", "message")
def staff_message(request, report_id: int, payload: TextIn):
    staff.quick_report_message(actor=request.auth, report=_staff_report(request, report_id, "message"),
                               text=payload.text)
    return Status(201, {"sent": True})


@staff_router.post("/{report_id}/open-case", response=StatusOut, summary="立案")
@api_permit("quick_report", "open_case")
def staff_open_case(request, report_id: int):
    report = staff.quick_report_open_case(actor=request.auth,
                                          report=_staff_report(request, report_id, "open_case"))
    return {"status": report.status}


@staff_router.post("/{report_id}/green-channel", response=GreenChannelOut, summary="开通绿色通道（简易案件，受理后 5 个工作日内认定）")
@api_permit("quick_report", "green_channel")
def staff_green_channel(request, report_id: int):
    report = staff.quick_report_green_channel(actor=request.auth,
                                              report=_staff_report(request, report_id, "green_channel"))
    return {"status": report.status, "flags": report.flags}


@staff_router.post("/{report_id}/close", response=StatusOut, summary="无效关闭（须填写原因）")
@api_permit("quick_report", "close_invalid")
def staff_close(request, report_id: int, payload: CloseIn):
    report = staff.quick_report_close_invalid(actor=request.auth,
                                              report=_staff_report(request, report_id, "close_invalid"),
                                              reason=payload.reason)
    return {"status": report.status}
