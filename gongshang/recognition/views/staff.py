"""Staff workbench: 认定待分配 (allocate one or many), 我的认定案件, 认定超期, 超过申请时限待处理 —
sorted by urgency — and the case view with every material, investigation, and the decision form.
Every action goes through a form with the API's limits; errors are shown beside the fields."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.accounts.access import get_for, permit
from gongshang.accounts.choices import Audience, StaffRole
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.access import reveal
from gongshang.core.validators import ascii_digits
from gongshang.web.errors import add_errors_to_form
from gongshang.web.paging import paged

from .. import forms as f
from .. import presenters, selectors
from ..models import RecognitionApplication
from ..permissions import assisting_only
from ..rules import periods, workflow
from ..services import decision, intake, submission
from .common import detail_context

VIEWS = {
    "unallocated": ("认定待分配", {"status": [workflow.SUBMITTED]}),
    "mine": ("我的认定案件", None),
    "overdue": ("认定超期", {"overdue": True}),
    "open": ("全部在办认定", {"status": sorted(workflow.OPEN)}),
    # Drafts refused for the period (条例 第十七条): staff record an accepted reason, or not.
    "expired": ("超过申请时限待处理", {"status": [workflow.DRAFT], "period_status": periods.EXPIRED}),
}


def _staff(actor, *roles):
    User = get_user_model()
    users = User.objects.filter(kind=Audience.STAFF, jurisdiction=actor.jurisdiction, is_active=True,
                                role_assignments__role__in=[str(r) for r in roles]).distinct()
    return users.order_by("display_name", "pk")


@permit("recognition_application", "queue")
def queue(request, view="unallocated"):
    if view not in VIEWS:
        raise Http404
    title, options = VIEWS[view]
    options = options if options is not None else {"assignee": request.user}
    page, query = paged(request, selectors.staff_queue(actor=request.user, **options))
    return render(request, "recognition/staff_queue.html", {
        "title": title, "view": view, "rows": [presenters.row_dict(a) for a in page], "page": page, "query": query,
        "assignees": _staff(request.user, StaffRole.INTAKE, StaffRole.REVIEWER) if view == "unallocated" else []})


@require_POST
@permit("recognition_application", "allocate")
def allocate_many(request):
    ids = [int(i) for i in request.POST.getlist("ids") if ascii_digits(i) and len(i) < 10]
    if not ids:
        messages.error(request, "请先勾选要分配的申请。")
        return redirect("recognition:staff_queue", view="unallocated")
    try:
        count = intake.application_allocate_many(actor=request.user, application_ids=ids,
                                                 assignee_id=request.POST.get("assignee"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已分配 {count} 件申请。")
    return redirect("recognition:staff_queue", view="unallocated")


def _handler(name):
    """name → (form factory key, service call taking (cleaned data, common kwargs))."""
    return {
        "allocate": lambda d, c: intake.application_allocate(assignee_id=d["assignee"], **c),
        "accept": lambda d, c: intake.application_accept(simple=d["simple"], **c),
        "request-correction": lambda d, c: intake.application_request_correction(items=d["all_items"], **c),
        "reject": lambda d, c: intake.application_reject(reason=d["reason"], **c),
        "investigate": lambda d, c: decision.application_investigate(investigator_ids=d["investigators"], **c),
        "note": lambda d, c: decision.investigation_note_add(text=d["text"], **c),
        "report": lambda d, c: decision.investigation_report_upload(upload=d["file"], **c),
        "suspend": lambda d, c: decision.application_suspend(reason=d["reason"], **c),
        "resume": lambda d, c: decision.application_resume(**c),
        "decide": lambda d, c: decision.application_decide(result=d["result"], article=d["article"],
                                                           reasoning=d["reasoning"], **c),
        "deliver": lambda d, c: decision.application_deliver(method=d["method"], **c),
        "extension": lambda d, c: submission.application_period_extension_record(reason=d["reason"], **c),
    }.get(name)


FORMS = {"allocate": f.AllocateForm, "accept": f.AcceptForm, "request-correction": f.CorrectionForm,
         "reject": f.ReasonForm, "investigate": f.InvestigateForm, "note": f.NoteForm, "report": f.ReportForm,
         "suspend": f.SuspendForm, "resume": f.forms.Form, "decide": f.DecideForm, "deliver": f.DeliverForm,
         "extension": f.ExtensionForm}


def _form(request, name, data=None, files=None):
    # One auto_id per action: the page holds several reason fields (reject, suspend, extension).
    kwargs = {"auto_id": f"id_{name.replace('-', '_')}_%s"}
    if name == "investigate":
        kwargs["choices"] = _staff(request.user, StaffRole.INVESTIGATOR)
    return FORMS[name](data, files, **kwargs) if data is not None else FORMS[name](**kwargs)


# The matrix action each form of the page takes.
ACTION_OF = {"request-correction": "request_correction", "extension": "period_extension"}


def action_of(name: str, application) -> str:
    if name == "resume":
        return decision.resume_action(application)
    return ACTION_OF.get(name, name)


def _page(request, application, *, bound_name=None, bound=None, status=200, revealed_id=""):
    context = detail_context(application, actor=request.user)
    # Only the forms of the actions the officer may take now (a 受理员 never gets the decision form).
    forms = {name: _form(request, name) for name in FORMS if action_of(name, application) in context["actions"]}
    if bound is not None:
        forms[bound_name] = bound
    return render(request, "recognition/staff_detail.html", context | {
        "notes": application.notes.select_related("author"), "investigators": application.investigators.all(),
        "forms": {k.replace("-", "_"): v for k, v in forms.items()}, "revealed_id": revealed_id,
        "assignees": _staff(request.user, StaffRole.INTAKE, StaffRole.REVIEWER),
        "investigation_required": workflow.investigation_required(application.died, application.serious_injury),
        "actions_to_take": bool(forms)}, status=status)


@permit("recognition_application", "view")
def staff_detail(request, pk):
    application = selectors.application_access(actor=request.user, application_id=pk)
    if request.user.kind != Audience.STAFF:  # the desk's page (notes, investigators): applicants get their own
        return redirect("recognition:detail", pk=application.pk)
    if assisting_only(request.user):  # 合作经办: the assisted application's own page (masked, notes only)
        return redirect("service:cooperator_application", pk=application.pk)
    return _page(request, application)


@require_POST
@permit("recognition_application", "view_pii")
def reveal_id(request, pk):
    """查看完整身份证号: shown once on this page, the view logged (core.pii.access.reveal)."""
    application = selectors.application_access(actor=request.user, application_id=pk, action="view_pii")
    value = reveal(actor=request.user, obj=application, field="injured_id_number", purpose="工伤认定办理核对身份")
    return _page(request, application, revealed_id=value)


@require_POST
@permit("recognition_application", "queue")  # the desk; each action is checked on the application below
def staff_action(request, pk, name):
    handler = _handler(name)
    if handler is None:
        raise Http404
    application = selectors.application_access(actor=request.user, application_id=pk)
    get_for(request.user, RecognitionApplication, pk, action_of(name, application))
    form = _form(request, name, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, application, bound_name=name, bound=form, status=422)
    try:
        handler(form.cleaned_data, {"actor": request.user, "application": application})
    except DomainError as exc:
        if isinstance(exc, FieldErrors) or (exc.status == 422 and isinstance(exc.details, list)):
            # Field errors, and a refused file (its details name the field): shown on the form.
            add_errors_to_form(form, exc)
            return _page(request, application, bound_name=name, bound=form, status=422)
        messages.error(request, exc.message)
    else:
        messages.success(request, "已办理。")
    return redirect("recognition:staff_detail", pk=application.pk)
