"""辅助器具与康复 pages: the worker's list from the one-case view and the choice of an agreement
institution (with confirmation); the 稽核员's list of the region's referrals."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, in_scope, permit
from gongshang.accounts.choices import Audience
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.masking import mask_name

from ..choices import ReferralKind, ReferralStatus
from ..models import Referral
from ..presenters.remote import referral_dict
from ..selectors.remote import referral_list
from ..services import referrals as services


@permit("medical_referral", "choose")
def case_referrals(request, case_id: int):
    """The case's confirmed devices and rehabilitation, what to do next for each."""
    case = in_scope(request.user, InjuryCase.objects.all()).filter(pk=case_id).first()
    if case is None:
        raise Http404("没有找到该案件。")
    rows = referral_list(actor=request.user).filter(case=case)
    items = [{**referral_dict(r), "actions": allowed_actions(request.user, r)} for r in rows]
    return render(request, "medical/referrals/case.html", {"case": case, "items": items})


@permit("medical_referral", "choose")
def choose(request, pk: int):
    row = get_for(request.user, Referral.objects.select_related("case", "institution", "replaces"), pk, "choose")
    today = timezone.localdate()
    context = {"r": referral_dict(row), "row": row, "error": "",
               "institutions": list(services.institutions_for(row, today)[:200])}
    if request.method != "POST":
        return render(request, "medical/referrals/choose.html", context)
    try:
        services.referral_choose(actor=request.user, referral=row,
                                 institution_code=request.POST.get("institution_code", ""))
    except FieldErrors as exc:
        return render(request, "medical/referrals/choose.html", {**context, "error": "；".join(exc.errors.values())},
                      status=422)
    except DomainError as exc:
        return render(request, "medical/referrals/choose.html", {**context, "error": exc.message}, status=exc.status)
    messages.success(request, "已选定机构，请携带身份证到该机构办理，费用由机构直接与工伤保险基金结算。")
    return redirect("medical:referral_case", case_id=row.case_id)


@permit("medical_referral", "view")
def staff_list(request):
    """Referrals of the region (staff) or of the institution; filters by status and kind."""
    get = request.GET
    filters = {"status": get.get("status", "") if get.get("status", "") in ReferralStatus.values else "",
               "kind": get.get("kind", "") if get.get("kind", "") in ReferralKind.values else "",
               "case_number": get.get("case_number", "").strip()[:32]}
    page = Paginator(referral_list(actor=request.user, filters=filters), 30).get_page(get.get("page"))
    rows = [{**referral_dict(r), "name": mask_name(r.case.injured_name)} for r in page.object_list]
    query = urlencode([(k, v) for k, v in get.items() if k != "page" and v])
    return render(request, "medical/referrals/staff_list.html", {
        "rows": rows, "page": page, "filters": filters, "query": query, "statuses": ReferralStatus.choices,
        "kinds": ReferralKind.choices, "for_staff": request.user.kind == Audience.STAFF})


urlpatterns = [
    path("referrals/", staff_list, name="referral_list"),
    path("referrals/case/<int:case_id>/", case_referrals, name="referral_case"),
    path("referrals/<int:pk>/choose/", choose, name="referral_choose"),
]
