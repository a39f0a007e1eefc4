"""异地就医备案 pages: the worker's mobile page from the one-case view (the current registration with
its validity and the date from which it may be changed or cancelled, the form; change and cancel with
confirmation) and the 稽核员's list of the region's registrations with filters."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, in_scope, permit, restrict
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.masking import mask_name
from gongshang.core.regions import full_name

from ..choices import RemoteReason, RemoteStatus
from ..models import RemoteRegistration
from ..presenters.remote import registration_dict
from ..selectors.institutions import setting_for
from ..selectors.remote import remote_registration_list
from ..services import remote as services

REASON_HELP = {
    RemoteReason.REFERRAL: "参保地医院因医疗条件所限，转往省内其他城市的协议医院治疗。",
    RemoteReason.LONG_TERM_RESIDENCE: "退休或因家庭原因在参保地以外的城市长期居住。",
    RemoteReason.POSTED: "由用人单位派驻到参保地以外的城市工作。",
}


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _form_values(post) -> dict:
    return {"reason": post.get("reason", "").strip(), "region": post.get("region", "").strip(),
            "start_date": post.get("start_date", "").strip()}


def _data(values: dict) -> dict:
    return {"reason": values["reason"], "region": values["region"], "start_date": _parse_date(values["start_date"])}


def _months(region: str, on: date) -> dict:
    """The region's validity and lock months (MedicalSetting valid on `on`) for the page's sentences."""
    setting = setting_for(region, on)
    return {"valid_months": setting.remote_valid_months, "lock_months": setting.remote_lock_months}


def _case_context(request, case, *, values=None, errors=None) -> dict:
    today = timezone.localdate()
    rows = list(restrict(request.user, RemoteRegistration.objects.filter(case=case), "view").select_related("case").order_by("-start_date", "-pk"))
    current = services.current_registration(case, today)
    return {
        "case": case, "today": today, "recognised": services.is_recognised(case),
        "current": registration_dict(current, today) if current else None,
        "current_actions": allowed_actions(request.user, current) if current else frozenset(),
        "locked": current is not None and today < services.lock_ends_on(current),
        "history": [registration_dict(r, today) for r in rows if current is None or r.pk != current.pk],
        "regions": services.region_choices(case.region), "own_region": full_name(case.region),
        "reasons": [{"code": c, "label": label, "help": REASON_HELP[c]} for c, label in RemoteReason.choices],
        "values": values or {"start_date": today.isoformat()}, "errors": errors or {},
        **_months(case.region, today),
        "current_lock_months": (setting_for(current.region, current.start_date).remote_lock_months
                                if current else None),
    }


def _load_case(request, case_id: int) -> InjuryCase:
    case = in_scope(request.user, InjuryCase.objects.select_related("person")).filter(pk=case_id).first()
    if case is None:
        from django.http import Http404

        raise Http404("没有找到该案件。")
    return case


@permit("remote_registration", "create")
def case_page(request, case_id: int):
    """The worker's page (mobile first): the current registration or the form to file one."""
    case = _load_case(request, case_id)
    if request.method != "POST":
        return render(request, "medical/remote/case.html", _case_context(request, case))
    values = _form_values(request.POST)
    try:
        row = services.remote_registration_create(actor=request.user, case=case, data=_data(values))
    except FieldErrors as exc:
        return render(request, "medical/remote/case.html",
                      _case_context(request, case, values=values, errors=exc.errors), status=422)
    except DomainError as exc:
        return render(request, "medical/remote/case.html",
                      _case_context(request, case, values=values, errors={"form": exc.message}), status=exc.status)
    messages.success(request, f"异地就医备案已办理，有效期至{_cn(row.valid_until)}。")
    return redirect("medical:remote_case", case_id=case.pk)


@permit("remote_registration", "change")
def change(request, pk: int):
    row = get_for(request.user, RemoteRegistration.objects.select_related("case"), pk, "change")
    today = timezone.localdate()
    context = {"r": registration_dict(row, today), "row": row, "regions": services.region_choices(row.region),
               "reasons": RemoteReason.choices, "errors": {},
               "values": {"reason": row.reason, "region": "", "start_date": today.isoformat()},
               **_months(row.region, today)}
    if request.method != "POST":
        return render(request, "medical/remote/change.html", context)
    values = _form_values(request.POST)
    try:
        new = services.remote_registration_change(actor=request.user, registration=row, data=_data(values))
    except FieldErrors as exc:
        return render(request, "medical/remote/change.html", {**context, "values": values, "errors": exc.errors},
                      status=422)
    except DomainError as exc:
        return render(request, "medical/remote/change.html",
                      {**context, "values": values, "errors": {"form": exc.message}}, status=exc.status)
    messages.success(request, f"备案已变更为{full_name(new.treatment_region)}，有效期至{_cn(new.valid_until)}。")
    return redirect("medical:remote_case", case_id=row.case_id)


@permit("remote_registration", "cancel")
def cancel(request, pk: int):
    row = get_for(request.user, RemoteRegistration.objects.select_related("case"), pk, "cancel")
    context = {"r": registration_dict(row), "row": row, "error": ""}
    if request.method != "POST":
        return render(request, "medical/remote/cancel.html", context)
    try:
        services.remote_registration_cancel(actor=request.user, registration=row,
                                            note=request.POST.get("note", "").strip()[:300])
    except DomainError as exc:
        return render(request, "medical/remote/cancel.html", {**context, "error": exc.message}, status=exc.status)
    messages.success(request, "异地就医备案已取消。")
    return redirect("medical:remote_case", case_id=row.case_id)


@permit("remote_registration", "queue")
def staff_list(request):
    """The region's registrations (稽核员), filtered by status, place of treatment, reason, case number
    or the day they are active on; names masked."""
    get = request.GET
    filters = {"status": get.get("status", ""), "treatment_region": get.get("treatment_region", "").strip()[:6],
               "reason": get.get("reason", "") if get.get("reason", "") in RemoteReason.values else "",
               "case_number": get.get("case_number", "").strip()[:32], "active_on": _parse_date(get.get("active_on", ""))}
    qs = remote_registration_list(actor=request.user, filters=filters, action="queue").select_related("case")
    page = Paginator(qs, 30).get_page(get.get("page"))
    today = timezone.localdate()
    rows = [{**registration_dict(r, today), "name": mask_name(r.case.injured_name)} for r in page.object_list]
    query = urlencode([(k, v) for k, v in get.items() if k != "page" and v])
    return render(request, "medical/remote/staff_list.html", {
        "rows": rows, "page": page, "filters": {**filters, "active_on": get.get("active_on", "")}, "query": query,
        "statuses": RemoteStatus.choices, "reasons": RemoteReason.choices,
        "regions": services.region_choices(request.user.jurisdiction or "")})


urlpatterns = [
    path("remote/", staff_list, name="remote_list"),
    path("remote/case/<int:case_id>/", case_page, name="remote_case"),
    path("remote/<int:pk>/change/", change, name="remote_change"),
    path("remote/<int:pk>/cancel/", cancel, name="remote_cancel"),
]
