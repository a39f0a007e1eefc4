"""单位综合查询, 员工花名册 and 个人综合查询 for the employer's handlers."""

from django.shortcuts import render
from django.utils import timezone

from gongshang.accounts.choices import Audience
from gongshang.accounts.permissions import audience_required
from gongshang.core.pii.masking import mask_id_number, mask_mobile
from gongshang.core.regions import full_name
from gongshang.registry import selectors
from gongshang.registry.forms import PersonSearchForm, RosterFilterForm
from gongshang.web.paging import paged

employer_page = audience_required(Audience.EMPLOYER)


@employer_page
def employer_overview(request):
    employer = request.user.employer
    return render(request, "registry/employer_overview.html", {
        "employer": employer,
        "region_name": full_name(employer.region),
        "contact_mobile": mask_mobile(employer.contact_mobile or employer.reserved_mobile),
        "insurance": selectors.insurance_records(employer=employer),
        "payments": selectors.payment_records(employer=employer),
        "tab": request.GET.get("tab", "basic"),
    })


@employer_page
def roster(request):
    form = RosterFilterForm(request.GET or None)
    rows = selectors.roster_list(actor=request.user, **form.filters())
    page, query = paged(request, rows)
    for enrolment in page.object_list:
        enrolment.id_masked = mask_id_number(enrolment.person.id_number)
    context = {"form": form, "page": page, "query": query, "refreshed_at": timezone.localtime()}
    if request.headers.get("HX-Request"):
        return render(request, "registry/_roster_table.html", context)
    return render(request, "registry/roster.html", context)


@employer_page
def person_search(request):
    form = PersonSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = [{"person": p, "id_masked": mask_id_number(p.id_number)}
                   for p in selectors.person_search(actor=request.user, query=form.cleaned_data["q"])[:50]]
    return render(request, "registry/person_search.html", {"form": form, "results": results,
                                                           "searched": form.is_bound})


@employer_page
def person_detail(request, person_id: int):
    person = selectors.person_get(actor=request.user, person_id=person_id)
    enrolments = selectors.enrolment_list_for_person(actor=request.user, person=person)
    contributions = selectors.contribution_list_for_person(actor=request.user, person=person)
    return render(request, "registry/person_detail.html", {
        "person": person, "id_masked": mask_id_number(person.id_number), "mobile_masked": mask_mobile(person.mobile),
        "enrolments": enrolments, "contributions": contributions,
    })
