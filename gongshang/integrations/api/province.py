"""省级交换 API under /api/v1/exchange/: case packages, transfers in, monthly statistics reports.
Thin: parse, load-and-check, call a service, shape (presenters/province.py)."""

from typing import Literal

from django.db.models import Max
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, choice_filter
from gongshang.core.files.serving import stored_file_response

from ..choices import PackagePurpose, PackageStatus, TransferStatus
from ..models import StatisticsReport
from ..presenters.province import package_dict, report_dict, transfer_dict
from ..selectors import province as selectors
from ..services import province as services
from ..services import province_answers as answers
from ..services import statistics

router = Router(tags=["省级交换"], auth=bearer)


class ProvinceErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: ProvinceErrorOut for status in (400, 401, 403, 404, 409, 413, 415, 422)}


def _file_response(description: str, content_type: str) -> dict:
    return {"responses": {200: {"description": description,
                                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


class PackageIn(ApiSchema):
    case_number: str = Field(..., max_length=32, description="案件编号，如 GS370200-2026-000001（本统筹区的案件）")
    purpose: Literal[tuple(PackagePurpose.values)] = Field(..., description="reappraisal 再次鉴定（鉴定管理员）/ transfer 跨统筹区转移（待遇审核员）")
    application_id: int | None = Field(None, ge=1, description="再次鉴定申请的编号（不填：该案件已受理或已报送的再次鉴定申请）")
    target_region: str = Field("", max_length=6, description="转移时必填：转入统筹区的 6 位行政区划代码（本省其他统筹区，如 370700）")


class FileOut(Schema):
    path: str
    title: str
    size: int
    sha256: str


class TransferEntitlementOut(Schema):
    benefit_type: str
    benefit_type_label: str
    amount: str = Field(..., description="月金额（元，两位小数）")
    start_month: str
    payer_label: str


class ProvinceConclusionOut(Schema):
    number: str
    grade_label: str


class PackageOut(Schema):
    id: int
    reference: str = Field(..., description="报送编号，如 SJ-370200-2026-000001")
    purpose: str
    purpose_label: str
    status: str = Field(..., description="exported 已生成 / sent 已报送省级系统 / answered 省级已反馈")
    status_label: str
    case_id: int
    case_number: str
    worker: str = Field(..., description="工伤职工姓名（脱敏）")
    target_region: str
    target_region_label: str
    created_at: str | None
    created_by: str
    sent_at: str | None
    answered_at: str | None
    batch_id: int | None = Field(None, description="发送批次（已报送时）")
    package_sha256: str = Field(..., description="案卷包 zip 的 SHA-256")
    size: int
    manifest_sha256: str = Field(..., description="zip 内 manifest.json 的 SHA-256")
    files: list[FileOut]
    earlier_conclusion: ProvinceConclusionOut | None
    application_id: int | None
    entitlements: list[TransferEntitlementOut] = Field(..., description="转移的按月待遇（跨统筹区转移）")
    answer: str = Field(..., description="省级反馈摘要（未反馈时为空）")
    actions: list[str] = Field(..., description="当前账户可办理的操作：send 报送")


class PackageListOut(Schema):
    items: list[PackageOut]
    count: int


class PackageQuery(ApiSchema):
    purpose: choice_filter(PackagePurpose) = Field("", description="用途")
    status: choice_filter(PackageStatus) = Field("", description="状态")
    q: str = Field("", max_length=40, description="报送编号或案件编号（精确）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class TransferOut(Schema):
    id: int
    reference: str = Field(..., description="省级转移编号")
    status: str = Field(..., description="received 已接收，待核定 / accepted 已接续待遇")
    status_label: str
    from_region: str
    from_region_label: str
    name: str = Field(..., description="姓名（脱敏）")
    id_number: str = Field(..., description="身份证号（脱敏）")
    person_linked: bool = Field(..., description="已关联本统筹区的参保人员")
    case_number: str = Field(..., description="本统筹区的案件编号（接续后）")
    case_id: int | None
    original_case_number: str
    accident_on: str
    conclusion: ProvinceConclusionOut | None
    start_month: str = Field(..., description="本地接续月份 YYYY-MM")
    entitlements: list[TransferEntitlementOut]
    created_at: str | None
    handled_by: str
    handled_at: str | None
    benefits_url: str = Field(..., description="接续后：本统筹区待遇核定页（由另一名待遇审核员复核）")
    actions: list[str] = Field(..., description="当前账户可办理的操作：take_over 接续转入待遇")


class TransferListOut(Schema):
    items: list[TransferOut]
    count: int


class TransferQuery(ApiSchema):
    status: choice_filter(TransferStatus) = Field("", description="状态")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class TakeOverIn(ApiSchema):
    bank_name: str = Field("", max_length=100, description="开户银行（可在复核前补录）")
    bank_account: str = Field("", max_length=40, description="银行账号（10 至 30 位数字）")


class StatisticsReportIn(ApiSchema):
    month: str = Field(..., max_length=7, description="统计月份 YYYY-MM（已结束的月份）")


class StatisticsReportOut(Schema):
    id: int
    month: str
    version: int
    latest: bool = Field(..., description="是否为该月最新版本（只有最新版本可以报送）")
    created_at: str | None
    created_by: str
    sent: bool
    batch_id: int | None
    sha256: str
    cases: int = Field(..., description="新建案件数（合计）")
    decisions: int = Field(..., description="认定决定件数（合计）")
    fund_total: str = Field(..., description="基金支出合计（元）")
    actions: list[str] = Field(..., description="当前账户可办理的操作：send 报送")


class ReportListOut(Schema):
    items: list[StatisticsReportOut]
    count: int


def _latest(rows) -> dict:
    keys = {(r.region, r.month) for r in rows}
    if not keys:
        return {}
    found = StatisticsReport.objects.filter(region__in={k[0] for k in keys}, month__in={k[1] for k in keys}) \
        .values("region", "month").annotate(v=Max("version"))
    return {(row["region"], row["month"]): row["v"] for row in found}


# --- packages --------------------------------------------------------------------------------------------

@router.get("/packages", response={200: PackageListOut, **ERRORS}, summary="案卷包列表（再次鉴定、跨统筹区转移）")
@api_permit("case_package", "view")
def package_list(request, query: Query[PackageQuery]):
    qs = selectors.package_list(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [package_dict(p, request.auth) for p in qs[start:start + query.size]], "count": qs.count()}


@router.post("/packages", response={201: PackageOut, **ERRORS},
             summary="导出案卷包（再次鉴定：鉴定管理员，受理的申请随之报送省级鉴定委员会；转移：待遇审核员）")
@api_permit("case_package", "create")
def package_create(request, payload: PackageIn):
    package = services.package_create(actor=request.auth, purpose=payload.purpose,
                                      case_id=services.case_id_for(request.auth, payload.case_number),
                                      application_id=payload.application_id, target_region=payload.target_region)
    return Status(201, package_dict(selectors.package_get(actor=request.auth, package_id=package.pk), request.auth))


@router.get("/packages/{package_id}", response={200: PackageOut, **ERRORS}, summary="案卷包详情（清单摘要与省级反馈）")
@api_permit("case_package", "view")
def package_detail(request, package_id: int):
    return package_dict(selectors.package_get(actor=request.auth, package_id=package_id), request.auth)


@router.post("/packages/{package_id}/send", response={200: PackageOut, **ERRORS}, summary="报送案卷包到省级系统")
@api_permit("case_package", "send")
def package_send(request, package_id: int):
    package = services.package_send(actor=request.auth, package_id=package_id)
    return package_dict(selectors.package_get(actor=request.auth, package_id=package.pk), request.auth)


@router.get("/packages/{package_id}/download", response=ERRORS,
            openapi_extra=_file_response("案卷包（zip：manifest.json 与材料文件，含完整身份证号，仅供报送省级）",
                                         "application/zip"),
            summary="下载案卷包（zip）")
@api_permit("case_package", "view")
def package_download(request, package_id: int):
    package = selectors.package_get(actor=request.auth, package_id=package_id)
    services.package_downloaded(actor=request.auth, package=package)
    return stored_file_response(package.file, title=package.reference)


# --- transfers in --------------------------------------------------------------------------------------------

@router.get("/transfers", response={200: TransferListOut, **ERRORS}, summary="跨统筹区转入（待接续的在前）")
@api_permit("case_package", "view")
def transfer_list(request, query: Query[TransferQuery]):
    qs = selectors.transfer_list(actor=request.auth, filters=query.model_dump())
    start = (query.page - 1) * query.size
    return {"items": [transfer_dict(t, request.auth) for t in qs[start:start + query.size]], "count": qs.count()}


@router.post("/transfers/{transfer_id}/take-over", response={200: TransferOut, **ERRORS},
             summary="接续转入待遇（生成待复核的按月待遇，由另一名待遇审核员复核）")
@api_permit("case_package", "take_over")
def transfer_take_over(request, transfer_id: int, payload: TakeOverIn):
    transfer = answers.transfer_take_over(actor=request.auth, transfer_id=transfer_id, bank_name=payload.bank_name,
                                          bank_account=payload.bank_account)
    return transfer_dict(selectors.transfer_get(actor=request.auth, transfer_id=transfer.pk), request.auth)


# --- statistics reports --------------------------------------------------------------------------------------

@router.get("/reports", response={200: ReportListOut, **ERRORS}, summary="月度统计报表（各月各版本）")
@api_permit("statistics_report", "view")
def report_list(request):
    rows = list(selectors.report_list(actor=request.auth)[:240])
    latest = _latest(rows)
    return {"items": [report_dict(r, request.auth, latest) for r in rows], "count": len(rows)}


@router.post("/reports", response={201: StatisticsReportOut, **ERRORS}, summary="生成月度统计报表（再次生成为新版本）")
@api_permit("statistics_report", "create")
def report_create(request, payload: StatisticsReportIn):
    report = statistics.statistics_report_create(actor=request.auth, month=payload.month)
    row = selectors.report_get(actor=request.auth, report_id=report.pk)
    return Status(201, report_dict(row, request.auth, _latest([row])))


@router.get("/reports/{report_id}/download", response=ERRORS,
            openapi_extra=_file_response("月度统计报表（xlsx）", statistics.XLSX), summary="下载月度统计报表（xlsx）")
@api_permit("statistics_report", "view")
def report_download(request, report_id: int):
    report = selectors.report_get(actor=request.auth, report_id=report_id)
    return stored_file_response(report.file, title=f"工伤保险月度统计-{report.month:%Y%m}-第{report.version}版")


@router.post("/reports/{report_id}/send", response={200: StatisticsReportOut, **ERRORS}, summary="报送月度统计报表到省级系统（最新版本）")
@api_permit("statistics_report", "send")
def report_send(request, report_id: int):
    report = statistics.statistics_report_send(actor=request.auth, report_id=report_id)
    row = selectors.report_get(actor=request.auth, report_id=report.pk)
    return report_dict(row, request.auth, _latest([row]))
