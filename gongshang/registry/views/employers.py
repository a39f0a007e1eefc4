"""参保单位核验 in the workbench: self-registered employers waiting for verification."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, permit
from gongshang.core.errors import DomainError
from gongshang.registry import selectors
from gongshang.registry.choices import EmployerStatus, Industry, RateClass
from gongshang.registry.services.employers import employer_verify
from gongshang.web.paging import paged


class VerifyForm(forms.Form):
    industry = forms.ChoiceField(label="行业门类", choices=[("", "请选择")] + Industry.choices)
    rate_class = forms.TypedChoiceField(label="工伤保险行业风险类别", coerce=int,
                                        choices=[("", "请选择")] + RateClass.choices)


@permit("employer", "verify")
def employer_queue(request):
    status = request.GET.get("status", EmployerStatus.PENDING)
    employers = selectors.employer_list(actor=request.user).order_by("-created_at", "pk")
    if status in EmployerStatus.values:
        employers = employers.filter(status=status)
    page, query = paged(request, employers)
    for employer in page.object_list:
        employer.actions = allowed_actions(request.user, employer)
    return render(request, "registry/staff_employers.html", {
        "page": page, "query": query, "status": status, "statuses": EmployerStatus.choices, "form": VerifyForm()})


@require_POST
@permit("employer", "verify")
def employer_verify_view(request, employer_id: int):
    selectors.employer_get(actor=request.user, employer_id=employer_id, action="verify")  # 404/403 before the form
    try:
        employer = employer_verify(actor=request.user, employer_id=employer_id, industry=request.POST.get("industry"),
                                   rate_class=request.POST.get("rate_class"))
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, "；".join(getattr(exc, "errors", {}).values()) or exc.message)
    else:
        messages.success(request, f"已核验“{employer.name}”，单位可以办理全部业务。")
    return redirect("registry:staff_employers")
