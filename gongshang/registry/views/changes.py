"""增员申报 / 减员申报: the employer's change requests, modifiable until staff act."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, may, permit
from gongshang.core.errors import DomainError
from gongshang.core.pii.masking import mask_id_number
from gongshang.registry import selectors
from gongshang.registry.choices import ChangeDirection, ChangeStatus
from gongshang.registry.forms import ChangeFilterForm, ChangeForm
from gongshang.registry.services import changes
from gongshang.registry.services.checks import effective_window
from gongshang.web.errors import add_errors_to_form
from gongshang.web.paging import paged

# Badges: a status → css class map (templates never compare status strings).
CHANGE_BADGES = {ChangeStatus.CONFIRMED: "badge-ok", ChangeStatus.REJECTED: "badge-error",
                 ChangeStatus.PENDING: "badge-warn"}


def change_rows(actor, changes_page) -> list[dict]:
    return [{"change": c, "id_masked": mask_id_number(c.id_number), "badge": CHANGE_BADGES.get(c.status, ""),
             "actions": allowed_actions(actor, c)} for c in changes_page]


@permit("enrolment_change", "view")
def change_list(request):
    form = ChangeFilterForm(request.GET or None)
    page, query = paged(request, selectors.change_list(actor=request.user, **form.filters()))
    rows = change_rows(request.user, page.object_list)
    return render(request, "registry/change_list.html", {
        "form": form, "page": page, "query": query, "rows": rows,
        "can_create": may(request.user, "enrolment_change", "create")})


def _direction(request) -> str:
    value = request.GET.get("direction") or request.POST.get("direction")
    return value if value in ChangeDirection.values else ChangeDirection.ADD


@permit("enrolment_change", "create")
def change_new(request):
    direction = _direction(request)
    form = ChangeForm(request.POST or None, direction=direction)
    if request.method == "POST" and form.is_valid():
        data, types = form.service_data()
        try:
            created = changes.changes_submit_many(actor=request.user, data=data, insurance_types=types)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已提交 {len(created)} 条{ChangeDirection(direction).label}申报，等待经办人员确认。")
            return redirect("registry:change_list")
    return _form_page(request, form, direction, change=None)


def _form_page(request, form, direction, *, change):
    earliest, latest = effective_window()
    return render(request, "registry/change_form.html", {
        "form": form, "direction": direction, "direction_label": ChangeDirection(direction).label,
        "change": change, "earliest": earliest, "latest": latest,
    })


@permit("enrolment_change", "edit")
def change_edit(request, change_id: int):
    change = selectors.change_get(actor=request.user, change_id=change_id, action="edit")
    initial = {"kind": change.kind, "insurance_types": change.insurance_type,
               "effective_month": change.effective_month.isoformat()[:7], "id_number": change.id_number,
               "name": change.name, "mobile": change.mobile, "household_type": change.household_type,
               "identity": change.identity, "declared_wage": change.declared_wage or ""}
    form = ChangeForm(request.POST or None, initial=initial, direction=change.direction, editing=True)
    if "edit" not in allowed_actions(request.user, change):
        messages.error(request, "该申报已被处理，不能再修改。")
        return redirect("registry:change_list")
    if request.method == "POST" and form.is_valid():
        data, types = form.service_data()
        try:
            changes.change_update(actor=request.user, change_id=change.pk, data={**data, "insurance_type": types[0]})
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "申报已修改。")
            return redirect("registry:change_list")
    return _form_page(request, form, change.direction, change=change)


@require_POST
@permit("enrolment_change", "withdraw")
def change_withdraw(request, change_id: int):
    try:
        change = changes.change_withdraw(actor=request.user, change_id=change_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除“{change.name}”的{change.get_kind_display()}申报（保留记录，状态为已删除）。")
    return redirect("registry:change_list")
