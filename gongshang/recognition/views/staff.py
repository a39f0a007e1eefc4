"""Staff workbench: 认定待分配 (allocate one or many), 我的认定案件, 认定超期 — sorted by urgency —
and the case view with every material, investigation, and the decision form."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.accounts.choices import Audience, StaffRole
from gongshang.core.errors import DomainError

from .. import presenters, selectors
from ..forms import CorrectionForm, DecideForm, NoteForm, ReasonForm
from ..permissions import workbench_required
from ..rules import workflow
from ..services import decision, intake, submission
from .common import detail_context

VIEWS = {
    "unallocated": ("认定待分配", {"status": [workflow.SUBMITTED]}),
    "mine": ("我的认定案件", None),
    "overdue": ("认定超期", {"overdue": True}),
    "open": ("全部在办认定", {"status": sorted(workflow.OPEN)}),
}


def _staff(actor, *roles):
    User = get_user_model()
    users = User.objects.filter(kind=Audience.STAFF, jurisdiction=actor.jurisdiction, is_active=True,
                                role_assignments__role__in=[str(r) for r in roles]).distinct()
    return users.order_by("display_name", "pk")


@workbench_required
def queue(request, view="unallocated"):
    if view not in VIEWS:
        raise Http404
    title, options = VIEWS[view]
    options = options if options is not None else {"assignee": request.user}
    rows = selectors.staff_queue(actor=request.user, **options)[:300]
    return render(request, "recognition/staff_queue.html", {
        "title": title, "view": view, "rows": [presenters.row_dict(a) for a in rows],
        "assignees": _staff(request.user, StaffRole.INTAKE, StaffRole.REVIEWER) if view == "unallocated" else []})


@require_POST
@workbench_required
def allocate_many(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if not ids:
        messages.error(request, "请先勾选要分配的申请。")
        return redirect("recognition:staff_queue", view="unallocated")
    try:
        count = intake.application_allocate_many(actor=request.user, application_ids=ids,
                                                 assignee_id=request.POST.get("assignee"), request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已分配 {count} 件申请。")
    return redirect("recognition:staff_queue", view="unallocated")


@workbench_required
def staff_detail(request, pk):
    application = selectors.application_access(actor=request.user, application_id=pk)
    return render(request, "recognition/staff_detail.html", detail_context(application) | {
        "notes": application.notes.select_related("author"), "investigators": application.investigators.all(),
        "assignees": _staff(request.user, StaffRole.INTAKE, StaffRole.REVIEWER),
        "investigator_choices": _staff(request.user, StaffRole.INVESTIGATOR),
        "reason_form": ReasonForm(), "correction_form": CorrectionForm(), "decide_form": DecideForm(),
        "note_form": NoteForm(), "investigation_required": workflow.investigation_required(
            application.died, application.serious_injury)})


def _run(request, application, name):
    post, actor = request.POST, request.user
    common = {"actor": actor, "application": application, "request": request}
    handlers = {
        "allocate": lambda: intake.application_allocate(assignee_id=post.get("assignee"), **common),
        "accept": lambda: intake.application_accept(simple=post.get("simple") == "on", **common),
        "request-correction": lambda: intake.application_request_correction(
            items=post.getlist("items") + [x for x in post.get("other", "").splitlines() if x.strip()], **common),
        "reject": lambda: intake.application_reject(reason=post.get("reason", ""), **common),
        "investigate": lambda: decision.application_investigate(investigator_ids=post.getlist("investigators"),
                                                                **common),
        "note": lambda: decision.investigation_note_add(text=post.get("text", ""), **common),
        "report": lambda: decision.investigation_report_upload(upload=request.FILES.get("file"), **common),
        "suspend": lambda: decision.application_suspend(reason=post.get("reason", ""), **common),
        "resume": lambda: decision.application_resume(**common),
        "decide": lambda: decision.application_decide(result=post.get("result", ""), article=post.get("article", ""),
                                                      reasoning=post.get("reasoning", ""), **common),
        "deliver": lambda: decision.application_deliver(method=post.get("method", "in_person"), **common),
        "extension": lambda: submission.application_period_extension_record(reason=post.get("reason", ""),
                                                                           **common),
    }
    if name not in handlers:
        raise Http404
    handlers[name]()


@require_POST
@workbench_required
def staff_action(request, pk, name):
    application = selectors.application_access(actor=request.user, application_id=pk)
    try:
        _run(request, application, name)
    except DomainError as exc:
        details = exc.details if isinstance(exc.details, list) else []
        extra = "；".join(d.get("message", "") for d in details if isinstance(d, dict))
        messages.error(request, f"{exc.message}{'（' + extra + '）' if extra else ''}")
    else:
        messages.success(request, "已办理。")
    return redirect("recognition:staff_detail", pk=application.pk)
