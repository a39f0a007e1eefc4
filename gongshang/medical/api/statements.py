"""机构月度结算 API: the institution reads its own statements; staff compute, approve, release,
record payment, and record 追回. Thin."""

from ninja import Query, Router, Status
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.pagination import PageParams

from ..models import AgreementInstitution, InstitutionStatement
from ..presenters import review as p
from ..schemas.review import (
    AdjustmentIn,
    AdjustmentOut,
    StatementComputeIn,
    StatementDetailOut,
    StatementOut,
    StatementPageOut,
)
from ..selectors import review as selectors
from ..services import statements as services

router = Router(tags=["工伤医疗"], auth=bearer)


class StatementParams(PageParams):
    period: str = Field("", max_length=7, pattern=r"^(\d{4}-\d{2})?$", description="结算月份 YYYY-MM（不填为全部）")


def _statement(request, statement_id: int, action: str = "view") -> InstitutionStatement:
    return get_for(request.auth, InstitutionStatement.objects.select_related("institution"), statement_id, action)


def _institution(request, institution_id: int) -> AgreementInstitution:
    return get_for(request.auth, AgreementInstitution, institution_id, "view")


@router.get("/statements", response=StatementPageOut, summary="机构月度结算单列表（机构：本机构的；经办：本统筹区的）")
@api_permit("medical_statement", "view")
def list_statements(request, query: Query[StatementParams]):
    period = services.parse_period(query.period) if query.period else None
    rows = selectors.statement_list(actor=request.auth, period=period)
    return {"count": rows.count(), "limit": query.limit, "offset": query.offset,
            "items": [p.statement(s) for s in rows[query.offset:query.offset + query.limit]]}


@router.post("/statements", response={201: StatementOut},
             summary="生成机构月度结算单（每机构每月一次；重复生成答 409 statement_already_exists）")
@api_permit("medical_statement", "compute")
def compute_statement(request, payload: StatementComputeIn):
    institution = _institution(request, payload.institution_id)
    return Status(201, p.statement(services.statement_compute(actor=request.auth, institution=institution,
                                                              period=payload.period)))


@router.get("/statements/{statement_id}", response=StatementDetailOut, summary="结算单详情：纳入的就诊与扣减")
@api_permit("medical_statement", "view")
def get_statement(request, statement_id: int):
    return p.statement_detail(_statement(request, statement_id))


@router.post("/statements/{statement_id}/approve", response=StatementOut, summary="复核结算单（生成人以外的经办人员）")
@api_permit("medical_statement", "approve")
def approve_statement(request, statement_id: int):
    return p.statement(services.statement_approve(actor=request.auth, statement=_statement(request, statement_id, "approve")))


@router.post("/statements/{statement_id}/release", response=StatementOut,
             summary="拨付结算单（复核人以外的经办人员；生成人可拨付他人复核的），之后可导出银行文件")
@api_permit("medical_statement", "release")
def release_statement(request, statement_id: int):
    return p.statement(services.statement_release(actor=request.auth, statement=_statement(request, statement_id, "release")))


@router.post("/statements/{statement_id}/paid", response=StatementOut, summary="登记银行已到账")
@api_permit("medical_statement", "record_paid")
def record_paid(request, statement_id: int):
    statement = _statement(request, statement_id, "record_paid")
    return p.statement(services.statement_record_paid(actor=request.auth, statement=statement))


@router.post("/adjustments", response={201: AdjustmentOut},
             summary="登记追回（已拨付款项的追回或单据以外的扣减），由该机构下一张结算单扣除")
@api_permit("medical_statement", "adjust")
def create_adjustment(request, payload: AdjustmentIn):
    institution = _institution(request, payload.institution_id)
    deduction = services.adjustment_create(actor=request.auth, institution=institution, amount=payload.amount,
                                           reason=payload.reason)
    return Status(201, p.adjustment(deduction))
