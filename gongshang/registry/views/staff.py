"""增员确认 / 减员确认: the staff queue of change requests in the jurisdiction."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, permit
from gongshang.core.errors import DomainError
from gongshang.core.pii.masking import mask_id_number
from gongshang.core.validators import ascii_digits
from gongshang.integrations.selectors.identity import identity_summary
from gongshang.registry import selectors
from gongshang.registry.choices import ChangeDirection, InsuranceType
from gongshang.registry.forms import RejectForm, StaffChangeFilterForm
from gongshang.registry.services import changes
from gongshang.web.paging import paged

from .changes import change_rows

# The 受理员's decision workbench: every page of it is gated by the decision it serves.
intake_page = permit("enrolment_change", "confirm")


@intake_page
def staff_changes(request):
    form = StaffChangeFilterForm(request.GET or None)
    filters = form.filters()
    filters.setdefault("direction", "")
    page, query = paged(request, selectors.change_list(actor=request.user, **filters))
    rows = change_rows(request.user, page.object_list)
    return render(request, "registry/staff_changes.html", {
        "form": form, "page": page, "query": query, "rows": rows, "reject_form": RejectForm(),
        "counts": selectors.pending_change_counts(actor=request.user), "direction": filters.get("direction", ""),
    })


@require_POST
@intake_page
def staff_changes_decide(request):
    ids = [int(v) for v in request.POST.getlist("ids") if ascii_digits(v)]
    action = request.POST.get("action")
    back = _back(request)
    if not ids:
        messages.error(request, "请先勾选要处理的申报。")
        return back
    if action == "reject" and not request.POST.get("reason", "").strip():
        messages.error(request, "退回时请填写退回原因，单位将看到这段说明。")
        return back
    try:
        result = changes.changes_decide_many(actor=request.user, change_ids=ids, action=action or "",
                                             reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, "；".join(getattr(exc, "errors", {}).values()) or exc.message)
        return back
    verb = "确认" if action == "confirm" else "退回"
    if result["done"]:
        messages.success(request, f"已{verb} {len(result['done'])} 条申报。")
    for failure in result["failed"]:
        messages.error(request, f"申报 #{failure['id']} 未能{verb}：{failure['message']}")
    return back


def _back(request):
    """Back to the queue with its filters (the query string only; the path is fixed)."""
    url = reverse("registry:staff_changes")
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}" if query else url)


@intake_page
def staff_change_detail(request, change_id: int):
    change = selectors.change_get(actor=request.user, change_id=change_id)
    roster = []
    if change.person_id:
        roster = selectors.enrolment_list_for_person(actor=request.user, person=change.person)
    identity = identity_summary(change.id_number, change.name) if change.direction == ChangeDirection.ADD else None
    return render(request, "registry/staff_change_detail.html", {
        "change": change, "id_masked": mask_id_number(change.id_number), "roster": roster, "identity": identity,
        "reject_form": RejectForm(), "insurance_labels": dict(InsuranceType.choices),
        "actions": allowed_actions(request.user, change),
        "direction_label": ChangeDirection(change.direction).label,
    })


@require_POST
@intake_page
def staff_change_decide(request, change_id: int):
    selectors.change_get(actor=request.user, change_id=change_id)  # 404/403 before the form is read
    action = request.POST.get("action")
    try:
        if action == "confirm":
            changes.change_confirm(actor=request.user, change_id=change_id)
            messages.success(request, "已确认，参保关系已更新。")
        else:
            changes.change_reject(actor=request.user, change_id=change_id, reason=request.POST.get("reason", ""))
            messages.success(request, "已退回，单位将看到退回原因。")
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("registry:staff_change_detail", change_id=change_id)
