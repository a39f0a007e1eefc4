"""劳动能力鉴定 pages of the conclusions part: the conclusion (everyone who may read it: the
applicant with 下载并签收, the employer, the 待遇审核员), the staff conclusion form with the panel's
proposal and opinions, delivery, the 再次鉴定 package and the provincial conclusion, staff 公示
(publishing a batch, recording objections)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit, restrict
from gongshang.accounts.choices import Audience
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form, flash_refusal

from .. import grading_aid
from ..forms import conclusions as f
from ..models import AppraisalApplication, AppraisalBatch, AppraisalConclusion, PublishedConclusion
from ..presenters import conclusions as presenters
from ..rules import codes, workflow
from ..services import conclusions, province, publication


def _app(request, pk: int, action: str = "view") -> AppraisalApplication:
    return get_for(request.user, AppraisalApplication.objects.select_related("case__person", "case__employer", "batch"),
                   pk, action)


def _conclusion(application):
    return (AppraisalConclusion.objects.select_related("application", "case", "document", "supersedes")
            .filter(application=application).first())


@permit("appraisal_conclusion", "view")
def conclusion_detail(request, pk: int):
    application = _app(request, pk)
    conclusion = _conclusion(application)
    actions = allowed_actions(request.user, application)
    if conclusion is not None:
        get_for(request.user, AppraisalConclusion.objects.all(), conclusion.pk, "view")
    staff = request.user.kind == Audience.STAFF
    return render(request, "appraisal/conclusions/detail.html", {
        "application": application, "case": application.case, "conclusion": conclusion,
        "out": presenters.conclusion_out(conclusion) if conclusion else None, "actions": actions, "staff": staff,
        "may_conclude": "conclude" in actions and application.status == workflow.EXAMINED,
        "may_deliver": "deliver" in actions and conclusion is not None and not conclusion.delivery_method,
        "may_receive": "receive_conclusion" in actions,
        "may_package": (may(request.user, "appraisal_conclusion", "export_package")
                        and application.kind == codes.SECOND and application.status in province.PACKAGE_STATUSES),
        "may_import": (may(request.user, "appraisal_conclusion", "import_provincial")
                       and application.kind == codes.SECOND and application.status == workflow.REFERRED),
        "deliver_form": f.DeliverForm(), "kind_label": codes.KINDS.get(application.kind, ""),
    })


def _conclusion_form(application, data=None):
    if application.kind in codes.GRADING_KINDS:
        proposal = conclusions.proposal_of(application)
        initial = {"grade": "" if proposal["grade"] is None else str(proposal["grade"]),
                   "self_care": proposal["self_care"], "standard_items": "\n".join(proposal["standard_items"])}
        return f.GradingForm(data, initial=initial)
    return f.ConfirmationForm(data, kind=application.kind)


@permit("appraisal_application", "conclude")
@require_http_methods(["GET", "POST"])
def conclusion_new(request, pk: int):
    application = _app(request, pk, "conclude")
    form = _conclusion_form(application, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conclusions.conclusion_create(actor=request.user, application=application,
                                              data=form.data_for_service())
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                add_errors_to_form(form, exc)
                status = 422 if exc.status == 422 else 409
            else:
                messages.success(request, "已作出鉴定结论，结论书已出具并短信通知申请人；待遇已核算，待待遇审核员审核。")
                return redirect("appraisal:conclusion_detail", pk=application.pk)
        else:
            status = 422
    return render(request, "appraisal/conclusions/form.html", {
        "application": application, "case": application.case, "form": form, "proposal": conclusions.proposal_of(application),
        "aid": grading_aid.summary(application), "kind_label": codes.KINDS.get(application.kind, ""),
        "grading": application.kind in codes.GRADING_KINDS}, status=status)


@permit("appraisal_application", "deliver")
@require_POST
def conclusion_deliver(request, pk: int):
    application = _app(request, pk, "deliver")
    form = f.DeliverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择送达方式。")
    else:
        try:
            conclusions.conclusion_deliver(actor=request.user, application=application, **form.cleaned_data)
        except DomainError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, "已登记送达。")
    return redirect("appraisal:conclusion_detail", pk=application.pk)


@permit("appraisal_application", "receive_conclusion")
@require_POST
def conclusion_receive(request, pk: int):
    application = _app(request, pk, "receive_conclusion")
    try:
        row = conclusions.conclusion_receive(actor=request.user, application=application)
    except DomainError as exc:
        flash_refusal(request, exc)
    else:
        until = conclusions.second_appraisal_until(row)
        messages.success(request, f"已签收。对结论不服的，可在 {until:%Y年%m月%d日} 前申请再次鉴定。" if until else "已签收。")
    return redirect("appraisal:conclusion_detail", pk=application.pk)


@permit("appraisal_conclusion", "view")
def conclusion_pdf(request, pk: int):
    application = _app(request, pk)
    conclusion = _conclusion(application)
    if conclusion is None:
        from django.http import Http404

        raise Http404("该申请尚未作出鉴定结论。")
    get_for(request.user, AppraisalConclusion.objects.all(), conclusion.pk, "view")
    return presenters.conclusion_file_response(conclusion, download=bool(request.GET.get("download")))


# --- 再次鉴定 ------------------------------------------------------------------------------------------

@permit("appraisal_conclusion", "export_package")
def package_page(request, pk: int):
    application = _app(request, pk)
    province.package_check(application)
    return render(request, "appraisal/conclusions/package.html", {
        "application": application, "case": application.case, "kind_label": codes.KINDS.get(application.kind, ""),
        "may_refer": "refer" in allowed_actions(request.user, application),
        "files": [p for p, _e, _s in province._files(application)],
        "to": conclusions.province_committee_name(application.region)})


@permit("appraisal_conclusion", "export_package")
def package_zip(request, pk: int):
    application = _app(request, pk)
    content = province.package_download(actor=request.user, application=application)
    return presenters.zip_response(content, application)


@permit("appraisal_application", "refer")
@require_POST
def refer(request, pk: int):
    application = _app(request, pk, "refer")
    try:
        province.application_refer(actor=request.user, application=application)
    except DomainError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, "已报送省级劳动能力鉴定委员会。请下载案卷包报送；收到省级结论后在此导入。")
    return redirect("appraisal:package", pk=application.pk)


@permit("appraisal_conclusion", "import_provincial")
@require_http_methods(["GET", "POST"])
def provincial(request, pk: int):
    application = _app(request, pk)
    form = f.ProvincialForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                province.provincial_conclusion_import(actor=request.user, application=application,
                                                      data=form.data_for_service(), upload=form.cleaned_data["file"])
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                add_errors_to_form(form, exc)
                status = exc.status if exc.status in (409, 413, 415, 422) else 422
            else:
                messages.success(request, "已导入省级鉴定委员会结论（最终结论），待遇已按新结论重新核算，待审核。")
                return redirect("appraisal:conclusion_detail", pk=application.pk)
        else:
            status = 422
    return render(request, "appraisal/conclusions/provincial.html", {
        "application": application, "case": application.case, "form": form,
        "referred": application.kind == codes.SECOND and application.status == workflow.REFERRED}, status=status)


# --- 公示 (staff) -------------------------------------------------------------------------------------

@permit("appraisal_publication", "view")
def publications_staff(request):
    lines = list(restrict(request.user, PublishedConclusion.objects.select_related("batch")
                          .prefetch_related("objections")).order_by("-published_on", "pk")[:200])
    for line in lines:  # one form per line, each with its own element ids
        line.objection_form = f.ObjectionForm(auto_id=f"id_objection_{line.pk}_%s")
    batches = AppraisalBatch.objects.filter(region=request.user.jurisdiction, status="examined").order_by("-exam_on")[:20]
    return render(request, "appraisal/conclusions/publications_staff.html", {
        "lines": lines, "batches": batches,
        "may_publish": may(request.user, "appraisal_batch", "publish"),
        "may_object": may(request.user, "appraisal_publication", "record_objection")})


@permit("appraisal_batch", "publish")
@require_POST
def batch_publish(request, batch_id: int):
    batch = get_for(request.user, AppraisalBatch.objects.all(), batch_id, "publish")
    try:
        lines = publication.batch_publish(actor=request.user, batch=batch)
    except DomainError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, f"批次 {batch.number} 已公示 {len(lines)} 条结论。")
    return redirect("appraisal:publications_staff")


@permit("appraisal_publication", "record_objection")
@require_POST
def objection(request, publication_id: int):
    line = get_for(request.user, PublishedConclusion.objects.all(), publication_id, "record_objection")
    form = f.ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写异议人和异议内容。")
    else:
        try:
            publication.objection_record(actor=request.user, publication=line, **form.cleaned_data)
        except DomainError as exc:
            flash_refusal(request, exc)
        else:
            messages.success(request, "已登记公示异议。")
    return redirect("appraisal:publications_staff")


urlpatterns = [
    path("<int:pk>/conclusion/", conclusion_detail, name="conclusion_detail"),
    path("<int:pk>/conclusion/new/", conclusion_new, name="conclusion_new"),
    path("<int:pk>/conclusion/deliver/", conclusion_deliver, name="conclusion_deliver"),
    path("<int:pk>/conclusion/receive/", conclusion_receive, name="conclusion_receive"),
    path("<int:pk>/conclusion.pdf", conclusion_pdf, name="conclusion_pdf"),
    path("<int:pk>/package/", package_page, name="package"),
    path("<int:pk>/package.zip", package_zip, name="package_zip"),
    path("<int:pk>/refer/", refer, name="refer"),
    path("<int:pk>/provincial/", provincial, name="provincial"),
    path("publications/staff/", publications_staff, name="publications_staff"),
    path("publications/<int:publication_id>/objection/", objection, name="publication_objection"),
    path("batches/<int:batch_id>/publish/", batch_publish, name="batch_publish"),
]
