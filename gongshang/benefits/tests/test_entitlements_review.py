"""Review findings on 待遇核定: decided recognition required (paper decisions only without an
application), 第十五条第一款第（三）项, a grade 1-4 death keeps its grade, dependants see their
statements, entitlements readable by 待遇审核员 only among staff, adjustments reach pending items
and keep the dependants' cap."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Entitlement, EntitlementAmountChange
from gongshang.benefits.services import adjustments, payroll
from gongshang.benefits.services import entitlements as svc
from gongshang.benefits.services.entitlements import Beneficiary, CreateInput
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.recognition.models import RecognitionApplication
from gongshang.registry.tests.factories import InsuredPersonFactory

from .factories import make_case, pdf, record
from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
SPOUSE_ID = "370202199001011237"


@pytest.fixture
def case(zhang_wei, employer_a, parameters):
    return make_case(zhang_wei, employer_a)


def recognition(case, user, *, status="decided", result="recognized", circumstance="art14_1"):
    return RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"user:{user.pk}", created_by=user, status=status,
        applicant_kind="employer", decision_result=result, circumstance=circumstance, decided_on=date(2025, 7, 1))


@pytest.mark.parametrize("status, result, code", [
    ("decided", "not_recognized", "benefits.recognition_refused"),
    ("delivered", "not_recognized", "benefits.recognition_refused"),
    ("accepted", "", "benefits.recognition_undecided"),
    ("investigating", "", "benefits.recognition_undecided"),
])
def test_refused_or_undecided_recognition_blocks_benefits(people, case, status, result, code):  # noqa: F811
    maker, _ = people
    recognition(case, maker, status=status, result=result)
    with pytest.raises(DomainError) as exc:
        record(maker, case, grade=3)
    assert (exc.value.status, exc.value.code) == (409, code)
    assert "不予认定" in exc.value.message or "尚未作出认定决定" in exc.value.message


def test_decided_recognition_is_linked_and_veteran_gets_no_one_time_subsidy(people, case):  # noqa: F811
    maker, checker = people
    app = recognition(case, maker, result="deemed", circumstance="art15_3")
    row = svc.conclusion_record(actor=maker, case_id=case.pk, document=pdf(), data={
        "kind": "disability", "conclusion_number": "青劳鉴〔2025〕88号", "concluded_on": date(2025, 10, 15),
        "disability_grade": 3})
    assert (row.recognition_id, row.paper_recognition, row.veteran_recurrence, row.recognised_on) == (
        app.pk, False, True, date(2025, 7, 1))
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    assert [r.benefit_type for r in rows] == ["disability_allowance"]  # no 一次性伤残补助金 (第十五条第二款)


def test_paper_decision_only_without_an_application(people, case, client):  # noqa: F811
    maker, _ = people
    with pytest.raises(FieldErrors) as exc:
        svc.conclusion_record(actor=maker, case_id=case.pk, document=pdf(), data={
            "kind": "disability", "conclusion_number": "X", "concluded_on": date(2025, 10, 15), "disability_grade": 3})
    assert set(exc.value.errors) == {"recognition_number", "recognised_on"}
    row = record(maker, case, grade=3)
    assert (row.paper_recognition, row.recognition_id) == (True, None)
    client.force_login(maker)
    page = client.get(reverse("benefits:case_benefits", args=[case.pk])).content.decode()
    assert "系统中没有本案的工伤认定申请（历史案件或纸质认定决定）" in page and "纸质决定，手工登记" in page


def test_death_after_leave_keeps_grade_no_death_subsidy(people, case):  # noqa: F811
    maker, _ = people
    row = record(maker, case, kind="death", grade=2, concluded_on=date(2025, 12, 1))
    assert row.disability_grade == 2
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        next_of_kin="王芳", dependants=[Beneficiary("王芳", "spouse")]))
    assert [r.benefit_type for r in rows] == ["funeral_subsidy", "dependant_pension"]
    with pytest.raises(FieldErrors):
        record(maker, case, kind="death", grade=6)


def test_dependant_with_id_number_sees_statements(people, case, client, individual_user):  # noqa: F811
    maker, checker = people
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 10, 15))
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        next_of_kin="王芳", next_of_kin_id_number=SPOUSE_ID,
        dependants=[Beneficiary("王芳", "spouse", id_number=SPOUSE_ID), Beneficiary("张小", "child")]))
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    pension = Entitlement.objects.get(beneficiary_name="王芳", benefit_type="dependant_pension")
    assert pension.person_id is None and pension.beneficiary_id_number == SPOUSE_ID  # encrypted at rest
    payroll.run_create(actor=maker, period="2025-11")
    individual_user.person = InsuredPersonFactory(id_number=SPOUSE_ID, name="王芳")
    individual_user.save()
    client.force_login(individual_user)
    body = client.get(reverse("benefits:my_statements")).content.decode()
    assert "供养亲属抚恤金" in body and "丧葬补助金" in body and "一次性工亡补助金" in body
    assert body.count("<tr><td>2025-11</td>") == 3  # her pension, funeral, death subsidy — not the child's


def test_registered_dependant_is_linked_to_the_person(people, case, li_na):  # noqa: F811
    maker, _ = people
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 10, 15))
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        next_of_kin="李娜", dependants=[Beneficiary("李娜", "spouse", id_number="370211199207084569")]))
    assert [r.person_id for r in rows if r.benefit_type == "dependant_pension"] == [li_na.pk]
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 10, 16))
    with pytest.raises(FieldErrors) as exc:
        svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
            next_of_kin="李娜", dependants=[Beneficiary("李娜", "spouse", id_number="370211199207084560")]))
    assert list(exc.value.errors) == ["dependants[0]"]


@pytest.mark.parametrize("role, status", [(StaffRole.INTAKE, 403), (StaffRole.INSPECTOR, 403),
                                          (StaffRole.HOTLINE, 403), (StaffRole.BENEFITS_REVIEWER, 200)])
def test_entitlements_api_for_benefits_reviewers_only(api_client, token_for, staff_factory, two_cases,  # noqa: F811
                                                      role, status):
    response = api_client.get(f"/api/v1/benefits/entitlements?case={two_cases[0].pk}",
                              **token_for(staff_factory(role)))
    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == 2


def test_adjustment_applies_to_pending_entitlements(people, two_cases, zhang_wei, employer_a):  # noqa: F811
    maker, checker = people
    late = make_case(zhang_wei, employer_a, injured_on=date(2025, 7, 1))
    record(maker, late, grade=4, concluded_on=date(2025, 9, 20))
    svc.entitlements_create(actor=maker, case_id=late.pk, data=CreateInput())  # pending, 75% × 6,000 = 4,500
    proposal = adjustments.adjustment_propose(actor=maker, benefit_type="disability_allowance", method="percent",
                                              value=D("10"), effective_month=date(2026, 1, 1), source="演示")
    assert proposal.affected == 3
    adjustments.adjustment_decide(actor=checker, adjustment_id=proposal.pk, approve=True)
    pending = late.entitlements.get(benefit_type="disability_allowance")
    assert (pending.status, pending.amount) == ("pending", D("4950.00"))
    assert EntitlementAmountChange.objects.get(entitlement=pending).old_amount == D("4500.00")


def test_adjustment_keeps_dependants_within_the_wage(people, case):  # noqa: F811
    maker, checker = people
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 10, 15))
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(next_of_kin="王芳", dependants=[
        Beneficiary("王芳", "spouse"), Beneficiary("张一", "child"), Beneficiary("张二", "child", True)]))
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    # 6,000 × (40% + 30% + 40%) = 6,600 > 6,000: capped at creation to 2,181.82 + 1,636.36 + 2,181.82;
    # +300 each = 6,900 > 6,000: reduced again in proportion to 2,481.82 : 1,936.36 : 2,481.82
    proposal = adjustments.adjustment_propose(actor=maker, benefit_type="dependant_pension", method="fixed",
                                              value=D("300"), effective_month=date(2026, 1, 1), source="演示")
    adjustments.adjustment_decide(actor=checker, adjustment_id=proposal.pk, approve=True)
    amounts = sorted(case.entitlements.filter(benefit_type="dependant_pension").values_list("amount", flat=True))
    assert sum(amounts) == D("6000.00") and amounts == [D("1683.79"), D("2158.10"), D("2158.11")]
    changes = EntitlementAmountChange.objects.filter(adjustment=proposal)
    assert sorted(changes.values_list("new_amount", flat=True)) == amounts
