"""单位综合查询, 员工花名册 and 个人综合查询 for the employer's handlers."""

from django.shortcuts import render
from django.utils import timezone

from gongshang.accounts.access import permit
from gongshang.core.pii.masking import mask_id_number, mask_mobile
from gongshang.core.regions import full_name
from gongshang.registry import selectors
from gongshang.registry.choices import EnrolmentStatus, PaymentStatus
from gongshang.registry.forms import PersonSearchForm, RosterFilterForm
from gongshang.web.paging import paged

# Badges: a status → css class map (templates never compare status strings).
ENROLMENT_BADGES = {EnrolmentStatus.ACTIVE: "badge-ok"}
PAYMENT_BADGES = {PaymentStatus.OWED: "badge-error", PaymentStatus.PAID: "badge-ok"}


@permit("employer", "overview")
def employer_overview(request):
    employer = selectors.own_employer(actor=request.user)
    return render(request, "registry/employer_overview.html", {
        "employer": employer,
        "region_name": full_name(employer.region),
        "contact_mobile": mask_mobile(employer.contact_mobile or employer.reserved_mobile),
        "insurance": selectors.insurance_records(employer=employer),
        "payments": selectors.payment_records(employer=employer),
        "tab": request.GET.get("tab", "basic"),
    })


@permit("enrolment", "roster")
def roster(request):
    form = RosterFilterForm(request.GET or None)
    rows = selectors.roster_list(actor=request.user, **form.filters())
    page, query = paged(request, rows)
    for enrolment in page.object_list:
        enrolment.id_masked = mask_id_number(enrolment.person.id_number)
        enrolment.badge = ENROLMENT_BADGES.get(enrolment.status, "badge-warn")
        enrolment.payment_badge = PAYMENT_BADGES.get(enrolment.payment_status, "")
        enrolment.payment_label = PaymentStatus(enrolment.payment_status).label
    context = {"form": form, "page": page, "query": query, "refreshed_at": timezone.localtime()}
    if request.headers.get("HX-Request"):
        return render(request, "registry/_roster_table.html", context)
    return render(request, "registry/roster.html", context)


@permit("person", "search")
def person_search(request):
    form = PersonSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = [{"person": p, "id_masked": mask_id_number(p.id_number)}
                   for p in selectors.person_search(actor=request.user, query=form.cleaned_data["q"])[:50]]
    return render(request, "registry/person_search.html", {"form": form, "results": results,
                                                           "searched": form.is_bound})


@permit("person", "view")
def person_detail(request, person_id: int):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    enrolments = selectors.enrolment_list_for_person(actor=request.user, person=person)
    contributions = selectors.contribution_list_for_person(actor=request.user, person=person)
    return render(request, "registry/person_detail.html", {
        "person": person, "id_masked": mask_id_number(person.id_number), "mobile_masked": mask_mobile(person.mobile),
        "enrolments": enrolments, "contributions": contributions,
    })
