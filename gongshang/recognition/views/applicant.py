"""Applicant pages (单位 and 个人): my applications, start from a case, the six-section form with
员工信息检测 and a live checklist, materials, submission, withdrawal, documents."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, permit
from gongshang.accounts.choices import Audience
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from .. import lookup, presenters, selectors
from ..errors import RecognitionErrorCode as E
from ..forms import ApplicationForm, CheckForm, MaterialForm
from ..permissions import assisting_only
from ..rules import materials as material_rules
from ..rules import workflow
from ..services import decision, drafts, submission
from ..services.documents import application_form_generate
from ..services.materials import application_material_add, application_material_remove
from .common import detail_context, issued_document_response, material_response


@permit("recognition_application", "view")
def my_list(request):
    if request.user.kind == Audience.STAFF:  # the desk works from its own lists
        if assisting_only(request.user):  # 合作经办: its own task list (the desk's lists are refused to it)
            return redirect("service:cooperator_tasks")
        return redirect("recognition:staff_mine")
    rows = selectors.application_list(actor=request.user).order_by("-created_at")[:200]
    return render(request, "recognition/my_list.html", {
        "rows": [presenters.row_dict(a) | {"editable": "edit" in allowed_actions(request.user, a)} for a in rows],
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
                                         replace_draft=replace)
    return drafts.application_update(actor=request.user, application=application, data=form.data_for_service(),
                                     replace_draft=replace)


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


@permit("recognition_application", "create")
def new(request):
    if request.method == "POST":
        return _handle_form(request)
    initial = {"handling_region": getattr(getattr(request.user, "employer", None), "region", "") or "370200"}
    return _form_page(request, ApplicationForm(initial=initial, is_employer=_is_employer(request)))


@require_POST
@permit("case", "start_recognition")
def start_from_case(request, case_id):
    case = get_for(request.user, InjuryCase, case_id, "start_recognition")
    try:
        application = drafts.application_create(actor=request.user, data={}, case=case,
                                                replace_draft=request.POST.get("replace_draft") == "1")
    except DomainError as exc:
        if exc.code == E.DRAFT_EXISTS:
            return render(request, "recognition/confirm_replace.html", {"case": case, "error": exc}, status=409)
        messages.error(request, exc.message)
        return redirect("recognition:my_list")
    messages.success(request, f"已从案件 {case.number} 带出已知信息和现场影像，请补全后上传材料。")
    return redirect("recognition:edit", pk=application.pk)


def _load(request, pk, action="view"):
    return selectors.application_access(actor=request.user, application_id=pk, action=action)


@permit("recognition_application", "edit")
def edit(request, pk):
    application = _load(request, pk, "edit")
    if "edit" not in allowed_actions(request.user, application):  # the status no longer allows it
        messages.error(request, workflow.message_for("edit", application.status))
        return redirect("recognition:detail", pk=application.pk)
    if request.method == "POST":
        return _handle_form(request, application)
    initial = {f: getattr(application, f) for f in ApplicationForm.base_fields if hasattr(application, f)}
    initial["accident_at"] = application.accident_at
    return _form_page(request, ApplicationForm(initial=initial, is_employer=_is_employer(request)),
                      application=application)


@require_POST
@permit("recognition_application", "create")
def checklist_preview(request):
    """htmx: the checklist recomputed from the form as it is being filled (rules only)."""
    facts = material_rules.Facts(circumstance=request.POST.get("circumstance", ""),
                                 treatments=tuple(request.POST.getlist("treatments")),
                                 died=request.POST.get("died") == "on",
                                 applicant_kind=request.POST.get("applicant_kind") or "employer",
                                 by_agent=request.POST.get("by_agent") == "on")
    return render(request, "recognition/_checklist_preview.html", {"required": material_rules.required(facts)})


@permit("recognition_application", "view")
def detail(request, pk):
    application = _load(request, pk)
    if request.user.kind == Audience.STAFF:
        return redirect("recognition:staff_detail", pk=application.pk)
    context = detail_context(application, actor=request.user) | {"material_form": MaterialForm()}
    return render(request, "recognition/detail.html", context)


ACTIONS = {
    "submit": (submission.application_submit, "已提交，等待经办机构受理。"),
    "withdraw": (submission.application_withdraw, "已撤回申请。"),
    "delete": (drafts.application_delete, "已删除申请。"),
    "form": (application_form_generate, "已生成预填的工伤认定申请表，请下载打印、签名盖章后作为“工伤认定申请表”上传。"),
}
# The matrix action each button takes (the submit button resubmits an application awaiting correction).
ACTION_OF = {"withdraw": "withdraw", "delete": "delete", "form": "edit"}


@require_POST
@permit("recognition_application", "view")  # the owner's actions: checked per action below
def action(request, pk, name):
    if name not in ACTIONS:
        raise Http404
    application = _load(request, pk)
    get_for(request.user, type(application), pk,
            ACTION_OF.get(name) or submission.submit_action(application))
    service, done = ACTIONS[name]
    try:
        service(actor=request.user, application=application)
    except DomainError as exc:
        if exc.code == E.MATERIALS_MISSING:
            context = detail_context(application, actor=request.user) | {"material_form": MaterialForm(),
                                                                          "submit_error": exc}
            return render(request, "recognition/detail.html", context, status=422)
        messages.error(request, exc.message)
        return redirect("recognition:detail", pk=application.pk)
    messages.success(request, done)
    if name == "delete":
        return redirect("recognition:my_list")
    return redirect("recognition:detail", pk=application.pk)


@require_POST
@permit("case_document.material", "add")
def material_add(request, pk):
    application = _load(request, pk, "edit")
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_material_add(actor=request.user, application=application, kind=form.cleaned_data["kind"],
                                     upload=form.cleaned_data["file"])
            messages.success(request, "材料已上传。")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("recognition:detail", args=[application.pk]) + "#materials")


@require_POST
@permit("case_document.material", "retire")
def material_remove(request, pk, document_id):
    application = _load(request, pk, "edit")
    document = selectors.material_for(actor=request.user, application=application, document_id=document_id,
                                      action="retire")
    try:
        application_material_remove(actor=request.user, application=application, document=document)
        messages.success(request, "已移除该材料（保留在历史记录中）。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("recognition:detail", args=[application.pk]) + "#materials")


@permit("recognition_document", "view")
def document_file(request, pk, document_id):
    """A document of the application (applicant or staff), inline or as a download. Opening it
    records nothing: 送达 is the applicant's explicit “下载并签收” (document_receive)."""
    application = _load(request, pk)
    record = selectors.document_for(actor=request.user, application=application, document_id=document_id)
    return issued_document_response(record, download=request.GET.get("download") == "1")


@require_POST
@permit("recognition_application", "receive_decision")
def document_receive(request, pk, document_id):
    """下载并签收: the applicant downloads the decision on the portal and acknowledges receipt, which is
    its electronic delivery (认定办法 第二十二条), recorded once."""
    application = _load(request, pk, "receive_decision")
    record = selectors.document_for(actor=request.user, application=application, document_id=document_id)
    if not record.kind.startswith("recognition.decision_") or record.document.is_revoked:
        raise Http404
    if "receive_decision" in allowed_actions(request.user, application):
        decision.application_deliver(actor=request.user, application=application, method="portal")
    return issued_document_response(record, download=True)


@permit("recognition_application", "view")
def material_file(request, pk, document_id):
    """A material, as a download (an upload is never rendered in our origin), reached through the
    application; agency-internal kinds (调查报告…) 404 to applicants (CaseDocument.access)."""
    application = _load(request, pk)
    if assisting_only(request.user):  # 合作经办 never opens the applicant's materials (personal data)
        messages.info(request, "合作经办人员不能查看申请人提交的材料原件，如需核实请联系本案调查员。")
        return redirect("service:cooperator_application", pk=application.pk)
    document = selectors.material_for(actor=request.user, application=application, document_id=document_id)
    return material_response(document)
