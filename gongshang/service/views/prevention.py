"""工伤预防 pages (工伤预防专管员; 分管领导 and 合作经办 read): plans with the year's cap and the fund
income form, a plan with its actions (submit, approve within the cap, return) and its projects, a
project from proposal to payment, and the report (spend against budget, sessions, trainees, CSV)."""

import csv

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit
from gongshang.core.db.routers import reporting_view
from gongshang.core.errors import DomainError
from gongshang.core.validators import ascii_digits
from gongshang.web.errors import add_errors_to_form, flash_refusal

from ..choices import PlanStatus, ProjectKind, ProjectStatus
from ..models import PreventionPlan, PreventionProject
from ..presenters import prevention as p
from ..selectors import prevention as s
from ..services import prevention as services

PLANS = PreventionPlan.objects.select_related("submitted_by", "decided_by", "created_by")
PROJECTS = PreventionProject.objects.select_related("plan", "accepted_by", "paid_by")
MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


# --- forms ----------------------------------------------------------------------------------------

class _Form(forms.Form):
    """A missing field says which one to fill in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label).split("（")[0]
            field.error_messages["required"] = f"请填写{label}。"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["required"] = f"请选择{label}。"
                field.error_messages["invalid_choice"] = f"请从列表中选择{label}。"
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = f"{label}请填写整数，例如 2026。"


class FundIncomeForm(_Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    contribution_income = forms.CharField(label="工伤保险基金征缴收入（元）", max_length=20,
                                          widget=forms.TextInput(attrs=MONEY_ATTRS))
    source = forms.CharField(label="数据来源（可不填）", max_length=200, required=False)


class PlanForm(_Form):
    county = forms.ChoiceField(label="县（市、区）")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="计划名称", max_length=100)
    budget = forms.CharField(label="计划预算（元）", max_length=20, widget=forms.TextInput(attrs=MONEY_ATTRS))
    priority_industries = forms.CharField(label="重点行业", max_length=300, required=False,
                                          help_text="已按近12个月本统筹区工伤案件统计预填，可修改。")
    summary = forms.CharField(label="计划内容", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "请选择")] + services.county_choices(region)


class PlanEditForm(PlanForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["county"], self.fields["year"]
        self.fields["priority_industries"].help_text = ""


class ReturnForm(_Form):
    reason = forms.CharField(label="退回原因（告知县区如何修改）", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ProjectForm(_Form):
    title = forms.CharField(label="项目名称", max_length=100)
    kind = forms.ChoiceField(label="项目类别", choices=[("", "请选择"), *ProjectKind.choices])
    industry = forms.CharField(label="面向行业", max_length=100, required=False)
    budget = forms.CharField(label="项目预算（元）", max_length=20, widget=forms.TextInput(attrs=MONEY_ATTRS))


class ContractForm(_Form):
    contractor = forms.CharField(label="服务机构名称", max_length=100)
    contract_no = forms.CharField(label="合同编号", max_length=40)
    contract_amount = forms.CharField(label="合同金额（元）", max_length=20, widget=forms.TextInput(attrs=MONEY_ATTRS))


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- plans ----------------------------------------------------------------------------------------

def _plans_page(request, *, plan_form=None, income_form=None, status=200):
    user = request.user
    year = _year(request)
    status_filter = request.GET.get("status", "")
    status_filter = status_filter if status_filter in PlanStatus.values else ""
    rows = s.plan_list(actor=user, filters={"year": year, "status": status_filter})
    industries = s.priority_industries(actor=user) if may(user, "prevention_plan", "create") else []
    if plan_form is None and may(user, "prevention_plan", "create"):
        plan_form = PlanForm(region=user.jurisdiction, prefix="plan", initial={
            "year": year, "priority_industries": s.suggested_industries(industries[:3])})
        if not industries:
            plan_form.fields["priority_industries"].help_text = "近12个月本统筹区没有工伤案件可供统计，请按实际填写。"
    if income_form is None and may(user, "service_setting", "edit"):
        income_form = FundIncomeForm(prefix="income", initial={"year": year - 1})
    return render(request, "service/prevention/plans.html", {
        "year": year, "cap": s.cap_summary(user.jurisdiction, year), "rows": [p.plan_dict(x) for x in rows],
        "statuses": PlanStatus.choices, "status": status_filter, "plan_form": plan_form,
        "income_form": income_form, "industries": industries,
        "incomes": s.fund_income_list(actor=user)[:5] if may(user, "service_setting", "view") else []},
        status=status)


@permit("prevention_plan", "view")
def plans(request):
    return _plans_page(request)


@require_POST
@permit("prevention_plan", "create")
def plan_create(request):
    form = PlanForm(request.POST, region=request.user.jurisdiction, prefix="plan")
    if form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已保存为草稿，核对无误后请报市级审批。")
            return redirect("service:prevention_plan", pk=plan.pk)
    return _plans_page(request, plan_form=form, status=422)


@require_POST
@permit("service_setting", "edit")
def fund_income(request):
    form = FundIncomeForm(request.POST, prefix="income")
    if form.is_valid():
        try:
            row = services.fund_income_save(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已保存{row.year}年度基金征缴收入，{row.year + 1}年度的工伤预防费上限据此核定。")
            return redirect(f"{reverse('service:prevention_plans')}?year={row.year + 1}")
    return _plans_page(request, income_form=form, status=422)


def _plan_page(request, plan, *, forms_=None, status=200):
    user = request.user
    actions = allowed_actions(user, plan)
    forms_ = forms_ or {}
    context = {"plan": p.plan_dict(plan), "obj": plan, "actions": actions, "cap": s.cap_summary(plan.region, plan.year),
               "projects": [p.project_dict(x) for x in s.project_list(actor=user, filters={"plan": plan.pk})],
               "committed": services.plan_committed(plan)}
    context["remaining"] = plan.budget - context["committed"]
    if "edit" in actions:
        context["edit_form"] = forms_.get("edit") or PlanEditForm(region=plan.region, prefix="edit", initial={
            "title": plan.title, "budget": plan.budget, "priority_industries": plan.priority_industries,
            "summary": plan.summary})
    if "return" in actions:
        context["return_form"] = forms_.get("return") or ReturnForm(prefix="return")
    if plan.status == PlanStatus.APPROVED and may(user, "prevention_project", "create"):
        context["project_form"] = forms_.get("project") or ProjectForm(prefix="project")
    return render(request, "service/prevention/plan_detail.html", context, status=status)


@permit("prevention_plan", "view")
def plan_detail(request, pk):
    return _plan_page(request, get_for(request.user, PLANS, pk))


@require_POST
@permit("prevention_plan", "edit")
def plan_edit(request, pk):
    plan = get_for(request.user, PLANS, pk, "edit")
    form = PlanEditForm(request.POST, region=plan.region, prefix="edit")
    if form.is_valid():
        try:
            services.plan_edit(actor=request.user, plan=plan, data=form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("service:prevention_plan", pk=pk)
    return _plan_page(request, plan, forms_={"edit": form}, status=422)


def _plan_step(request, pk, action, call, done):
    plan = get_for(request.user, PLANS, pk, action)
    try:
        call(plan)
        messages.success(request, done)
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("service:prevention_plan", pk=pk)


@require_POST
@permit("prevention_plan", "submit")
def plan_submit(request, pk):
    return _plan_step(request, pk, "submit", lambda plan: services.plan_submit(actor=request.user, plan=plan),
                      "已报市级审批。")


@require_POST
@permit("prevention_plan", "approve")
def plan_approve(request, pk):
    return _plan_step(request, pk, "approve", lambda plan: services.plan_approve(actor=request.user, plan=plan),
                      "已批准，县（市、区）可按计划申报项目。")


@require_POST
@permit("prevention_plan", "return")
def plan_return(request, pk):
    plan = get_for(request.user, PLANS, pk, "return")
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.plan_return(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已退回县（市、区）修改。")
            return redirect("service:prevention_plan", pk=pk)
    return _plan_page(request, plan, forms_={"return": form}, status=422)


@require_POST
@permit("prevention_project", "create")
def project_create(request, plan_id):
    plan = get_for(request.user, PLANS, plan_id)
    form = ProjectForm(request.POST, prefix="project")
    if form.is_valid():
        try:
            project = services.project_create(actor=request.user, plan=plan, data=form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            if exc.status == 409:
                flash_refusal(request, exc)
                return redirect("service:prevention_plan", pk=plan.pk)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "项目已申报，待立项。")
            return redirect("service:prevention_project", pk=project.pk)
    return _plan_page(request, plan, forms_={"project": form}, status=422)


# --- projects -------------------------------------------------------------------------------------

@permit("prevention_project", "view")
def projects(request):
    status = request.GET.get("status", "")
    status = status if status in ProjectStatus.values else ""
    year = request.GET.get("year", "")
    year = int(year) if ascii_digits(year) and 2000 <= int(year) <= 2100 else None
    qs = s.project_list(actor=request.user, filters={"status": status, "year": year})
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "service/prevention/projects.html", {
        "rows": [p.project_dict(x) for x in page.object_list], "page": page, "statuses": ProjectStatus.choices,
        "status": status, "year": year or ""})


def _project_page(request, project, *, forms_=None, status=200):
    actions = allowed_actions(request.user, project)
    forms_ = forms_ or {}
    context = {"project": p.project_dict(project), "obj": project, "actions": actions,
               "score": s.project_score(project)}
    if "edit" in actions:
        context["edit_form"] = forms_.get("edit") or ProjectForm(prefix="edit", initial={
            "title": project.title, "kind": project.kind, "industry": project.industry, "budget": project.budget})
    if "contract" in actions:
        context["contract_form"] = forms_.get("contract") or ContractForm(prefix="contract", initial={
            "contract_amount": project.budget})
    return render(request, "service/prevention/project_detail.html", context, status=status)


@permit("prevention_project", "view")
def project_detail(request, pk):
    return _project_page(request, get_for(request.user, PROJECTS, pk))


def _project_form_step(request, pk, action, form_class, prefix, call, done):
    project = get_for(request.user, PROJECTS, pk, action)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(project, form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            if exc.status == 409:
                flash_refusal(request, exc)
                return redirect("service:prevention_project", pk=pk)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("service:prevention_project", pk=pk)
    return _project_page(request, project, forms_={prefix: form}, status=422)


@require_POST
@permit("prevention_project", "edit")
def project_edit(request, pk):
    return _project_form_step(request, pk, "edit", ProjectForm, "edit", lambda project, data: services.project_edit(
        actor=request.user, project=project, data=data), "已保存修改。")


@require_POST
@permit("prevention_project", "contract")
def project_contract(request, pk):
    return _project_form_step(request, pk, "contract", ContractForm, "contract",
                              lambda project, data: services.project_contract(actor=request.user, project=project,
                                                                              **data),
                              "已登记服务机构与合同。")


def _project_step(request, pk, action, call, done):
    project = get_for(request.user, PROJECTS, pk, action)
    try:
        call(project)
        messages.success(request, done)
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("service:prevention_project", pk=pk)


@require_POST
@permit("prevention_project", "approve")
def project_approve(request, pk):
    return _project_step(request, pk, "approve", lambda x: services.project_approve(actor=request.user, project=x),
                         "已立项，请登记服务机构与合同。")


@require_POST
@permit("prevention_project", "complete_delivery")
def project_deliver(request, pk):
    return _project_step(request, pk, "complete_delivery",
                         lambda x: services.project_complete_delivery(actor=request.user, project=x),
                         "已登记交付完成，待验收。")


@require_POST
@permit("prevention_project", "acceptance")
def project_accept(request, pk):
    return _project_step(request, pk, "acceptance", lambda x: services.project_accept(actor=request.user, project=x),
                         "已验收，请根据培训评估结果进行评估。")


@require_POST
@permit("prevention_project", "evaluate")
def project_evaluate(request, pk):
    return _project_step(request, pk, "evaluate", lambda x: services.project_evaluate(actor=request.user, project=x),
                         "已评估，应拨付金额已按评估得分确定。")


@require_POST
@permit("prevention_project", "pay")
def project_pay(request, pk):
    return _project_step(request, pk, "pay", lambda x: services.project_pay(actor=request.user, project=x),
                         "已拨付。")


# --- report ---------------------------------------------------------------------------------------

@permit("prevention_plan", "statistics")
@reporting_view
def report(request):
    year = _year(request)
    data = s.prevention_report(actor=request.user, year=year)
    return render(request, "service/prevention/report.html", {
        "year": year, "report": data, "rows": [p.county_dict(r) for r in data.rows],
        "total": p.county_dict(data.total), "cap": data.cap, "labels": s.project_status_labels(),
        "industries": s.priority_industries(actor=request.user, limit=10)})


@permit("prevention_plan", "statistics")
@reporting_view
def report_csv(request):
    year = _year(request)
    data = s.prevention_report(actor=request.user, year=year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="prevention-{year}.csv"'
    response.write("\ufeff")   # Excel opens UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(p.CSV_HEADER)
    writer.writerows(p.report_csv_rows(data))
    return response


urlpatterns = [
    path("prevention/plans/", plans, name="prevention_plans"),
    path("prevention/plans/new/", plan_create, name="prevention_plan_create"),
    path("prevention/fund-income/", fund_income, name="prevention_fund_income"),
    path("prevention/plans/<int:pk>/", plan_detail, name="prevention_plan"),
    path("prevention/plans/<int:pk>/edit/", plan_edit, name="prevention_plan_edit"),
    path("prevention/plans/<int:pk>/submit/", plan_submit, name="prevention_plan_submit"),
    path("prevention/plans/<int:pk>/approve/", plan_approve, name="prevention_plan_approve"),
    path("prevention/plans/<int:pk>/return/", plan_return, name="prevention_plan_return"),
    path("prevention/plans/<int:plan_id>/projects/new/", project_create, name="prevention_project_create"),
    path("prevention/projects/", projects, name="prevention_projects"),
    path("prevention/projects/<int:pk>/", project_detail, name="prevention_project"),
    path("prevention/projects/<int:pk>/edit/", project_edit, name="prevention_project_edit"),
    path("prevention/projects/<int:pk>/approve/", project_approve, name="prevention_project_approve"),
    path("prevention/projects/<int:pk>/contract/", project_contract, name="prevention_project_contract"),
    path("prevention/projects/<int:pk>/deliver/", project_deliver, name="prevention_project_deliver"),
    path("prevention/projects/<int:pk>/accept/", project_accept, name="prevention_project_accept"),
    path("prevention/projects/<int:pk>/evaluate/", project_evaluate, name="prevention_project_evaluate"),
    path("prevention/projects/<int:pk>/pay/", project_pay, name="prevention_project_pay"),
    path("prevention/report/", report, name="prevention_report"),
    path("prevention/report.csv", report_csv, name="prevention_report_csv"),
]
