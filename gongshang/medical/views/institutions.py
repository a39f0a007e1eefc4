"""协议机构 pages for the 稽核员: the list with filters (kind, status, county, agreements ending
within 60 days), detail with the agreement's history, create and edit, suspend / resume / terminate
with a reason and a confirmation, and linking the institution's API client accounts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, may, permit
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.web.errors import add_errors_to_form, flash_refusal
from gongshang.web.paging import paged

from .. import forms as f
from ..presenters import institutions as p
from ..selectors import institutions as selectors
from ..services import institutions as services


@permit("medical_institution", "view")
def institution_list(request):
    region = request.user.jurisdiction or ""
    form = f.InstitutionFilterForm(request.GET or None, region=region)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = selectors.institution_list(actor=request.user, kind=filters.get("kind", ""),
                                      status=filters.get("status", ""), county=filters.get("county", ""),
                                      q=filters.get("q", ""), on=today,
                                      ending_within=selectors.ENDING_SOON_DAYS if filters.get("ending") else None)
    page, query = paged(request, rows)
    return render(request, "medical/institutions/list.html", {
        "form": form, "page": page, "query": query, "today": today,
        "rows": [p.institution_dict(i) for i in page.object_list],
        "may_manage": may(request.user, "medical_institution", "manage")})


def _form_initial(institution) -> dict:
    return {name: getattr(institution, name) for name in services.FIELDS}


@permit("medical_institution", "manage")
def institution_create(request):
    form = f.InstitutionForm(request.POST or None, region=request.user.jurisdiction or "")
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已添加协议机构“{institution.name}”。")
            return redirect("medical:institution_detail", pk=institution.pk)
    return render(request, "medical/institutions/form.html", {"form": form, "institution": None})


@permit("medical_institution", "manage")
def institution_edit(request, pk):
    institution = selectors.institution_get_for(request.user, pk, "manage")
    form = f.InstitutionForm(request.POST or None, region=institution.region,
                             initial=None if request.method == "POST" else _form_initial(institution))
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_update(actor=request.user, institution=institution, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("medical:institution_detail", pk=institution.pk)
    return render(request, "medical/institutions/form.html", {"form": form, "institution": institution})


@permit("medical_institution", "view")
def institution_detail(request, pk):
    institution = selectors.institution_get_for(request.user, pk, "view")
    actions = allowed_actions(request.user, institution)
    history = selectors.institution_history(institution) if "manage" in actions else []
    return render(request, "medical/institutions/detail.html", {
        "institution": institution, "row": p.institution_dict(institution), "actions": actions,
        "clients": institution.api_clients.order_by("username") if "manage" in actions else [],
        "reason_form": f.ReasonForm(), "client_form": f.ClientForm(), "history": history})


def _status_view(action: str, service, done: str):
    @require_POST
    @permit("medical_institution", action)
    def view(request, pk):
        institution = selectors.institution_get_for(request.user, pk, action)
        form = f.ReasonForm(request.POST)
        try:
            if not form.is_valid():
                raise FieldErrors({"reason": "请填写原因（将记入协议机构的变更记录），最多 500 字"})
            service(actor=request.user, institution=institution, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, done.format(name=institution.name))
        return redirect("medical:institution_detail", pk=pk)

    view.__name__ = f"institution_{action}"
    return view


institution_suspend = _status_view("suspend", services.institution_suspend, "已暂停“{name}”的直接结算。")
institution_resume = _status_view("resume", services.institution_resume, "已恢复“{name}”的直接结算。")
institution_terminate = _status_view("terminate", services.institution_terminate, "已解除与“{name}”的协议。")


def _client_view(service, done: str):
    @require_POST
    @permit("medical_institution", "manage")
    def view(request, pk):
        institution = selectors.institution_get_for(request.user, pk, "manage")
        form = f.ClientForm(request.POST)
        try:
            client = service(actor=request.user, institution=institution,
                             client_id=form.data.get("client_id", ""))
        except DomainError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, done.format(client=client.username))
        return redirect("medical:institution_detail", pk=pk)

    return view


institution_link = _client_view(services.institution_link_client, "已关联接入账户 {client}。")
institution_unlink = _client_view(services.institution_unlink_client, "已取消关联接入账户 {client}。")

urlpatterns = [
    path("institutions/", institution_list, name="institution_list"),
    path("institutions/new/", institution_create, name="institution_create"),
    path("institutions/<int:pk>/", institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", institution_edit, name="institution_edit"),
    path("institutions/<int:pk>/suspend/", institution_suspend, name="institution_suspend"),
    path("institutions/<int:pk>/resume/", institution_resume, name="institution_resume"),
    path("institutions/<int:pk>/terminate/", institution_terminate, name="institution_terminate"),
    path("institutions/<int:pk>/clients/link/", institution_link, name="institution_link"),
    path("institutions/<int:pk>/clients/unlink/", institution_unlink, name="institution_unlink"),
]
