"""死亡信息 pages: the queue (waiting ones first), one record with everything it did and the
confirm / refute forms (confirmation first; refute needs a note), and the 多发待遇追回 list with
recover / waive (note required)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.access import permit
from gongshang.core.errors import DomainError, FieldErrors

from ..choices import DeathStatus, Partner, RecoveryStatus
from ..selectors import deaths as selectors
from ..services import deaths as services

SOURCES = [(p.value, p.label) for p in selectors.DEATH_SOURCES]


@permit("death_record", "view")
def death_list(request):
    """死亡信息: filters by status and source; names and ID numbers masked."""
    status = request.GET.get("status", "")
    status = status if status in DeathStatus.values else ""
    source = request.GET.get("source", "")
    source = source if source in Partner.values else ""
    qs = selectors.death_list(actor=request.user, status=status, source=source)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("status", status), ("source", source)) if v})
    waiting = selectors.death_list(actor=request.user, status=DeathStatus.APPLIED).count()
    return render(request, "integrations/deaths/list.html", {
        "rows": [selectors.death_summary(d) for d in page.object_list], "page": page, "query": query,
        "status": status, "source": source, "statuses": DeathStatus.choices, "sources": SOURCES, "waiting": waiting})


def _detail_page(request, death, *, errors=None, error: str = "", note: str = "", status: int = 200):
    return render(request, "integrations/deaths/detail.html", {
        "d": selectors.death_detail(death, actor=request.user), "errors": errors or {}, "error": error,
        "note": note}, status=status)


@permit("death_record", "view")
def death_detail(request, death_id: int):
    death = selectors.death_get(actor=request.user, death_id=death_id)
    return _detail_page(request, death)


def _decide(request, death_id: int, action: str):
    death = selectors.death_get(actor=request.user, death_id=death_id, action=action)
    note = request.POST.get("note", "")
    service = services.death_confirm if action == "confirm" else services.death_refute
    try:
        service(actor=request.user, death_id=death.pk, note=note)
    except FieldErrors as exc:
        return _detail_page(request, death, errors=exc.errors, note=note, status=422)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        death.refresh_from_db()
        return _detail_page(request, death, error=exc.message, note=note, status=exc.status)
    if action == "confirm":
        messages.success(request, "已核实死亡：相关按月待遇已终止（最后发放月为死亡当月）。多发待遇请在“多发待遇追回”中办理。")
    else:
        messages.success(request, "已确认死亡信息有误：待遇已恢复发放，死亡次月起未发的待遇将在下次月度发放中补发。")
    return redirect("integrations:death_detail", death_id=death.pk)


@permit("death_record", "confirm")
@require_POST
def death_confirm(request, death_id: int):
    return _decide(request, death_id, "confirm")


@permit("death_record", "refute")
@require_POST
def death_refute(request, death_id: int):
    return _decide(request, death_id, "refute")


def _overpayment_context(request, *, errors=None, error: str = "", failed_id=None, note: str = "") -> dict:
    status = request.GET.get("status", "")
    status = status if status in RecoveryStatus.values else ""
    qs = selectors.overpayment_list(actor=request.user, status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return {"rows": [selectors.overpayment_dict(o, actor=request.user) for o in page.object_list], "page": page,
            "status": status, "statuses": RecoveryStatus.choices, "query": urlencode({"status": status} if status else {}),
            "errors": errors or {}, "error": error, "failed_id": failed_id, "note": note}


@permit("overpayment", "view")
def overpayment_list(request):
    """多发待遇追回: open ones first; recover (after the death is confirmed) or waive, with a note."""
    return render(request, "integrations/deaths/overpayments.html", _overpayment_context(request))


def _settle(request, overpayment_id: int, action: str):
    row = selectors.overpayment_get(actor=request.user, overpayment_id=overpayment_id, action=action)
    note = request.POST.get("note", "")
    try:
        services.overpayment_settle(actor=request.user, overpayment_id=row.pk, action=action, note=note)
    except FieldErrors as exc:
        context = _overpayment_context(request, errors=exc.errors, failed_id=row.pk, note=note)
        return render(request, "integrations/deaths/overpayments.html", context, status=422)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        context = _overpayment_context(request, error=exc.message, failed_id=row.pk, note=note)
        return render(request, "integrations/deaths/overpayments.html", context, status=exc.status)
    messages.success(request, "已登记追回。" if action == "recover" else "已核销。")
    return redirect(reverse("integrations:overpayment_list"))


@permit("overpayment", "recover")
@require_POST
def overpayment_recover(request, overpayment_id: int):
    return _settle(request, overpayment_id, "recover")


@permit("overpayment", "waive")
@require_POST
def overpayment_waive(request, overpayment_id: int):
    return _settle(request, overpayment_id, "waive")


urlpatterns = [
    path("deaths/", death_list, name="death_list"),
    path("deaths/<int:death_id>/", death_detail, name="death_detail"),
    path("deaths/<int:death_id>/confirm/", death_confirm, name="death_confirm"),
    path("deaths/<int:death_id>/refute/", death_refute, name="death_refute"),
    path("overpayments/", overpayment_list, name="overpayment_list"),
    path("overpayments/<int:overpayment_id>/recover/", overpayment_recover, name="overpayment_recover"),
    path("overpayments/<int:overpayment_id>/waive/", overpayment_waive, name="overpayment_waive"),
]
