"""工伤预防 API (/api/v1/service/prevention/...): the fund income, county plans (the city approves
within the cap), projects from proposal to payment, the priority industries and the report. Thin:
parse, load-and-check, call a service, shape."""

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, IsoDateTime, Text, choice_filter
from gongshang.core.db.routers import reporting_view

from ..choices import PlanStatus, ProjectKind, ProjectStatus
from ..models import PreventionPlan, PreventionProject
from ..presenters import prevention as p
from ..selectors import prevention as s
from ..services import prevention as services

router = Router(tags=["工伤预防"], auth=bearer)

PLANS = PreventionPlan.objects.select_related("submitted_by", "decided_by", "created_by")
PROJECTS = PreventionProject.objects.select_related("plan", "accepted_by", "paid_by")
MONEY = Field(..., max_length=20, description="金额（元），最多两位小数，字符串，例如 \"120000.00\"")
KIND_CHOICES = "；".join(f"{v} {label}" for v, label in ProjectKind.choices)


class PreventionErrorOut(Schema):
    code: str
    message: str
    details: dict | list


ERRORS = {status: PreventionErrorOut for status in (401, 403, 404, 409, 422)}


# --- shapes ---------------------------------------------------------------------------------------

class PreventionFundIncomeIn(ApiSchema):
    year: int = Field(..., ge=2000, le=2100, description="征缴收入所属年度（下一年度的工伤预防费上限以此为基数）")
    contribution_income: str = MONEY
    source: str = Field("", max_length=200, description="数据来源（如基金决算报表）")


class PreventionFundIncomeOut(Schema):
    region: str
    year: int
    contribution_income: str
    source: str


class PreventionCapOut(Schema):
    year: int
    income_year: int = Field(..., description="上限所依据的征缴收入年度（上一年度）")
    income: str | None = Field(..., description="上年度工伤保险基金征缴收入；未录入时为 null")
    percent: str = Field(..., description="上限比例（%），地区参数")
    cap: str | None
    approved: str = Field(..., description="已批准计划合计")
    remaining: str | None


class PreventionPlanIn(ApiSchema):
    county: str = Field(..., min_length=6, max_length=6, description="县（市、区）行政区划代码；市本级填统筹区代码")
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=100)
    budget: str = MONEY
    priority_industries: str = Field("", max_length=300)
    summary: str = Field("", max_length=5000)


class PreventionPlanEditIn(ApiSchema):
    title: str = Field(..., min_length=1, max_length=100)
    budget: str = MONEY
    priority_industries: str = Field("", max_length=300)
    summary: str = Field("", max_length=5000)


class PreventionReturnIn(ApiSchema):
    reason: str = Field(..., min_length=1, max_length=300, description="退回原因（告知县区如何修改）")


class PreventionPlanOut(Schema):
    id: int
    region: str
    county: str
    county_name: str
    year: int
    title: str
    budget: str
    priority_industries: str
    summary: str
    status: str
    status_label: Text
    submitted_by: str
    submitted_at: IsoDateTime | None
    decided_by: str
    decided_at: IsoDateTime | None
    return_reason: str
    created_by: str
    created_at: IsoDateTime | None


class PreventionPlanListOut(Schema):
    count: int
    items: list[PreventionPlanOut]


class PreventionPlanQuery(ApiSchema):
    year: int | None = Field(None, ge=2000, le=2100)
    status: choice_filter(PlanStatus) = Field("", description="状态")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class PreventionProjectIn(ApiSchema):
    title: str = Field(..., min_length=1, max_length=100)
    kind: choice_filter(ProjectKind) = Field(..., description=KIND_CHOICES)
    industry: str = Field("", max_length=100, description="面向行业")
    budget: str = MONEY


class PreventionContractIn(ApiSchema):
    contractor: str = Field(..., min_length=1, max_length=100, description="服务机构名称")
    contract_no: str = Field(..., min_length=1, max_length=40)
    contract_amount: str = MONEY


class PreventionProjectOut(Schema):
    id: int
    plan_id: int
    plan_title: str
    year: int
    county: str
    county_name: str
    title: str
    kind: str
    kind_label: Text
    industry: str
    budget: str
    status: str
    status_label: Text
    contractor: str
    contract_no: str
    contract_amount: str | None
    delivered_at: IsoDateTime | None
    accepted_by: str
    accepted_at: IsoDateTime | None
    evaluation_score: str | None = Field(..., description="评估得分（各培训班次评估表与学员问卷的平均分）")
    payable_amount: str | None = Field(..., description="按评估得分确定的应拨付金额")
    paid_by: str
    paid_at: IsoDateTime | None
    created_at: IsoDateTime | None


class PreventionProjectListOut(Schema):
    count: int
    items: list[PreventionProjectOut]


class PreventionProjectQuery(ApiSchema):
    year: int | None = Field(None, ge=2000, le=2100)
    plan_id: int | None = Field(None, ge=1)
    status: choice_filter(ProjectStatus) = Field("", description="状态")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class PreventionIndustryOut(Schema):
    industry: str = Field(..., description="国民经济行业门类代码（GB/T 4754）")
    industry_label: str
    rate_class: int | None = Field(..., description="工伤保险行业风险类别（1-8）")
    rate_class_label: str
    cases: int = Field(..., description="近12个月的工伤案件数")
    insured: int = Field(..., description="同类单位在保人数")
    rate_per_thousand: str | None = Field(..., description="每千名参保人员的案件数")


class PreventionCountyOut(Schema):
    county: str
    county_name: str
    plan_id: int | None
    plan_status: str
    plan_status_label: str
    budget: str
    approved: str = Field(..., description="已立项项目预算合计")
    contracted: str
    paid: str
    spend_percent: str | None = Field(..., description="已拨付占计划预算的百分比")
    projects: dict[str, int] = Field(..., description="项目状态 → 个数")
    sessions: int
    trainees: int


class PreventionReportOut(Schema):
    year: int
    cap: PreventionCapOut
    counties: list[PreventionCountyOut]
    total: PreventionCountyOut


class PreventionYearQuery(ApiSchema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度（默认今年）")

    def value(self) -> int:
        return self.year or timezone.localdate().year


# --- fund income and the cap ----------------------------------------------------------------------

@router.post("/prevention/fund-income", response={200: PreventionFundIncomeOut, **ERRORS},
             summary="录入或更正本统筹区某年度工伤保险基金征缴收入（下一年度工伤预防费上限的基数）")
@api_permit("service_setting", "edit")
def fund_income(request, payload: PreventionFundIncomeIn):
    row = services.fund_income_save(actor=request.auth, year=payload.year,
                                    contribution_income=payload.contribution_income, source=payload.source)
    return {"region": row.region, "year": row.year, "contribution_income": str(row.contribution_income),
            "source": row.source}


@router.get("/prevention/cap", response={200: PreventionCapOut, **ERRORS},
            summary="某年度工伤预防费上限（上年度征缴收入×比例）与已批准计划合计")
@api_permit("prevention_plan", "view")
def cap(request, query: Query[PreventionYearQuery]):
    return p.cap_dict(s.cap_summary(request.auth.jurisdiction, query.value()))


# --- plans ----------------------------------------------------------------------------------------

def _plan(request, plan_id: int, action: str = "view") -> PreventionPlan:
    return get_for(request.auth, PLANS, plan_id, action)


def _plan_out(plan) -> dict:
    return p.plan_dict(PLANS.get(pk=plan.pk))


@router.get("/prevention/plans", response={200: PreventionPlanListOut, **ERRORS}, summary="工伤预防年度计划（本统筹区）")
@api_permit("prevention_plan", "view")
def list_plans(request, query: Query[PreventionPlanQuery]):
    qs = s.plan_list(actor=request.auth, filters={"year": query.year, "status": query.status})
    start = (query.page - 1) * query.size
    return {"count": qs.count(), "items": [p.plan_dict(x) for x in qs[start:start + query.size]]}


@router.post("/prevention/plans", response={201: PreventionPlanOut, **ERRORS}, summary="编制县（市、区）年度计划（草稿）")
@api_permit("prevention_plan", "create")
def create_plan(request, payload: PreventionPlanIn):
    plan = services.plan_create(actor=request.auth, **payload.model_dump())
    return Status(201, _plan_out(plan))


@router.get("/prevention/plans/{plan_id}", response={200: PreventionPlanOut, **ERRORS}, summary="年度计划详情")
@api_permit("prevention_plan", "view")
def get_plan(request, plan_id: int):
    return p.plan_dict(_plan(request, plan_id))


@router.put("/prevention/plans/{plan_id}", response={200: PreventionPlanOut, **ERRORS}, summary="修改草稿或被退回的计划")
@api_permit("prevention_plan", "edit")
def edit_plan(request, plan_id: int, payload: PreventionPlanEditIn):
    plan = services.plan_edit(actor=request.auth, plan=_plan(request, plan_id, "edit"), data=payload.model_dump())
    return _plan_out(plan)


@router.post("/prevention/plans/{plan_id}/submit", response={200: PreventionPlanOut, **ERRORS}, summary="报市级审批")
@api_permit("prevention_plan", "submit")
def submit_plan(request, plan_id: int):
    return _plan_out(services.plan_submit(actor=request.auth, plan=_plan(request, plan_id, "submit")))


@router.post("/prevention/plans/{plan_id}/approve", response={200: PreventionPlanOut, **ERRORS},
             summary="市级批准（报送人以外的专管员；已批准计划合计不得超过上限，超出答 422 prevention_budget_over_cap）")
@api_permit("prevention_plan", "approve")
def approve_plan(request, plan_id: int):
    return _plan_out(services.plan_approve(actor=request.auth, plan=_plan(request, plan_id, "approve")))


@router.post("/prevention/plans/{plan_id}/return", response={200: PreventionPlanOut, **ERRORS}, summary="退回县区修改（写明原因）")
@api_permit("prevention_plan", "return")
def return_plan(request, plan_id: int, payload: PreventionReturnIn):
    plan = services.plan_return(actor=request.auth, plan=_plan(request, plan_id, "return"), reason=payload.reason)
    return _plan_out(plan)


# --- projects -------------------------------------------------------------------------------------

def _project(request, project_id: int, action: str = "view") -> PreventionProject:
    return get_for(request.auth, PROJECTS, project_id, action)


def _project_out(project) -> dict:
    return p.project_dict(PROJECTS.get(pk=project.pk))


@router.get("/prevention/projects", response={200: PreventionProjectListOut, **ERRORS}, summary="工伤预防项目（本统筹区）")
@api_permit("prevention_project", "view")
def list_projects(request, query: Query[PreventionProjectQuery]):
    qs = s.project_list(actor=request.auth, filters={"year": query.year, "plan": query.plan_id,
                                                     "status": query.status})
    start = (query.page - 1) * query.size
    return {"count": qs.count(), "items": [p.project_dict(x) for x in qs[start:start + query.size]]}


@router.post("/prevention/plans/{plan_id}/projects", response={201: PreventionProjectOut, **ERRORS},
             summary="申报已批准计划下的项目（预算不超过计划剩余预算）")
@api_permit("prevention_project", "create")
def create_project(request, plan_id: int, payload: PreventionProjectIn):
    plan = _plan(request, plan_id)
    project = services.project_create(actor=request.auth, plan=plan, data=payload.model_dump())
    return Status(201, _project_out(project))


@router.get("/prevention/projects/{project_id}", response={200: PreventionProjectOut, **ERRORS}, summary="项目详情")
@api_permit("prevention_project", "view")
def get_project(request, project_id: int):
    return p.project_dict(_project(request, project_id))


@router.put("/prevention/projects/{project_id}", response={200: PreventionProjectOut, **ERRORS}, summary="修改已申报的项目")
@api_permit("prevention_project", "edit")
def edit_project(request, project_id: int, payload: PreventionProjectIn):
    row = _project(request, project_id, "edit")
    return _project_out(services.project_edit(actor=request.auth, project=row, data=payload.model_dump()))


@router.post("/prevention/projects/{project_id}/approve", response={200: PreventionProjectOut, **ERRORS}, summary="立项")
@api_permit("prevention_project", "approve")
def approve_project(request, project_id: int):
    row = _project(request, project_id, "approve")
    return _project_out(services.project_approve(actor=request.auth, project=row))


@router.post("/prevention/projects/{project_id}/contract", response={200: PreventionProjectOut, **ERRORS},
             summary="登记服务机构与合同（合同金额不超过项目预算）")
@api_permit("prevention_project", "contract")
def contract_project(request, project_id: int, payload: PreventionContractIn):
    row = _project(request, project_id, "contract")
    return _project_out(services.project_contract(actor=request.auth, project=row, **payload.model_dump()))


@router.post("/prevention/projects/{project_id}/deliver", response={200: PreventionProjectOut, **ERRORS}, summary="登记交付完成")
@api_permit("prevention_project", "complete_delivery")
def deliver_project(request, project_id: int):
    row = _project(request, project_id, "complete_delivery")
    return _project_out(services.project_complete_delivery(actor=request.auth, project=row))


@router.post("/prevention/projects/{project_id}/accept", response={200: PreventionProjectOut, **ERRORS}, summary="验收")
@api_permit("prevention_project", "acceptance")
def accept_project(request, project_id: int):
    row = _project(request, project_id, "acceptance")
    return _project_out(services.project_accept(actor=request.auth, project=row))


@router.post("/prevention/projects/{project_id}/evaluate", response={200: PreventionProjectOut, **ERRORS},
             summary="评估：取各培训班次得分（评估表占 60%、学员问卷占 40%）的平均分，按地区拨付比例确定应拨付金额（有班次未结班或没有评估表答 409）")
@api_permit("prevention_project", "evaluate")
def evaluate_project(request, project_id: int):
    row = _project(request, project_id, "evaluate")
    return _project_out(services.project_evaluate(actor=request.auth, project=row))


@router.post("/prevention/projects/{project_id}/pay", response={200: PreventionProjectOut, **ERRORS},
             summary="拨付应拨付金额（验收人以外的专管员）")
@api_permit("prevention_project", "pay")
def pay_project(request, project_id: int):
    row = _project(request, project_id, "pay")
    return _project_out(services.project_pay(actor=request.auth, project=row))


# --- statistics -----------------------------------------------------------------------------------

@router.get("/prevention/priority-industries", response={200: list[PreventionIndustryOut], **ERRORS},
            summary="重点行业建议：本统筹区近12个月工伤案件按行业门类与风险类别统计（每千名参保人员）")
@api_permit("prevention_plan", "statistics")
def industries(request):
    return [p.industry_dict(r) for r in s.priority_industries(actor=request.auth, today=timezone.localdate(), limit=10)]


@router.get("/prevention/report", response={200: PreventionReportOut, **ERRORS},
            summary="工伤预防统计：各县区预算、立项、合同、拨付，项目状态，培训班次与人次")
@api_permit("prevention_plan", "statistics")
@reporting_view
def report(request, query: Query[PreventionYearQuery]):
    return p.report_dict(s.prevention_report(actor=request.auth, year=query.value()))
