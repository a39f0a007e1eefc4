"""鉴定批次 pages (鉴定管理员): the batch planner (create with confirmation, assign, close, draw with a
confirmation; the commitment before the draw, the seed after it), exam day (check-in with the live
photo beside the registry photo, each expert's opinion status, the panel's proposal, no-show with
confirmation, the recording), and the green-channel visit."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, may, permit, restrict
from gongshang.cases.vault import vault_documents
from gongshang.core.errors import DomainError
from gongshang.core.files.serving import stored_file_response
from gongshang.web.errors import add_errors_to_form

from .. import grading_aid
from ..forms import batches as f
from ..models import AppraisalApplication, AppraisalBatch, AppraisalSite, ExamRecord
from ..presenters import batches as p
from ..rules.codes import ID_DOCUMENT
from ..services import batches as batch_services
from ..services import exam as exam_services
from ..services.batches import setting_for


def _sites(actor):
    return restrict(actor, AppraisalSite, "view").filter(active=True).order_by("name")


def _refusal(request, exc: DomainError) -> None:
    fields = getattr(exc, "errors", None) or {}
    messages.error(request, exc.message if not fields else "；".join(fields.values()))


@permit("appraisal_batch", "view")
def batch_list(request, form=None):
    rows = restrict(request.user, AppraisalBatch.objects.select_related("site")).order_by("-exam_on", "-pk")[:200]
    can_create = may(request.user, "appraisal_batch", "create")
    if form is None and can_create:
        setting = setting_for(request.user.jurisdiction)
        form = f.BatchForm(sites=_sites(request.user), initial={
            "capacity": 60, "exam_time": "08:30", "exam_on": batch_services.next_exam_on(request.user.jurisdiction)})
        form.fields["cutoff_on"].help_text = f"默认鉴定日前 {setting.cutoff_days} 日"
    green = []
    if may(request.user, "appraisal_application", "approve_visit"):
        from ..rules import workflow

        green = (restrict(request.user, AppraisalApplication.objects.select_related("case"), "approve_visit")
                 .filter(green_channel=True, status=workflow.ACCEPTED, visits__isnull=True)
                 .order_by("conclusion_due", "pk")[:100])
    return render(request, "appraisal/batches/list.html", {
        "batches": [p.batch_dict(b, actor=request.user) for b in rows], "form": form if can_create else None,
        "green": [p.batch_application(a) for a in green]})


@require_POST
@permit("appraisal_batch", "create")
def batch_create(request):
    form = f.BatchForm(request.POST, sites=_sites(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            batch = batch_services.batch_create(actor=request.user, exam_on=d["exam_on"], site=d["site"],
                                                capacity=d["capacity"], cutoff_on=d["cutoff_on"],
                                                exam_time=d["exam_time"], bring_note=d["bring_note"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已新建批次 {batch.number}，抽取种子承诺值已公布。")
            return redirect("appraisal:batch_detail", pk=batch.pk)
    return batch_list(request, form=form)


def _batch(request, pk, action="view"):
    return get_for(request.user, AppraisalBatch.objects.select_related("site"), pk, action)


@permit("appraisal_batch", "view")
def batch_detail(request, pk):
    batch = _batch(request, pk)
    data = p.batch_dict(batch, actor=request.user, detail=True)
    waiting = batch_services.assignable(batch).count() if "edit" in data["actions"] else 0
    return render(request, "appraisal/batches/detail.html", {"batch": data, "waiting": waiting,
                                                             "may_exam": may(request.user, "appraisal_batch", "finish")})


def _batch_action(request, pk, action, call, done):
    batch = _batch(request, pk, action)  # out of scope: 404, not a message
    try:
        call(batch)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, done)
    return redirect("appraisal:batch_detail", pk=pk)


@require_POST
@permit("appraisal_batch", "edit")
def batch_assign(request, pk):
    result = {}

    def call(batch):
        result["n"] = len(batch_services.batch_assign(actor=request.user, batch=batch))
    response = _batch_action(request, pk, "edit", call, "已编入申请并通知申请人。")
    if result.get("n") == 0:
        messages.info(request, "没有可编入的申请（须为截止编入日期前受理、尚未安排的申请），或批次已满。")
    return response


@require_POST
@permit("appraisal_batch", "close")
def batch_close(request, pk):
    return _batch_action(request, pk, "close", lambda b: batch_services.batch_close(actor=request.user, batch=b),
                         "已截止编入。")


@require_POST
@permit("appraisal_batch", "draw")
def batch_draw(request, pk):
    return _batch_action(request, pk, "draw", lambda b: batch_services.batch_draw(actor=request.user, batch=b),
                         "已抽取专家组，抽取种子已公开，可核验。")


@require_POST
@permit("appraisal_batch", "finish")
def batch_finish(request, pk):
    return _batch_action(request, pk, "finish", lambda b: batch_services.batch_finish(actor=request.user, batch=b),
                         "现场鉴定已结束，可作出鉴定结论。")


# --- exam day ----------------------------------------------------------------------------------------

def _exam_row(actor, application) -> dict:
    record = ExamRecord.objects.filter(application=application).select_related("live_photo").first()
    id_docs = [d for d in vault_documents(case=application.case) if d.kind == ID_DOCUMENT]
    return {"application": application, "data": p.batch_application(application), "exam": record,
            "actions": allowed_actions(actor, application), "id_document": id_docs[-1] if id_docs else None,
            "visits": list(application.visits.all()), "missing": exam_services.opinions_missing(application),
            "suggestion": grading_aid.combined_opinions(application)}


@permit("appraisal_batch", "finish")
def exam_day(request, pk):
    batch = _batch(request, pk, "finish")
    rows = (restrict(request.user, batch.applications.select_related("case"))
            .prefetch_related("opinions", "visits").order_by("conclusion_due", "pk"))
    return render(request, "appraisal/batches/exam_day.html", {
        "batch": p.batch_dict(batch, actor=request.user), "rows": [_exam_row(request.user, a) for a in rows],
        "checkin_form": f.CheckInForm(), "proposal_form": f.ProposalForm(), "note_form": f.NoteForm(),
        "recording_form": f.RecordingForm()})


def _application(request, pk, action):
    return get_for(request.user, AppraisalApplication.objects.select_related("case"), pk, action)


def _back(application):
    if application.batch_id:
        return redirect("appraisal:exam_day", pk=application.batch_id)
    return redirect("appraisal:batch_list")


def _exam_action(request, pk, action, form_class, call, done):
    application = _application(request, pk, action)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}：{v[0]}"
                                         for k, v in form.errors.items()))
        return _back(application)
    try:
        call(application, form.cleaned_data)
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, done)
    application.refresh_from_db()
    return _back(application)


@require_POST
@permit("appraisal_application", "check_in")
def exam_check_in(request, pk):
    return _exam_action(request, pk, "check_in", f.CheckInForm, lambda a, d: exam_services.exam_check_in(
        actor=request.user, application=a, photo=d["photo"], verified=d["verified"], note=d["note"]), "已签到并记录核验结果。")


@require_POST
@permit("appraisal_application", "examine")
def exam_examine(request, pk):
    return _exam_action(request, pk, "examine", f.ProposalForm, lambda a, d: exam_services.exam_examine(
        actor=request.user, application=a, grade=d["grade"], self_care=d["self_care"], text=d["text"]),
        "已记录专家组意见。")


@require_POST
@permit("appraisal_application", "record_no_show")
def exam_no_show(request, pk):
    return _exam_action(request, pk, "record_no_show", f.NoteForm, lambda a, d: exam_services.exam_no_show(
        actor=request.user, application=a, note=d["note"]), "已登记未到场并通知申请人。")


@require_POST
@permit("appraisal_application", "check_in")
def exam_recording(request, pk):
    return _exam_action(request, pk, "check_in", f.RecordingForm, lambda a, d: exam_services.recording_attach(
        actor=request.user, application=a, upload=d["file"]), "已将录音录像存入案件材料库。")


@permit("appraisal_application", "check_in")
def exam_live_photo(request, pk):
    """The live photo of the check-in (served as an attachment; an <img> shows it beside the ID)."""
    application = _application(request, pk, "check_in")
    record = ExamRecord.objects.filter(application=application, live_photo__isnull=False).select_related(
        "live_photo__file").first()
    if record is None:
        from django.http import Http404
        raise Http404
    return stored_file_response(record.live_photo.file)


@permit("appraisal_application", "approve_visit")
def visit(request, pk):
    """绿色通道: approve a home or remote visit (scheduled like a batch slot)."""
    application = _application(request, pk, "approve_visit")
    planned = restrict(request.user, AppraisalBatch, "edit").filter(
        region=application.region, status="planned").order_by("exam_on", "pk")
    form = f.VisitForm(request.POST or None, batches=planned)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            exam_services.visit_approve(actor=request.user, application=application, mode=d["mode"],
                                        scheduled_at=d["scheduled_at"], address=d["address"], batch=d["batch"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已批准并通知申请人。")
            return redirect("appraisal:visit", pk=pk)
    return render(request, "appraisal/batches/visit.html", {
        "application": application, "data": p.batch_application(application), "form": form,
        "visits": application.visits.all(), "actions": allowed_actions(request.user, application),
        "videos": [d for d in vault_documents(case=application.case) if d.kind == "daily_life_video"]})


urlpatterns = [
    path("batches/", batch_list, name="batch_list"),
    path("batches/new/", batch_create, name="batch_create"),
    path("batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("batches/<int:pk>/assign/", batch_assign, name="batch_assign"),
    path("batches/<int:pk>/close/", batch_close, name="batch_close"),
    path("batches/<int:pk>/draw/", batch_draw, name="batch_draw"),
    path("batches/<int:pk>/exam/", exam_day, name="exam_day"),
    path("batches/<int:pk>/finish/", batch_finish, name="batch_finish"),
    path("exam/<int:pk>/check-in/", exam_check_in, name="exam_check_in"),
    path("exam/<int:pk>/examine/", exam_examine, name="exam_examine"),
    path("exam/<int:pk>/no-show/", exam_no_show, name="exam_no_show"),
    path("exam/<int:pk>/recording/", exam_recording, name="exam_recording"),
    path("exam/<int:pk>/live-photo/", exam_live_photo, name="exam_live_photo"),
    path("exam/<int:pk>/visit/", visit, name="visit"),
]
