"""待遇核定 pages for 待遇审核员: the list, and a case's conclusion, entitlements and transitions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit, restrict
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form, flash_refusal
from gongshang.web.paging import CappedPaginator

from .. import selectors
from ..choices import EntitlementStatus
from ..forms import ConclusionForm, CreateEntitlementsForm, ReasonForm, StopForm
from ..services import entitlements as svc
from ..services.entitlements import CreateInput
from ..services.recognition_check import has_application


@permit("entitlement", "view")
def entitlement_list(request):
    status = request.GET.get("status") or ""
    rows = selectors.entitlement_list(actor=request.user, filters={"status": status})
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "benefits/entitlement_list.html", {
        "page": page, "query": urlencode({"status": status}) if status else "",
        "rows": page.object_list, "status": status, "statuses": EntitlementStatus.choices,
        "case_id": request.GET.get("case", "")})


@permit("entitlement", "view")
def case_lookup(request):
    number = (request.GET.get("number") or "").strip()
    case = restrict(request.user, InjuryCase, "view").filter(number=number).first() if number else None
    if case is None:
        messages.error(request, "没有找到该案件编号，或不属于您的统筹区。")
        return redirect("benefits:entitlement_list")
    return redirect("benefits:case_benefits", case_id=case.pk)


def _case_context(request, case, **forms):
    user = request.user
    entitlements = selectors.entitlement_list(actor=user, filters={"case": case.pk})
    conclusion = selectors.conclusion_current(case=case)
    not_graded = svc.is_not_graded(conclusion)
    stops = list(svc.stops_due(case=case)) if not_graded else []
    case_actions = {a for e in entitlements for a in allowed_actions(user, e) if a in ("approve", "reject")}
    if stops and may(user, "entitlement", "approve"):
        case_actions.add("approve")  # 未达级: the stop of the earlier grade's monthly items awaits approval
    return {"case": case, "conclusion": conclusion, "not_graded": not_graded, "stops_due": stops,
            "has_recognition": has_application(case),
            "entitlements": [(e, allowed_actions(user, e)) for e in entitlements],
            # what the page offers: the matrix, and the four-eyes rule per pending item
            "may_record": may(user, "case", "record_conclusion"),
            "may_create": may(user, "entitlement", "create") and not not_graded,
            "case_actions": case_actions,
            "conclusion_form": forms.get("conclusion_form") or ConclusionForm(),
            "create_form": forms.get("create_form") or CreateEntitlementsForm(),
            "reason_form": ReasonForm(), "stop_form": StopForm()}


@permit("entitlement", "view")  # POST: the services require case.record_conclusion / entitlement.create
@require_http_methods(["GET", "POST"])
def case_benefits(request, case_id: int):
    case = get_for(request.user, InjuryCase.objects.select_related("accident", "employer"), case_id, "view")
    forms, status = {}, 200
    action = request.POST.get("action")
    if action == "conclusion":
        form = forms["conclusion_form"] = ConclusionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                svc.conclusion_record(actor=request.user, case_id=case.pk, data=form.cleaned_data,
                                      document=form.cleaned_data["document"])
                messages.success(request, "结论已登记。")
                return redirect("benefits:case_benefits", case_id=case.pk)
            except DomainError as exc:
                add_errors_to_form(form, exc)
        status = 422
    elif action == "create":
        form = forms["create_form"] = CreateEntitlementsForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                svc.entitlements_create(actor=request.user, case_id=case.pk, data=CreateInput(
                    terminate_employment=d["terminate_employment"], termination_date=d["termination_date"],
                    original_retirement_age=d["original_retirement_age"], bank_name=d["bank_name"],
                    bank_account=d["bank_account"], dependants=d["dependants"], next_of_kin=d["next_of_kin"],
                    next_of_kin_id_number=d["next_of_kin_id_number"]))
                messages.success(request, "待遇已核定，请另一名待遇审核员复核。")
                return redirect("benefits:case_benefits", case_id=case.pk)
            except DomainError as exc:
                add_errors_to_form(form, exc)
        status = 422
    return render(request, "benefits/case_benefits.html", _case_context(request, case, **forms), status=status)


def _done(request, case_id, call, success: str):
    try:
        call()
        messages.success(request, success)
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("benefits:case_benefits", case_id=case_id)


@permit("entitlement", "approve")  # approve or reject (same audience); the service checks each item
@require_POST
def case_decide(request, case_id: int):
    if request.POST.get("action") == "approve":
        return _done(request, case_id, lambda: svc.entitlements_approve(actor=request.user, case_id=case_id),
                     "已复核通过。")
    reason = request.POST.get("reason", "")
    return _done(request, case_id, lambda: svc.entitlements_reject(actor=request.user, case_id=case_id,
                                                                   reason=reason), "已退回。")


@permit("entitlement", "suspend")  # suspend / resume / stop (same audience); the service checks the one taken
@require_POST
def entitlement_action(request, pk: int):
    row = selectors.entitlement_get(actor=request.user, entitlement_id=pk)
    action = request.POST.get("action")
    if action == "suspend":
        call = lambda: svc.entitlement_suspend(actor=request.user, entitlement_id=pk,  # noqa: E731
                                               reason=request.POST.get("reason", ""))
    elif action == "resume":
        call = lambda: svc.entitlement_resume(actor=request.user, entitlement_id=pk)  # noqa: E731
    else:
        form = StopForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择终止原因并填写最后发放月份。")
            return redirect("benefits:case_benefits", case_id=row.case_id)
        call = lambda: svc.entitlement_stop(actor=request.user, entitlement_id=pk,  # noqa: E731
                                            reason=form.cleaned_data["reason"],
                                            last_month=form.cleaned_data["last_month"])
    return _done(request, row.case_id, call, "已办理。")
