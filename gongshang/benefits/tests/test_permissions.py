"""Who reaches what in 工伤待遇 (models' access scopes + the matrix): employers see their cases'
entitlements only, individuals their own (or as a registered beneficiary), other staff roles of
the same 统筹区 get 403 on payroll, the four-eyes rules, national parameters, 409 on a stale status."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from gongshang.accounts.access import allowed_actions, can, get_for, restrict
from gongshang.accounts.choices import StaffRole
from gongshang.benefits import selectors
from gongshang.benefits.models import Adjustment, Entitlement, Parameter, Payment, PayrollRun
from gongshang.benefits.permissions import PARAMETER_REFUSAL, RELEASER, SECOND_PERSON
from gongshang.benefits.services import adjustments, payroll
from gongshang.benefits.services import entitlements as ent
from gongshang.benefits.services.parameters import parameter_correct
from gongshang.core.errors import DomainError, Forbidden, NotFound
from gongshang.core.workflow import transition

from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/benefits"


def test_employer_sees_its_cases_entitlements_only(api_client, token_for, two_cases,  # noqa: F811
                                                    employer_user_a, employer_user_b):
    case_a, case_b = two_cases
    own = {e["id"] for e in api_client.get(f"{BASE}/entitlements", **token_for(employer_user_a)).json()}
    assert own == set(Entitlement.objects.filter(case=case_a).values_list("pk", flat=True)) and own
    other = api_client.get(f"{BASE}/entitlements", {"case": case_a.pk}, **token_for(employer_user_b))
    assert other.status_code == 200 and other.json() == []
    row = Entitlement.objects.filter(case=case_a).first()
    with pytest.raises(NotFound):
        get_for(employer_user_b, Entitlement, row.pk)
    assert not restrict(employer_user_a, Payment).exists()  # payments: the worker's and the agency's only


def test_employer_reads_its_case_page_without_staff_forms(client, two_cases, employer_user_a,  # noqa: F811
                                                          employer_user_b):
    case_a, _ = two_cases
    client.force_login(employer_user_a)
    response = client.get(reverse("benefits:case_benefits", args=[case_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "一次性伤残补助金" in body
    assert "登记结论" not in body and "按结论计算并核定" not in body and 'value="suspend"' not in body
    client.force_login(employer_user_b)
    assert client.get(reverse("benefits:case_benefits", args=[case_a.pk])).status_code == 404
    client.force_login(employer_user_a)
    assert client.post(reverse("benefits:case_decide", args=[case_a.pk]), {"action": "approve"}).status_code == 403


def test_individual_sees_own_and_as_registered_beneficiary(two_cases, individual_user, zhang_wei, li_na):  # noqa: F811
    case_a, _ = two_cases
    individual_user.person = li_na
    individual_user.save()
    mine = set(Entitlement.objects.filter(person=li_na).values_list("pk", flat=True))
    as_beneficiary = Entitlement.objects.filter(case=case_a).first()
    Entitlement.objects.filter(pk=as_beneficiary.pk).update(person=None)
    row = Entitlement.objects.get(pk=as_beneficiary.pk)
    row.beneficiary_id_number = li_na.id_number
    row.save()
    seen = set(restrict(individual_user, Entitlement).values_list("pk", flat=True))
    assert seen == mine | {row.pk}
    assert set(restrict(individual_user, Payment).values_list("entitlement_id", flat=True)) <= seen


@pytest.mark.parametrize("role", [StaffRole.INTAKE, StaffRole.SYSTEM_ADMIN, StaffRole.HOTLINE, StaffRole.INSPECTOR])
def test_other_roles_of_the_region_get_403_on_payroll(client, api_client, token_for, staff_factory,
                                                      people, two_cases, role):  # noqa: F811
    maker, _ = people
    run = payroll.run_create(actor=maker, period="2025-11")
    other = staff_factory(role)
    client.force_login(other)
    for url in (reverse("benefits:payroll_list"), reverse("benefits:payroll_detail", args=[run.pk]),
                reverse("benefits:payroll_bank_file", args=[run.pk, "csv"]), reverse("benefits:entitlement_list"),
                reverse("benefits:case_benefits", args=[two_cases[0].pk]), reverse("benefits:adjustment_list")):
        assert client.get(url).status_code == 403, url
    token = token_for(other)
    assert api_client.get(f"{BASE}/payroll-runs", **token).status_code == 403
    assert api_client.get(f"{BASE}/payroll-runs/{run.pk}", **token).status_code == 403
    assert api_client.get(f"{BASE}/payroll-runs/{run.pk}/bank-file", **token).status_code == 403
    assert api_client.get(f"{BASE}/entitlements", **token).status_code == 403
    with pytest.raises(Forbidden):
        get_for(other, PayrollRun, run.pk)


def test_four_eyes_on_runs_entitlements_and_adjustments(people, two_cases, zhang_wei, employer_a,  # noqa: F811
                                                        staff_factory):
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    assert "approve" not in allowed_actions(maker, run) and "approve" in allowed_actions(checker, run)
    payroll.run_approve(actor=checker, run_id=run.pk)
    with pytest.raises(Forbidden) as exc:
        payroll.run_release(actor=checker, run_id=run.pk)
    assert exc.value.message == RELEASER
    assert payroll.run_release(actor=maker, run_id=run.pk).status == "released"  # the maker may release
    assert set(Payment.objects.filter(run=run).values_list("status", flat=True)) == {"sent"}

    row = adjustments.adjustment_propose(actor=maker, benefit_type="disability_allowance", method="percent",
                                         value=D("5"), effective_month=date(2026, 1, 1), source="通知")
    for approve in (True, False):
        with pytest.raises(Forbidden) as exc:
            adjustments.adjustment_decide(actor=maker, adjustment_id=row.pk, approve=approve)
        assert exc.value.message == SECOND_PERSON
    assert allowed_actions(maker, row) == {"view", "propose"}

    from .factories import make_case, record
    case = make_case(zhang_wei, employer_a, injured_on=date(2025, 3, 10))
    record(maker, case, grade=7)
    ent.entitlements_create(actor=maker, case_id=case.pk, data=ent.CreateInput())
    with pytest.raises(Forbidden):
        ent.entitlements_reject(actor=maker, case_id=case.pk, reason="重算")
    pending = case.entitlements.first()
    assert not can(maker, pending, "approve") and can(checker, pending, "approve")


def test_stale_status_answers_409(people, two_cases):  # noqa: F811
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    stale = PayrollRun.objects.get(pk=run.pk)
    payroll.run_approve(actor=checker, run_id=run.pk)
    with pytest.raises(DomainError) as exc:
        transition(checker, stale, "approve")  # loaded before the other approval: the locked row decides
    assert exc.value.status == 409
    with pytest.raises(DomainError) as exc:
        payroll.run_approve(actor=checker, run_id=run.pk)
    assert exc.value.status == 409
    row = Entitlement.objects.filter(case=two_cases[0], period_kind="monthly").first()
    with pytest.raises(DomainError) as exc:
        ent.entitlement_resume(actor=maker, entitlement_id=row.pk)  # active, not suspended
    assert exc.value.status == 409
    ent.entitlement_suspend(actor=maker, entitlement_id=row.pk, reason="核查")
    assert ent.entitlement_resume(actor=maker, entitlement_id=row.pk).status == "active"
    adj = adjustments.adjustment_propose(actor=maker, benefit_type="disability_allowance", method="percent",
                                         value=D("5"), effective_month=date(2026, 1, 1), source="通知")
    adjustments.adjustment_decide(actor=checker, adjustment_id=adj.pk, approve=False)
    with pytest.raises(DomainError) as exc:
        adjustments.adjustment_decide(actor=checker, adjustment_id=adj.pk, approve=True)
    assert exc.value.status == 409 and Adjustment.objects.get(pk=adj.pk).status == "rejected"


def test_national_parameters_only_by_the_home_regions_system_admin(client, staff_factory, parameters):
    national = Parameter.objects.filter(region="000000").first()
    regional = Parameter.objects.filter(region="370200").first()
    home_admin = staff_factory(StaffRole.SYSTEM_ADMIN)                       # 370200: DEFAULT_POOLING_REGION
    other_admin = staff_factory(StaffRole.SYSTEM_ADMIN, jurisdiction="370100")
    reviewer = staff_factory(StaffRole.BENEFITS_REVIEWER)
    assert can(home_admin, national, "correct") and not can(other_admin, national, "correct")
    assert not can(reviewer, national, "correct") and can(reviewer, regional, "correct")
    assert not can(other_admin, regional, "correct")
    with pytest.raises(Forbidden) as exc:
        parameter_correct(actor=other_admin, parameter=national, value=D("1"), source="x", note="y")
    assert exc.value.message == PARAMETER_REFUSAL
    client.force_login(other_admin)
    assert client.get(f"/benefits/parameters/{national.pk}/correct/").status_code == 403
    assert client.get("/benefits/parameters/").status_code == 200  # public figures: the list is for all who may view
    client.force_login(reviewer)
    body = client.get("/benefits/parameters/", {"region": "370200"}).content.decode()
    assert f"/benefits/parameters/{regional.pk}/correct/" in body
    assert f"/benefits/parameters/{national.pk}/correct/" not in client.get("/benefits/parameters/").content.decode()
    new = parameter_correct(actor=home_admin, parameter=national, value=D("54200"), source="更正", note="笔误")
    assert Parameter.objects.get(pk=national.pk).status == "superseded" and new.supersedes_id == national.pk
    assert "correct" not in allowed_actions(home_admin, Parameter.objects.get(pk=national.pk))
    with pytest.raises(DomainError) as exc:
        parameter_correct(actor=home_admin, parameter=national, value=D("54300"), source="更正", note="再改")
    assert exc.value.status == 409


def test_payroll_page_shows_only_the_allowed_buttons(client, people, two_cases):  # noqa: F811
    maker, checker = people
    run = payroll.run_create(actor=maker, period="2025-11")
    url = reverse("benefits:payroll_detail", args=[run.pk])
    client.force_login(maker)
    body = client.get(url).content.decode()
    assert 'value="approve"' not in body and 'value="release"' not in body and "下载报盘" not in body
    client.force_login(checker)
    assert 'value="approve"' in client.get(url).content.decode()
    payroll.run_approve(actor=checker, run_id=run.pk)
    assert 'value="release"' not in client.get(url).content.decode()  # the approver does not release
    client.force_login(maker)
    assert 'value="release"' in client.get(url).content.decode()
    payroll.run_release(actor=maker, run_id=run.pk)
    body = client.get(url).content.decode()
    assert "下载报盘 CSV" in body and 'value="bank_return"' in body and 'value="release"' not in body


def test_case_page_hides_approval_from_the_maker(client, people, zhang_wei, employer_a, parameters):  # noqa: F811
    from .factories import make_case, record

    maker, checker = people
    case = make_case(zhang_wei, employer_a)
    record(maker, case, grade=7)
    ent.entitlements_create(actor=maker, case_id=case.pk, data=ent.CreateInput())
    url = reverse("benefits:case_benefits", args=[case.pk])
    client.force_login(maker)
    assert "复核通过全部待审核项" not in client.get(url).content.decode()
    client.force_login(checker)
    body = client.get(url).content.decode()
    assert "复核通过全部待审核项" in body and 'value="suspend"' not in body  # pending: nothing to suspend yet
    ent.entitlements_approve(actor=checker, case_id=case.pk)
    body = client.get(url).content.decode()
    assert 'value="suspend"' in body and 'value="resume"' not in body and "复核通过全部待审核项" not in body


def test_case_lookup_is_scoped(client, people, two_cases, staff_factory):  # noqa: F811
    maker, _ = people
    client.force_login(maker)
    response = client.get(reverse("benefits:case_lookup"), {"number": two_cases[0].number})
    assert response.status_code == 302 and response.url == reverse("benefits:case_benefits", args=[two_cases[0].pk])
    client.force_login(staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370100"))
    response = client.get(reverse("benefits:case_lookup"), {"number": two_cases[0].number})
    assert response.url == reverse("benefits:entitlement_list")
    assert selectors.entitlement_list(actor=staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370100")
                                      ).count() == 0
