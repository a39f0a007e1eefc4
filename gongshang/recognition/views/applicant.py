"""Applicant pages (单位 and 个人): my applications, start from a case, the six-section form with
员工信息检测 and a live checklist, materials, submission, withdrawal, documents."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.choices import Audience
from gongshang.cases.models import CaseDocument
from gongshang.cases.selectors import case_access
from gongshang.cases.vault import is_agency_internal
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from .. import lookup, presenters, selectors
from ..choices import ApplicationStatus
from ..errors import RecognitionErrorCode as E
from ..forms import ApplicationForm, CheckForm, MaterialForm
from ..permissions import applicant_required, is_owner
from ..rules import materials as material_rules
from ..services import decision, drafts, submission
from ..services.documents import application_form_generate
from ..services.materials import application_material_add, application_material_remove
from .common import detail_context, document_record, issued_document_response, material_response


@applicant_required
def my_list(request):
    rows = selectors.application_list(actor=request.user).order_by("-created_at")[:200]
    return render(request, "recognition/my_list.html", {
        "rows": [presenters.row_dict(a) | {"editable": a.status in ("draft", "correction_requested")} for a in rows],
        "cases": selectors.cases_to_apply(actor=request.user)[:50]})


def _form_page(request, form, *, application=None, conflict=None, check=None, status=200):
    return render(request, "recognition/form.html", {
        "form": form, "application": application, "conflict": conflict, "check": check,
        "check_form": CheckForm(initial={"id_number": form["injured_id_number"].value() or "",
                                         "name": form["injured_name"].value() or ""}),
        "checklist_url": reverse("recognition:checklist_preview")}, status=status)


def _is_employer(request) -> bool:
    return request.user.kind == Audience.EMPLOYER


def _save(request, form, application=None, case=None):
    replace = form.cleaned_data.get("replace_draft", False)
    if application is None:
        return drafts.application_create(actor=request.user, data=form.data_for_service(), case=case,
                                         replace_draft=replace, request=request)
    return drafts.application_update(actor=request.user, application=application, data=form.data_for_service(),
                                     replace_draft=replace, request=request)


def _handle_form(request, application=None):
    form = ApplicationForm(request.POST, is_employer=_is_employer(request))
    if request.POST.get("action") == "check":
        return _employee_check(request, form, application)
    if not form.is_valid():
        return _form_page(request, form, application=application, status=422)
    try:
        saved = _save(request, form, application)
    except DomainError as exc:
        if exc.code == E.DRAFT_EXISTS:
            data = request.POST.copy()
            data["replace_draft"] = "1"
            return _form_page(request, ApplicationForm(data, is_employer=_is_employer(request)),
                              application=application, conflict=exc, status=409)
        add_errors_to_form(form, exc)
        return _form_page(request, form, application=application, status=exc.status)
    messages.success(request, "已保存。请按材料清单上传材料，齐全后提交。")
    return redirect("recognition:detail", pk=saved.pk)


def _employee_check(request, form, application):
    """员工信息检测: fill the form from the registry (nothing is saved)."""
    found = lookup.employee_check(actor=request.user, id_number=request.POST.get("injured_id_number", ""),
                                  name=request.POST.get("injured_name", ""))
    data = request.POST.copy()
    if found.found:
        for key, value in found.fields.items():
            if key in form.fields and value and not data.get(key):
                data[key] = value
    form = ApplicationForm(data, is_employer=_is_employer(request))
    return _form_page(request, form, application=application, check=found)


@applicant_required
def new(request):
    if request.method == "POST":
        return _handle_form(request)
    initial = {"handling_region": getattr(getattr(request.user, "employer", None), "region", "") or "370200"}
    return _form_page(request, ApplicationForm(initial=initial, is_employer=_is_employer(request)))


@require_POST
@applicant_required
def start_from_case(request, case_id):
    case = case_access(actor=request.user, case_id=case_id)
    try:
        application = drafts.application_create(actor=request.user, data={}, case=case,
                                                replace_draft=request.POST.get("replace_draft") == "1",
                                                request=request)
    except DomainError as exc:
        if exc.code == E.DRAFT_EXISTS:
            return render(request, "recognition/confirm_replace.html", {"case": case, "error": exc}, status=409)
        messages.error(request, exc.message)
        return redirect("recognition:my_list")
    messages.success(request, f"已从案件 {case.number} 带出已知信息和现场影像，请补全后上传材料。")
    return redirect("recognition:edit", pk=application.pk)


def _own(request, pk):
    application = selectors.application_access(actor=request.user, application_id=pk)
    return application


@applicant_required
def edit(request, pk):
    application = _own(request, pk)
    if not is_owner(request.user, application):
        raise Http404
    if request.method == "POST":
        return _handle_form(request, application)
    initial = {f: getattr(application, f) for f in ApplicationForm.base_fields if hasattr(application, f)}
    initial["accident_at"] = application.accident_at
    return _form_page(request, ApplicationForm(initial=initial, is_employer=_is_employer(request)),
                      application=application)


@require_POST
@applicant_required
def checklist_preview(request):
    """htmx: the checklist recomputed from the form as it is being filled (rules only)."""
    facts = material_rules.Facts(circumstance=request.POST.get("circumstance", ""),
                                 treatments=tuple(request.POST.getlist("treatments")),
                                 died=request.POST.get("died") == "on",
                                 applicant_kind=request.POST.get("applicant_kind") or "employer",
                                 by_agent=request.POST.get("by_agent") == "on")
    return render(request, "recognition/_checklist_preview.html", {"required": material_rules.required(facts)})


@applicant_required
def detail(request, pk):
    application = _own(request, pk)
    context = detail_context(application) | {"material_form": MaterialForm(), "owner": is_owner(request.user,
                                                                                                   application)}
    return render(request, "recognition/detail.html", context)


ACTIONS = {
    "submit": (submission.application_submit, "已提交，等待经办机构受理。"),
    "withdraw": (submission.application_withdraw, "已撤回申请。"),
    "delete": (drafts.application_delete, "已删除申请。"),
    "form": (application_form_generate, "已生成预填的工伤认定申请表，请下载打印、签名盖章后作为“工伤认定申请表”上传。"),
}


@require_POST
@applicant_required
def action(request, pk, name):
    application = _own(request, pk)
    if name not in ACTIONS:
        raise Http404
    service, done = ACTIONS[name]
    try:
        service(actor=request.user, application=application, request=request)
    except DomainError as exc:
        if exc.code == E.MATERIALS_MISSING:
            context = detail_context(application) | {"material_form": MaterialForm(), "owner": True,
                                                     "submit_error": exc}
            return render(request, "recognition/detail.html", context, status=422)
        messages.error(request, exc.message)
        return redirect("recognition:detail", pk=application.pk)
    messages.success(request, done)
    if name == "delete":
        return redirect("recognition:my_list")
    return redirect("recognition:detail", pk=application.pk)


@require_POST
@applicant_required
def material_add(request, pk):
    application = _own(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_material_add(actor=request.user, application=application, kind=form.cleaned_data["kind"],
                                     upload=form.cleaned_data["file"], request=request)
            messages.success(request, "材料已上传。")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("recognition:detail", args=[application.pk]) + "#materials")


@require_POST
@applicant_required
def material_remove(request, pk, document_id):
    application = _own(request, pk)
    document = CaseDocument.objects.filter(pk=document_id, case_id=application.case_id).first()
    if document is None:
        raise Http404
    try:
        application_material_remove(actor=request.user, application=application, document=document, request=request)
        messages.success(request, "已移除该材料（保留在历史记录中）。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("recognition:detail", args=[application.pk]) + "#materials")


def document_file(request, pk, document_id):
    """A document of the application (applicant or staff), inline or as a download. Opening it
    records nothing: 送达 is the applicant's explicit “下载并签收” (document_receive)."""
    if not request.user.is_authenticated:
        raise Http404
    application = selectors.application_access(actor=request.user, application_id=pk)
    record = document_record(application, document_id)
    return issued_document_response(record, download=request.GET.get("download") == "1")


@require_POST
@applicant_required
def document_receive(request, pk, document_id):
    """下载并签收: the applicant downloads the decision on the portal and acknowledges receipt, which is
    its electronic delivery (认定办法 第二十二条), recorded once."""
    application = selectors.application_access(actor=request.user, application_id=pk)
    record = document_record(application, document_id)
    if not record.kind.startswith("recognition.decision_") or record.document.is_revoked:
        raise Http404
    if application.status == ApplicationStatus.DECIDED and is_owner(request.user, application):
        decision.application_deliver(actor=request.user, application=application, method="portal", request=request)
    return issued_document_response(record, download=True)


def material_file(request, pk, document_id):
    """A material, as a download (an upload is never rendered in our origin); agency-internal kinds
    (调查报告…) only for staff (others 404)."""
    if not request.user.is_authenticated:
        raise Http404
    application = selectors.application_access(actor=request.user, application_id=pk)
    document = CaseDocument.objects.select_related("file").filter(pk=document_id, case_id=application.case_id).first()
    if document is None or (is_agency_internal(document.kind) and request.user.kind != Audience.STAFF):
        raise Http404
    return material_response(document)
