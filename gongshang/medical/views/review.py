"""费用审核 pages (稽核员): the queue with due dates, a bill's detail with its lines and flags, the
case (masked) and its previous stays; approve, deduct (confirmed) or ask the institution."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, get_for, permit
from gongshang.core.errors import DomainError
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.web.errors import flash_refusal

from ..models import Encounter
from ..presenters import review as p
from ..selectors import review as selectors
from ..services import review as services
from ..services.eligibility import recognised_injury


@permit("medical_encounter", "queue")
def review_queue(request):
    flagged = request.GET.get("flagged") == "1"
    rows = selectors.review_queue(actor=request.user, flagged_only=flagged)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "medical/review/queue.html", {
        "page": page, "rows": [p.queue_row(e) for e in selectors.with_due_dates(page.object_list)],
        "flagged": flagged})


def _encounter(request, pk, action="view"):
    return get_for(request.user, Encounter.objects.select_related("institution", "case"), pk, action)


@permit("medical_encounter", "view")
def review_detail(request, pk):
    encounter = _encounter(request, pk)
    case = encounter.case
    # A case linked to the registry person keeps the identity there (the case's own field is what
    # was reported at the scene, and may be empty).
    id_number = case.injured_id_number or (case.person.id_number if case.person_id else "")
    lines = list(encounter.lines.prefetch_related("flags").order_by("line_no"))
    return render(request, "medical/review/detail.html", {
        "e": encounter, "lines": lines, "stay_flags": encounter.flags.filter(line__isnull=True),
        "worker": mask_name(case.injured_name), "id_number": mask_id_number(id_number),
        "injury": recognised_injury(case, timezone.localdate()),
        "previous": selectors.previous_stays(actor=request.user, encounter=encounter),
        "actions": allowed_actions(request.user, encounter),
        "deductions": encounter.deductions.order_by("pk")})


@require_POST
@permit("medical_encounter", "approve")
def review_approve(request, pk):
    encounter = _encounter(request, pk, "approve")
    try:
        services.encounter_approve(actor=request.user, encounter=encounter, note=request.POST.get("note", ""))
        messages.success(request, "已审核通过，将纳入该机构的月度结算。")
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("medical:review_detail", pk=pk)


@require_POST
@permit("medical_encounter", "deduct")
def review_deduct(request, pk):
    encounter = _encounter(request, pk, "deduct")
    try:
        services.encounter_deduct(actor=request.user, encounter=encounter, amount=request.POST.get("amount", ""),
                                  reason=request.POST.get("reason", ""))
        messages.success(request, "已登记审核扣减，将在该机构的月度结算中扣除。")
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("medical:review_detail", pk=pk)


@require_POST
@permit("medical_encounter", "query")
def review_query(request, pk):
    encounter = _encounter(request, pk, "query")
    try:
        services.encounter_query(actor=request.user, encounter=encounter, text=request.POST.get("text", ""))
        messages.success(request, "已向机构发出询问，机构答复并重新结算后回到审核队列。")
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("medical:review_detail", pk=pk)


urlpatterns = [
    path("review/", review_queue, name="review_queue"),
    path("review/<int:pk>/", review_detail, name="review_detail"),
    path("review/<int:pk>/approve/", review_approve, name="review_approve"),
    path("review/<int:pk>/deduct/", review_deduct, name="review_deduct"),
    path("review/<int:pk>/query/", review_query, name="review_query"),
]
