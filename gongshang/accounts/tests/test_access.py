"""The one access mechanism (accounts/access.py) on real models: InjuryCase (one kind) and
CaseDocument (variants: materials, agency-internal papers, conclusions)."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from gongshang.accounts.access import (
    allowed_actions,
    api_permit,
    can,
    check,
    get_for,
    in_scope,
    may,
    permit,
    public,
    require,
    restrict,
    scope_of,
)
from gongshang.accounts.choices import StaffRole
from gongshang.cases import services as cases
from gongshang.cases.models import InjuryCase
from gongshang.cases.models_vault import CaseDocument
from gongshang.core.errors import DomainError, Forbidden, NotFound
from gongshang.core.models import StoredFile

pytestmark = pytest.mark.django_db

_files = itertools.count()


def make_case(*, employer=None, person=None, region="370200"):
    accident = cases.accident_create(region=region, occurred_at=timezone.now(), employer=employer)
    case = cases.case_create(actor=None, accident=accident,
                             injured={"name": "张伟", "id_number": "370202198803151237", "employer": employer})
    InjuryCase.objects.filter(pk=case.pk).update(employer=employer, person=person)
    case.refresh_from_db()
    return case


def make_document(case, kind):
    n = next(_files)
    stored = StoredFile.objects.create(storage_path=f"test/access/{n}.pdf", content_type="application/pdf",
                                       size=1, sha256=f"{n:064d}")
    return CaseDocument.objects.create(case=case, kind=kind, file=stored)


@pytest.fixture
def bound_individual(individual_user, zhang_wei):
    individual_user.person = zhang_wei
    individual_user.save(update_fields=["person"])
    return individual_user


@pytest.fixture
def case_a(employer_a, zhang_wei):
    return make_case(employer=employer_a, person=zhang_wei)


@pytest.fixture
def case_b(employer_b, li_na):
    return make_case(employer=employer_b, person=li_na)


# --- get_for: 404 out of scope, 403 in scope without the role -----------------------------------------

def test_staff_of_another_region_gets_404(staff_factory, case_a):
    jinan = staff_factory(StaffRole.REVIEWER, jurisdiction="370100")
    with pytest.raises(NotFound):
        get_for(jinan, InjuryCase, case_a.pk, "view")
    assert not restrict(jinan, InjuryCase).exists()


def test_staff_of_the_region_without_the_role_gets_403(staff_factory, case_a):
    for role in (StaffRole.HOTLINE, StaffRole.SYSTEM_ADMIN, StaffRole.SECURITY_ADMIN, StaffRole.AUDIT_ADMIN):
        actor = staff_factory(role)
        with pytest.raises(Forbidden):
            get_for(actor, InjuryCase, case_a.pk, "view")
        assert not restrict(actor, InjuryCase).exists()  # the list is empty too, not only the page


def test_staff_with_the_role_loads_the_case(staff_factory, case_a, case_b):
    reviewer = staff_factory(StaffRole.REVIEWER)
    assert get_for(reviewer, InjuryCase, case_a.pk, "view") == case_a
    assert set(restrict(reviewer, InjuryCase)) == {case_a, case_b}
    # A role may view but not take another action: 403.
    with pytest.raises(Forbidden):
        get_for(reviewer, InjuryCase, case_a.pk, "record_conclusion")


def test_employer_reaches_its_own_cases_only(employer_user_a, case_a, case_b):
    assert get_for(employer_user_a, InjuryCase, case_a.pk) == case_a
    with pytest.raises(NotFound):
        get_for(employer_user_a, InjuryCase, case_b.pk)
    assert list(restrict(employer_user_a, InjuryCase)) == [case_a]


def test_individual_reaches_their_own_cases_only(bound_individual, case_a, case_b):
    assert get_for(bound_individual, InjuryCase, case_a.pk) == case_a
    with pytest.raises(NotFound):
        get_for(bound_individual, InjuryCase, case_b.pk)
    assert list(restrict(bound_individual, InjuryCase)) == [case_a]


def test_unbound_individual_and_anonymous_reach_nothing(individual_user, case_a):
    assert not restrict(individual_user, InjuryCase).exists()
    assert not restrict(AnonymousUser(), InjuryCase).exists()
    assert not restrict(None, InjuryCase).exists()
    with pytest.raises(NotFound):
        get_for(individual_user, InjuryCase, case_a.pk)
    with pytest.raises(NotFound):
        get_for(AnonymousUser(), InjuryCase, case_a.pk)


def test_missing_or_malformed_pk_is_404(staff_factory, case_a):
    reviewer = staff_factory(StaffRole.REVIEWER)
    with pytest.raises(NotFound):
        get_for(reviewer, InjuryCase, 999999)
    with pytest.raises(NotFound):
        get_for(reviewer, InjuryCase, "abc")
    # An extra lookup narrows the row (the case number instead of the pk).
    assert get_for(reviewer, InjuryCase, action="view", number=case_a.number) == case_a


def test_get_for_accepts_a_queryset(staff_factory, case_a):
    reviewer = staff_factory(StaffRole.REVIEWER)
    with pytest.raises(NotFound):
        get_for(reviewer, InjuryCase.objects.exclude(pk=case_a.pk), case_a.pk)


def test_employer_in_scope_without_the_action_gets_403(employer_user_a, case_a):
    """An employer may view its case but take no staff action: 403 (in scope, it knows the case)."""
    with pytest.raises(Forbidden):
        check(employer_user_a, case_a, "record_conclusion")


# --- check / can / allowed_actions / may / require ------------------------------------------------------

def test_check_and_can(staff_factory, employer_user_a, case_a):
    benefits = staff_factory(StaffRole.BENEFITS_REVIEWER)
    check(benefits, case_a, "record_conclusion")
    assert can(benefits, case_a, "record_conclusion")
    assert not can(employer_user_a, case_a, "record_conclusion")
    assert can(employer_user_a, case_a, "start_recognition")


def test_check_refuses_anonymous_without_crashing(case_a):
    with pytest.raises(NotFound):
        check(AnonymousUser(), case_a, "view")
    with pytest.raises(NotFound):
        check(None, case_a, "view")
    assert not can(None, case_a, "view")


def test_allowed_actions_follow_the_matrix(staff_factory, employer_user_a, case_a):
    assert allowed_actions(employer_user_a, case_a) == {"view", "start_recognition"}
    assert allowed_actions(staff_factory(StaffRole.BENEFITS_REVIEWER), case_a) == {"view", "record_conclusion"}
    assert allowed_actions(staff_factory(StaffRole.HOTLINE), case_a) == frozenset()
    assert allowed_actions(AnonymousUser(), case_a) == frozenset()


def test_may_and_require(staff_factory, employer_user_a):
    intake = staff_factory(StaffRole.INTAKE)
    assert may(intake, "quick_report", "receive")
    assert not may(intake, "audit_event", "view")
    assert may(employer_user_a, "case", "view")
    assert not may(employer_user_a, "payroll_run", "view")
    assert not may(None, "case", "view") and not may(AnonymousUser(), "case", "view")
    require(intake, "quick_report", "receive")
    with pytest.raises(Forbidden) as refused:
        require(intake, "audit_event", "view")
    assert "角色" in refused.value.message
    with pytest.raises(Forbidden) as refused:
        require(employer_user_a, "payroll_run", "view")
    assert "账户类型" in refused.value.message
    with pytest.raises(DomainError) as unauthenticated:
        require(AnonymousUser(), "case", "view")
    assert unauthenticated.value.status == 401


def test_a_staff_member_with_several_roles_gets_their_union(staff_factory, case_a):
    both = staff_factory(StaffRole.HOTLINE, StaffRole.BENEFITS_REVIEWER)
    assert get_for(both, InjuryCase, case_a.pk, "record_conclusion") == case_a


# --- variants: one model, several matrix kinds -----------------------------------------------------------

@pytest.fixture
def documents(case_a):
    return {
        "material": make_document(case_a, "medical_diagnosis"),
        "internal": make_document(case_a, "agency_investigation_report"),
        "conclusion": make_document(case_a, "conclusion_appraisal"),
    }


def test_variants_hide_agency_internal_papers_from_applicants(employer_user_a, bound_individual, documents):
    for applicant in (employer_user_a, bound_individual):
        assert list(restrict(applicant, CaseDocument)) == [documents["material"]]
        assert get_for(applicant, CaseDocument, documents["material"].pk) == documents["material"]
        for hidden in ("internal", "conclusion"):
            with pytest.raises(NotFound):  # it learns nothing, not even that the paper exists
                get_for(applicant, CaseDocument, documents[hidden].pk)


def test_variants_by_role(staff_factory, documents):
    investigator = staff_factory(StaffRole.INVESTIGATOR)
    benefits = staff_factory(StaffRole.BENEFITS_REVIEWER)
    assert set(restrict(investigator, CaseDocument)) == {documents["material"], documents["internal"]}
    assert set(restrict(benefits, CaseDocument)) == {documents["material"], documents["conclusion"]}
    with pytest.raises(Forbidden):  # staff in scope: 403
        get_for(benefits, CaseDocument, documents["internal"].pk)
    assert allowed_actions(investigator, documents["internal"]) == {"view", "add"}
    assert allowed_actions(benefits, documents["internal"]) == frozenset()


def test_kind_of_and_scope(documents):
    scope = scope_of(CaseDocument)
    assert scope.kinds == ("case_document.material", "case_document.internal", "case_document.conclusion")
    assert {name: scope.kind_of(doc) for name, doc in documents.items()} == {
        "material": "case_document.material", "internal": "case_document.internal",
        "conclusion": "case_document.conclusion"}


def test_in_scope_ignores_the_matrix(staff_factory, case_a):
    hotline = staff_factory(StaffRole.HOTLINE)
    assert list(in_scope(hotline, InjuryCase)) == [case_a]
    assert not restrict(hotline, InjuryCase).exists()


def test_scope_of_a_model_without_one():
    with pytest.raises(TypeError):
        scope_of(StoredFile)


# --- endpoint marks ---------------------------------------------------------------------------------------

def _view(request, *args, **kwargs):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    return request


def test_permit_marks_and_gates_a_page(staff_factory, employer_user_a):
    view = permit("audit_event", "view")(_view)
    assert view.access == ("audit_event", "view")
    response = view(_request(AnonymousUser()))
    assert response.status_code == 302 and "/accounts/login/staff/" in response["Location"]
    assert "next=/somewhere/%3Fx%3D1" in response["Location"]
    with pytest.raises(PermissionDenied):
        view(_request(staff_factory(StaffRole.SYSTEM_ADMIN)))
    with pytest.raises(PermissionDenied):
        view(_request(employer_user_a))
    assert view(_request(staff_factory(StaffRole.AUDIT_ADMIN))).status_code == 200


def test_permit_sends_outside_audiences_to_their_login_page():
    response = permit("employer_handler", "view")(_view)(_request(AnonymousUser()))
    assert "/accounts/login/employer/" in response["Location"]
    response = permit("own_account", "bind_person")(_view)(_request(AnonymousUser()))
    assert "/accounts/login/individual/" in response["Location"]
    response = permit("case", "view")(_view)(_request(AnonymousUser()))
    assert response["Location"].startswith("/accounts/login/?")


def test_marks_refuse_unknown_kinds_and_actions():
    with pytest.raises(KeyError):
        permit("no_such_kind", "view")
    with pytest.raises(KeyError):
        api_permit("case", "no_such_action")


def test_api_permit_marks_and_checks(staff_factory, employer_user_a):
    func = api_permit("case", "view")(_view)
    assert func.access == ("case", "view")
    request = _request(AnonymousUser())
    request.auth = employer_user_a
    assert func(request).status_code == 200
    request.auth = staff_factory(StaffRole.HOTLINE)
    with pytest.raises(Forbidden):
        func(request)
    request.auth = None
    with pytest.raises(DomainError) as exc:
        func(request)
    assert exc.value.status == 401


def test_public_marks_without_wrapping():
    def login(request):
        return HttpResponse("ok")

    assert public(login) is login and login.access == ("public", "")
