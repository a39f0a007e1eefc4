"""工伤预防 plans and projects: every write (the amounts are rules/prevention.py).

1. The fund income of a year is entered (`fund_income_save`): the next year's cap rests on it.
2. A county (or the city itself) drafts its year's plan, edits it and submits it to the city
   (`plan_create`, `plan_edit`, `plan_submit`); another 专管员 of the city approves it within the cap
   or returns it with a reason (`plan_approve`, `plan_return`).
3. Projects of an approved plan, within the plan's remaining budget: proposed → approved (立项) →
   contracted → delivered → accepted (验收) → evaluated (the mean of its sessions' scores, each
   session's forms and questionnaires weighed as on the session page; the score decides the amount)
   → paid by someone other than the acceptor.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.money import to_fen
from gongshang.core.regions import children, get_region
from gongshang.core.workflow import STALE_MESSAGE, transition

from ..choices import PlanStatus, ProjectKind, ProjectStatus
from ..errors import ServiceErrorCode
from ..models import FundIncome, PreventionPlan, PreventionProject
from ..rules import prevention as rules
from ..selectors.prevention import project_score
from ..selectors.settings import setting_for

MAX_AMOUNT = Decimal("100000000000")   # 1,000 亿元: anything larger is a typing error
PROJECT_BUDGET_STATUSES = [s for s in ProjectStatus.values if s != ProjectStatus.REJECTED]


# --- input ----------------------------------------------------------------------------------------

def parse_amount(value, field: str, label: str, *, allow_zero: bool = False) -> Decimal:
    """A yuan amount to the fen (a third decimal is refused, not rounded away), or FieldErrors."""
    message = f"{label}请填写数字，单位元，最多两位小数，例如 \"120000.00\"。"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldErrors({field: f"请填写{label}（单位元）。"})
    try:
        raw = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
        amount = to_fen(raw)
    except (TypeError, ValueError, InvalidOperation):
        raise FieldErrors({field: message}) from None
    if amount != raw:
        raise FieldErrors({field: message})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise FieldErrors({field: f"{label}应大于0元。"})
    if amount >= MAX_AMOUNT:
        raise FieldErrors({field: f"{label}过大，请核对单位（元）。"})
    return amount


def parse_year(value, field: str = "year") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise FieldErrors({field: "请填写四位数的年度，例如 2026。"}) from None
    if not 2000 <= year <= 2100:
        raise FieldErrors({field: "年度应在 2000 年至 2100 年之间。"})
    return year


def _text(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise FieldErrors({field: f"{label}包含不可见的控制字符，请删除后重试。"})
    if required and not text:
        raise FieldErrors({field: f"请填写{label}。"})
    if len(text) > max_length:
        raise FieldErrors({field: f"{label}不能超过{max_length}个字。"})
    return text


def county_choices(region: str) -> list[tuple[str, str]]:
    """The 统筹区 itself (市本级) and its counties and districts."""
    own = get_region(region)
    rows = [(region, f"{own.name if own else region}（市本级）")]
    return rows + [(c.code, c.name) for c in children(region) if not c.is_placeholder]


def _county(region: str, value) -> str:
    code = str(value or "").strip()
    if code not in dict(county_choices(region)):
        raise FieldErrors({"county": "请选择本统筹区的县（市、区），或选择市本级。"})
    return code


def _may(actor, obj, action: str) -> None:
    """The matrix, the row's condition and the status, before a check that reads other rows (the
    same answers transition would give, so a stale page never sees a misleading refusal)."""
    check(actor, obj, action)
    if not type(obj).workflow.can(action, obj.status):
        raise DomainError(ServiceErrorCode.INVALID_TRANSITION, STALE_MESSAGE, status=409,
                          details={"status": obj.status, "action": action})


# --- fund income and the cap ----------------------------------------------------------------------

@transaction.atomic
def fund_income_save(*, actor, year, contribution_income, source: str = "") -> FundIncome:
    """Enter or correct the 工伤保险基金征缴收入 of a year of the actor's 统筹区."""
    require(actor, "service_setting", "edit")
    region = actor.jurisdiction
    year = parse_year(year)
    amount = parse_amount(contribution_income, "contribution_income", "基金征缴收入")
    source = _text(source, "source", "数据来源", 200, required=False)
    row = FundIncome.objects.select_for_update().filter(region=region, year=year).first()
    before = str(row.contribution_income) if row else None
    if row is None:
        row = FundIncome.objects.create(region=region, year=year, contribution_income=amount, source=source)
    else:
        row.contribution_income, row.source = amount, source
        row.save(update_fields=["contribution_income", "source"])
    record_event(actor=actor, event_type="service_setting.fund_income", target=row, region=region,
                 details={"year": year, "before": before, "after": str(amount), "source": source})
    return row


def cap_for(region: str, year: int, *, lock: bool = False) -> tuple[Decimal, Decimal, FundIncome]:
    """(cap, percent, income row) of `year`; 422 when the previous year's income is missing."""
    qs = FundIncome.objects.filter(region=region, year=year - 1)
    income = (qs.select_for_update() if lock else qs).first()
    if income is None:
        raise DomainError(ServiceErrorCode.INCOME_MISSING,
                          f"尚未录入{year - 1}年度工伤保险基金征缴收入，无法核定{year}年度工伤预防费上限；"
                          f"请先在“工伤预防计划”页录入{year - 1}年度的征缴收入。", status=422,
                          details={"year": year - 1})
    percent = setting_for(region, date(year, 1, 1)).prevention_cap_percent
    return rules.cap(income.contribution_income, percent), percent, income


def approved_total(region: str, year: int, *, exclude_pk=None) -> Decimal:
    qs = PreventionPlan.objects.filter(region=region, year=year, status=PlanStatus.APPROVED)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return to_fen(qs.aggregate(total=Sum("budget"))["total"] or 0)


# --- plans ----------------------------------------------------------------------------------------

def _plan_fields(region: str, data: dict) -> dict:
    return {
        "title": _text(data.get("title"), "title", "计划名称", 100),
        "budget": parse_amount(data.get("budget"), "budget", "计划预算"),
        "priority_industries": _text(data.get("priority_industries"), "priority_industries", "重点行业", 300,
                                     required=False),
        "summary": _text(data.get("summary"), "summary", "计划内容", 5000, required=False),
    }


@transaction.atomic
def plan_create(*, actor, county, year, title, budget, priority_industries: str = "", summary: str = "") -> PreventionPlan:
    """A county's (or the city's own) plan of a year, as a draft."""
    require(actor, "prevention_plan", "create")
    region = actor.jurisdiction
    county = _county(region, county)
    year = parse_year(year)
    fields = _plan_fields(region, {"title": title, "budget": budget, "priority_industries": priority_industries,
                                   "summary": summary})
    if PreventionPlan.objects.filter(region=region, county=county, year=year).exists():
        raise FieldErrors({"county": f"该县（市、区）{year}年度的计划已经存在，请在原计划上修改。"})
    plan = PreventionPlan.objects.create(region=region, county=county, year=year, created_by=actor, **fields)
    record_event(actor=actor, event_type="prevention_plan.created", target=plan, region=region,
                 details={"county": county, "year": year, "budget": str(plan.budget)})
    return plan


@transaction.atomic
def plan_edit(*, actor, plan: PreventionPlan, data: dict) -> PreventionPlan:
    """Change a draft or a returned plan (title, budget, priority industries, content)."""
    fields = _plan_fields(plan.region, data)
    return transition(actor, plan, "edit", changes=fields, code=ServiceErrorCode.INVALID_TRANSITION,
                      details={"budget": str(fields["budget"])})


@transaction.atomic
def plan_submit(*, actor, plan: PreventionPlan) -> PreventionPlan:
    """Submit to the city (a returned plan too, once edited)."""
    return transition(actor, plan, "submit", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"submitted_by": actor, "submitted_at": timezone.now()})


@transaction.atomic
def plan_approve(*, actor, plan: PreventionPlan) -> PreventionPlan:
    """The city approves: the approved plans of the year and this one together within the cap.
    # 工伤预防费使用管理暂行办法 第五条 (cap), 第六条 (the year's budget)
    The previous year's income row is locked while checking: two approvals at once are serialised;
    then the plan row, so the budget checked is the one saved (not the caller's copy of the page).
    """
    _may(actor, plan, "approve")
    cap_amount, percent, _income = cap_for(plan.region, plan.year, lock=True)
    locked = PreventionPlan.objects.select_for_update().get(pk=plan.pk)
    _may(actor, locked, "approve")
    budget = locked.budget
    approved = approved_total(plan.region, plan.year, exclude_pk=plan.pk)
    over = rules.excess(approved, budget, cap_amount)
    if over > 0:
        raise DomainError(
            ServiceErrorCode.BUDGET_OVER_CAP,
            f"{plan.year}年度工伤预防费上限为{cap_amount}元（上年度基金征缴收入的{percent.normalize():f}%），"
            f"已批准的计划合计{approved}元，加上本计划预算{budget}元后超出{over}元；"
            "请退回县（市、区）调减预算后重新报送。", status=422,
            details={"cap": str(cap_amount), "approved_total": str(approved), "budget": str(budget),
                     "excess": str(over), "percent": str(percent)})
    return transition(actor, plan, "approve", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"decided_by": actor, "decided_at": timezone.now(), "return_reason": ""},
                      details={"cap": str(cap_amount), "approved_total": str(approved + budget)})


@transaction.atomic
def plan_return(*, actor, plan: PreventionPlan, reason) -> PreventionPlan:
    reason = _text(reason, "reason", "退回原因", 300)
    return transition(actor, plan, "return", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"decided_by": actor, "decided_at": timezone.now(), "return_reason": reason},
                      details={"reason": reason})


# --- projects -------------------------------------------------------------------------------------

def plan_committed(plan: PreventionPlan, *, exclude_pk=None) -> Decimal:
    """The budgets of the plan's projects not refused."""
    qs = plan.projects.filter(status__in=PROJECT_BUDGET_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return to_fen(qs.aggregate(total=Sum("budget"))["total"] or 0)


def _project_fields(data: dict) -> dict:
    kind = str(data.get("kind") or "").strip()
    if kind not in ProjectKind.values:
        raise FieldErrors({"kind": "请选择项目类别：工伤预防培训、工伤预防宣传或其他经省级部门同意的项目。"})
    return {
        "title": _text(data.get("title"), "title", "项目名称", 100),
        "kind": kind,
        "industry": _text(data.get("industry"), "industry", "面向行业", 100, required=False),
        "budget": parse_amount(data.get("budget"), "budget", "项目预算"),
    }


def _within_plan(plan: PreventionPlan, budget: Decimal, *, exclude_pk=None) -> None:
    committed = plan_committed(plan, exclude_pk=exclude_pk)
    remaining = plan.budget - committed
    if budget > remaining:
        message = (f"年度计划预算{plan.budget}元，已申报项目合计{committed}元，剩余{remaining}元；"
                   f"本项目预算{budget}元超出{budget - remaining}元，请调减后重新提交。")
        raise DomainError(ServiceErrorCode.PROJECT_OVER_PLAN, message, status=422,
                          details=[{"field": "budget", "message": message}])


@transaction.atomic
def project_create(*, actor, plan: PreventionPlan, data: dict) -> PreventionProject:
    """A project of an approved plan, within the plan's remaining budget (the plan row is locked)."""
    require(actor, "prevention_project", "create")
    fields = _project_fields(data)
    plan = PreventionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise DomainError(ServiceErrorCode.PLAN_NOT_APPROVED, status=409, details={"status": plan.status})
    _within_plan(plan, fields["budget"])
    project = PreventionProject.objects.create(plan=plan, region=plan.region, created_by=actor, **fields)
    record_event(actor=actor, event_type="prevention_project.created", target=project, region=plan.region,
                 details={"plan": plan.pk, "budget": str(project.budget), "kind": project.kind})
    return project


@transaction.atomic
def project_edit(*, actor, project: PreventionProject, data: dict) -> PreventionProject:
    _may(actor, project, "edit")
    fields = _project_fields(data)
    plan = PreventionPlan.objects.select_for_update().get(pk=project.plan_id)
    _within_plan(plan, fields["budget"], exclude_pk=project.pk)
    return transition(actor, project, "edit", changes=fields, code=ServiceErrorCode.INVALID_TRANSITION,
                      details={"budget": str(fields["budget"])})


@transaction.atomic
def project_approve(*, actor, project: PreventionProject) -> PreventionProject:
    """立项."""
    return transition(actor, project, "approve", code=ServiceErrorCode.INVALID_TRANSITION)


@transaction.atomic
def project_contract(*, actor, project: PreventionProject, contractor, contract_no, contract_amount) -> PreventionProject:
    """The service organisation chosen (procurement, 办法: 参照政府采购法) and its contract, within
    the project's budget."""
    _may(actor, project, "contract")
    contractor = _text(contractor, "contractor", "服务机构名称", 100)
    contract_no = _text(contract_no, "contract_no", "合同编号", 40)
    amount = parse_amount(contract_amount, "contract_amount", "合同金额")
    if amount > project.budget:
        raise FieldErrors({"contract_amount": f"合同金额不能超过项目预算{project.budget}元。"})
    return transition(actor, project, "contract", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"contractor": contractor, "contract_no": contract_no, "contract_amount": amount},
                      details={"contractor": contractor, "contract_no": contract_no, "amount": str(amount)})


@transaction.atomic
def project_complete_delivery(*, actor, project: PreventionProject) -> PreventionProject:
    return transition(actor, project, "complete_delivery", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"delivered_at": timezone.now()})


@transaction.atomic
def project_accept(*, actor, project: PreventionProject) -> PreventionProject:
    """验收."""
    return transition(actor, project, "acceptance", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"accepted_by": actor, "accepted_at": timezone.now()})


@transaction.atomic
def project_evaluate(*, actor, project: PreventionProject) -> PreventionProject:
    """The score: the mean of the project's sessions' scores (each session 60% its evaluation forms,
    40% its questionnaires: rules/training); every session held must be closed first. The amount
    payable: the contract amount × the band's percent (regional bands valid today)."""
    _may(actor, project, "evaluate")
    summary = project_score(project)
    if summary.open:
        raise DomainError(ServiceErrorCode.SESSIONS_OPEN,
                          f"该项目有 {summary.open} 个培训班次尚未结班，评估得分可能还会变化；"
                          "请先在培训班次中录入评估表并结班，再进行评估。", status=409,
                          details={"open_sessions": summary.open})
    score = summary.score
    if score is None:
        raise DomainError(ServiceErrorCode.NO_EVALUATIONS,
                          "该项目的培训班次还没有评估表，无法评估；请先在培训班次中录入培训组织方的评估表。",
                          status=409)
    setting = setting_for(project.region, timezone.localdate())
    try:
        bands = rules.parse_bands(setting.prevention_payment_bands)
    except ValueError as exc:
        raise DomainError(ServiceErrorCode.INVALID_TRANSITION, f"{exc}，请在服务参数中修正后再评估。",
                          status=409) from None
    amount = rules.payable(project.contract_amount or Decimal(0), score, bands)
    percent = rules.pay_percent(score, bands)
    return transition(actor, project, "evaluate", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"evaluation_score": score, "payable_amount": amount},
                      details={"score": str(score), "percent": str(percent), "payable": str(amount),
                               "sessions": summary.scored, "forms": summary.forms,
                               "questionnaires": summary.questionnaires})


@transaction.atomic
def project_pay(*, actor, project: PreventionProject) -> PreventionProject:
    """拨付 the amount the evaluation decided; not by the one who accepted the delivery (condition)."""
    return transition(actor, project, "pay", code=ServiceErrorCode.INVALID_TRANSITION,
                      changes={"paid_by": actor, "paid_at": timezone.now()},
                      details={"amount": str(project.payable_amount)})
