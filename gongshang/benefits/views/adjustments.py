"""待遇调整 pages: propose with a preview of every affected entitlement, approve, history."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongshang.accounts.access import allowed_actions, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from .. import selectors
from ..forms import AdjustmentForm
from ..services import adjustments as svc


@permit("adjustment", "view")
@require_http_methods(["GET", "POST"])
def adjustment_list(request):
    form = AdjustmentForm(request.POST or None)
    preview, status = None, 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        args = {"benefit_type": d["benefit_type"], "method": d["method"], "value": d["value"],
                "effective_month": d["effective_month"]}
        try:
            if request.POST.get("action") == "propose":
                row = svc.adjustment_propose(actor=request.user, source=d["source"], **args)
                messages.success(request, "调整已提出，请另一名待遇审核员复核。")
                return redirect("benefits:adjustment_detail", pk=row.pk)
            preview = svc.adjustment_preview(actor=request.user, **args)
        except DomainError as exc:
            add_errors_to_form(form, exc)
    if request.method == "POST" and preview is None:
        status = 422
    return render(request, "benefits/adjustment_list.html", {
        "form": form, "preview": preview, "rows": selectors.adjustment_list(actor=request.user)[:100]}, status=status)


@permit("adjustment", "view")
@require_http_methods(["GET", "POST"])
def adjustment_detail(request, pk: int):
    row = selectors.adjustment_get(actor=request.user, adjustment_id=pk)
    actions = allowed_actions(request.user, row)
    if request.method == "POST":
        try:
            svc.adjustment_decide(actor=request.user, adjustment_id=pk,
                                  approve=request.POST.get("action") == "approve")
            messages.success(request, "已办理。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("benefits:adjustment_detail", pk=pk)
    preview = None
    if row.workflow.actions_from(row.status):  # still to decide: show what it would change
        preview = {"rows": [{"entitlement": e, "old": e.amount, "new": svc.adjusted_amount(e.amount, row.method, row.value)}
                            for e in svc.affected(region=row.region, benefit_type=row.benefit_type,
                                                  effective_month=row.effective_month)[:500]]}
    changes = row.changes.select_related("entitlement")[:500]
    return render(request, "benefits/adjustment_detail.html", {"row": row, "preview": preview, "changes": changes,
                                                               "actions": actions})
