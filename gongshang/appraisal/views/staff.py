"""劳动能力鉴定 staff pages (鉴定管理员): the queue sorted by due date with its filters (待审核, 待补正,
已受理, 逾期, 全部在办), the detail page with the actions allowed now, and the actions: accept,
one-time correction notice (all missing items picked at once), extend (reason required, once),
postpone (days and reason)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import permit
from gongshang.core.errors import DomainError, FieldErrors

from .. import selectors
from ..services import applications as services
from .applicant import expert_elsewhere


@permit("appraisal_application", "queue")
def queue(request):
    view = request.GET.get("view", "pending")
    if view not in selectors.QUEUE_VIEWS:
        raise Http404
    rows = [selectors.row_dict(a) for a in selectors.staff_queue(actor=request.user, view=view)[:300]]
    return render(request, "appraisal/staff/queue.html", {
        "title": f"劳动能力鉴定申请 · {selectors.QUEUE_VIEWS[view][0]}", "view": view, "rows": rows,
        "views": [(key, label) for key, (label, _) in selectors.QUEUE_VIEWS.items()]})


def _page(request, application, *, status=200, **extra):
    return render(request, "appraisal/staff/detail.html", {
        "a": selectors.application_dict(application, actor=request.user), "application": application,
        "case": application.case, "may_read_thread": selectors.may_read_thread(request.user), **extra},
        status=status)


@permit("appraisal_application", "view")
def detail(request, pk: int):
    """The staff's page of one application (full names); an expert is sent to 我的鉴定."""
    application = selectors.application_access(actor=request.user, pk=pk)
    if elsewhere := expert_elsewhere(request, application):
        return elsewhere
    return _page(request, application)


def _act(request, pk: int, action: str, call, done: str):
    application = selectors.application_access(actor=request.user, pk=pk, action=action)
    try:
        call(application)
    except FieldErrors as exc:
        return _page(request, application, status=422, errors=exc.errors, error_list=list(exc.errors.values()),
                     form=action)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("appraisal:staff_detail", pk=pk)
    messages.success(request, done)
    return redirect("appraisal:staff_detail", pk=pk)


@require_POST
@permit("appraisal_application", "accept")
def accept(request, pk: int):
    return _act(request, pk, "accept", lambda a: services.application_accept(actor=request.user, application=a),
                "已受理：作出鉴定结论的期限自今日起算（条例第二十五条）。")


@require_POST
@permit("appraisal_application", "request_correction")
def request_correction(request, pk: int):
    items = request.POST.getlist("items")
    other = request.POST.get("other", "").strip()
    if other:
        items.append(other)
    return _act(request, pk, "request_correction",
                lambda a: services.application_request_correction(actor=request.user, application=a, items=items),
                "已一次性告知申请人补正。")


@require_POST
@permit("appraisal_application", "extend")
def extend(request, pk: int):
    return _act(request, pk, "extend",
                lambda a: services.application_extend(actor=request.user, application=a,
                                                      reason=request.POST.get("reason", "")),
                "作出鉴定结论的期限已延长30日。")


@require_POST
@permit("appraisal_application", "postpone")
def postpone(request, pk: int):
    return _act(request, pk, "postpone",
                lambda a: services.application_postpone(actor=request.user, application=a,
                                                        days=request.POST.get("days", ""),
                                                        reason=request.POST.get("reason", "")),
                "已登记顺延，作出结论的期限相应顺延。")


urlpatterns = [
    path("staff/", queue, name="staff_queue"),
    path("staff/<int:pk>/", detail, name="staff_detail"),
    path("staff/<int:pk>/accept/", accept, name="staff_accept"),
    path("staff/<int:pk>/request-correction/", request_correction, name="staff_request_correction"),
    path("staff/<int:pk>/extend/", extend, name="staff_extend"),
    path("staff/<int:pk>/postpone/", postpone, name="staff_postpone"),
]
