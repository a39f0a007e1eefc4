"""月度发放 pages: list and create, a run's totals, approve, release, bank files, bank return."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongshang.accounts.access import allowed_actions, may, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form, flash_refusal

from .. import presenters, selectors
from ..forms import BankReturnForm, RunForm
from ..services import bankfiles, payroll, run_deadline


@permit("payroll_run", "view")  # POST creates: the service requires payroll_run.create
@require_http_methods(["GET", "POST"])
def payroll_list(request):
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = payroll.run_create(actor=request.user, period=form.cleaned_data["period"])
            messages.success(request, "发放已生成，请另一名待遇审核员复核。")
            _warn(request, run)
            return redirect("benefits:payroll_detail", run_id=run.pk)
        except DomainError as exc:
            add_errors_to_form(form, exc)
    status = 422 if request.method == "POST" else 200
    runs = selectors.run_list(actor=request.user)
    return render(request, "benefits/payroll_list.html", {
        "form": form, "runs": [(r, run_deadline.deadline_info(r)) for r in runs[:120]],
        "overdue": run_deadline.overdue_runs(runs), "may_create": may(request.user, "payroll_run", "create")},
        status=status)


def _warn(request, run) -> None:
    for warning in run_deadline.deadline_info(run)["warnings"]:
        messages.warning(request, warning)


@permit("payroll_run", "view")
def payroll_detail(request, run_id: int):
    run = selectors.run_get(actor=request.user, run_id=run_id)
    return render(request, "benefits/payroll_detail.html", {
        "run": run, "actions": allowed_actions(request.user, run), "summary": presenters.run_out(run, payroll.run_totals(run), run_deadline.deadline_info(run)),
        "return_form": BankReturnForm(),
        "returns": run.bank_returns.all()})


@permit("payroll_run", "approve")  # approve / release / resume / bank return: each checked on the run by its service
@require_POST
def payroll_action(request, run_id: int):
    selectors.run_get(actor=request.user, run_id=run_id)  # another 统筹区's run: 404 before the form is read
    action = request.POST.get("action")
    try:
        if action == "approve":
            payroll.run_approve(actor=request.user, run_id=run_id)
        elif action == "release":
            _warn(request, payroll.run_release(actor=request.user, run_id=run_id))
        elif action == "resume":
            payroll.run_resume(actor=request.user, run_id=run_id)
        elif action == "bank_return":
            form = BankReturnForm(request.POST, request.FILES)
            upload = form.files.get("file")
            result = bankfiles.bank_return_import(actor=request.user, run_id=run_id, upload=upload)
            messages.info(request, f"回盘已导入：成功 {result.paid_count} 笔 {result.paid_total} 元，失败 "
                                   f"{result.failed_count} 笔 {result.failed_total} 元，未能对账 {len(result.rejected)} 行。")
        else:
            messages.error(request, "请选择要办理的操作（复核、放行、继续计算或导入回盘）。")
            return redirect("benefits:payroll_detail", run_id=run_id)
        messages.success(request, "已办理。")
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("benefits:payroll_detail", run_id=run_id)


@permit("payroll_run", "export_bank_file")
def payroll_bank_file(request, run_id: int, fmt: str):
    try:
        if fmt == "xlsx":
            data = bankfiles.export_xlsx(actor=request.user, run_id=run_id)
            response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            response = HttpResponse(bankfiles.export_csv(actor=request.user, run_id=run_id),
                                    content_type="text/csv; charset=utf-8")
    except DomainError as exc:
        flash_refusal(request, exc)
        return redirect("benefits:payroll_detail", run_id=run_id)
    response["Content-Disposition"] = f'attachment; filename="payroll-{run_id}.{fmt}"'
    return response
