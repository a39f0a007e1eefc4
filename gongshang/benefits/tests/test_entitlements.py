"""待遇核定: conclusion on the case, entitlements from the calculation, maker-checker, transitions."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Entitlement
from gongshang.benefits.permissions import SECOND_PERSON
from gongshang.benefits.services import entitlements as svc
from gongshang.benefits.services.entitlements import Beneficiary, CreateInput
from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent

from .factories import make_case, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def maker(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def checker(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER)


@pytest.fixture
def case(zhang_wei, employer_a, parameters):
    return make_case(zhang_wei, employer_a)


def test_create_from_conclusion_and_approve_by_second_reviewer(maker, checker, case):
    record(maker, case, grade=3, nursing="partial")
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行",
                                                                                   bank_account="6222000011112222"))
    amounts = {r.benefit_type: (r.amount, r.period_kind, r.status) for r in rows}
    assert amounts == {"one_time_disability_subsidy": (D("138000.00"), "once", "pending"),
                       "disability_allowance": (D("4800.00"), "monthly", "pending"),
                       "nursing_allowance": (D("2400.00"), "monthly", "pending")}  # 30% × 8,000
    assert rows[0].start_month == date(2025, 11, 1) and rows[0].person_id == case.person_id
    assert rows[0].parameters_used["avg_monthly_wage"]["value"] == "8000.00"
    with pytest.raises(DomainError) as exc:
        svc.entitlements_approve(actor=maker, case_id=case.pk)
    assert (exc.value.status, exc.value.message) == (403, SECOND_PERSON)  # four eyes: Entitlement.access
    assert svc.entitlements_approve(actor=checker, case_id=case.pk) == 3
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"active"}
    assert AuditEvent.objects.filter(event_type="benefits.entitlement_approved").count() == 3
    assert case.events.filter(event_type="case.note").count() >= 3
    with pytest.raises(DomainError):
        svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())


def test_death_with_dependants(maker, checker, case):
    record(maker, case, kind="death", grade=None, concluded_on=date(2025, 6, 10))
    with pytest.raises(FieldErrors) as exc:
        svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    assert "next_of_kin" in exc.value.errors
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        next_of_kin="王芳", dependants=[Beneficiary("王芳", "spouse"), Beneficiary("张小明", "child", True)]))
    assert [(r.beneficiary_name, r.benefit_type, r.amount) for r in rows] == [
        ("王芳", "funeral_subsidy", D("48000.00")), ("王芳", "dependant_pension", D("2400.00")),
        ("张小明", "dependant_pension", D("2400.00")), ("王芳", "one_time_death_subsidy", D("1083760.00"))]


def test_reject_suspend_resume_stop(maker, checker, case):
    record(maker, case)
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    with pytest.raises(FieldErrors):
        svc.entitlements_reject(actor=checker, case_id=case.pk, reason=" ")
    assert svc.entitlements_reject(actor=checker, case_id=case.pk, reason="工资基数有误") == 2
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    allowance = next(r for r in rows if r.benefit_type == "disability_allowance")
    assert svc.entitlement_suspend(actor=maker, entitlement_id=allowance.pk, reason="未按时认证").status == "suspended"
    assert svc.entitlement_resume(actor=maker, entitlement_id=allowance.pk).status == "active"
    stopped = svc.entitlement_stop(actor=maker, entitlement_id=allowance.pk, reason="death", last_month=date(2026, 3, 9))
    assert (stopped.status, stopped.end_month, stopped.stop_reason) == ("stopped", date(2026, 3, 1), "death")
    with pytest.raises(DomainError) as exc:
        svc.entitlement_resume(actor=maker, entitlement_id=allowance.pk)
    assert exc.value.status == 409
    assert AuditEvent.objects.filter(event_type="benefits.entitlement_stopped", target_id=str(allowance.pk)).exists()


def test_scoping_and_roles(maker, staff_factory, case):
    record(maker, case)
    other_region = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370100")
    with pytest.raises(NotFound):
        svc.entitlements_create(actor=other_region, case_id=case.pk, data=CreateInput())
    with pytest.raises(Forbidden):
        svc.entitlements_create(actor=staff_factory(StaffRole.INTAKE), case_id=case.pk, data=CreateInput())


def test_no_conclusion_or_no_wages(maker, case, zhang_wei, employer_a):
    with pytest.raises(DomainError) as exc:
        svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    assert exc.value.code == "benefits.no_conclusion"
    bare = make_case(zhang_wei, employer_a, injured_on=date(2020, 3, 1), months=0)
    record(maker, bare)
    with pytest.raises(FieldErrors):
        svc.entitlements_create(actor=maker, case_id=bare.pk, data=CreateInput())


def test_conclusion_needs_grade_and_document(maker, case):
    with pytest.raises(FieldErrors) as exc:
        svc.conclusion_record(actor=maker, case_id=case.pk, document=None, data={"kind": "disability"})
    assert set(exc.value.errors) == {"disability_grade", "recognition_number", "recognised_on", "conclusion_number",
                                     "document"}


def test_conclusion_document_with_a_script_is_refused_on_its_field(maker, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongshang.benefits.models import CaseConclusion
    from gongshang.core.tests.hostile_files import pdf_open_action_js

    with pytest.raises(DomainError) as exc:
        svc.conclusion_record(actor=maker, case_id=case.pk, document=SimpleUploadedFile("结论书.pdf", pdf_open_action_js()),
                              data={"kind": "disability", "recognition_number": "青人社工认〔2025〕101号",
                                    "recognised_on": date(2025, 7, 1), "conclusion_number": "青劳鉴〔2025〕88号",
                                    "concluded_on": date(2025, 10, 15), "disability_grade": 3})
    assert exc.value.status == 422 and exc.value.code == "file_active_content"
    assert exc.value.details[0]["field"] == "document" and exc.value.message.startswith("结论文书含有脚本")
    assert not CaseConclusion.objects.exists()


def test_retirement_conversion(maker, checker, case):
    record(maker, case, grade=2)
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    allowance = Entitlement.objects.get(benefit_type="disability_allowance")  # 85% × 6,000 = 5,100
    diff = svc.entitlement_convert_on_retirement(actor=maker, entitlement_id=allowance.pk,
                                                 last_month=date(2026, 5, 1), pension=D("4000"))
    allowance.refresh_from_db()
    assert (allowance.status, allowance.stop_reason, allowance.end_month) == ("stopped", "retirement", date(2026, 5, 1))
    assert (diff.amount, diff.start_month, diff.status, diff.payer) == (D("1100.00"), date(2026, 6, 1), "pending", "fund")
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    with pytest.raises(FieldErrors):
        svc.entitlement_convert_on_retirement(actor=maker, entitlement_id=diff.pk, last_month=date(2026, 5, 1),
                                              pension=D("1"))


def test_reappraisal_replaces_monthly_items(maker, checker, case):
    record(maker, case, grade=4, concluded_on=date(2025, 10, 15))
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    record(maker, case, grade=2, concluded_on=date(2026, 3, 10))  # 复查鉴定: worse
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    allowances = Entitlement.objects.filter(benefit_type="disability_allowance").order_by("pk")
    assert [(a.status, a.amount, a.end_month) for a in allowances] == [
        ("stopped", D("4500.00"), date(2026, 3, 1)), ("active", D("5100.00"), None)]  # 75% / 85% of 6,000
    assert allowances[0].stop_reason == "reappraisal" and allowances[1].start_month == date(2026, 4, 1)
    assert Entitlement.objects.filter(benefit_type="one_time_disability_subsidy").count() == 1


def test_reject_after_approval_in_another_tab_answers_409(maker, checker, case):
    """A stale 退回 form (the items were approved, or already returned, in another tab) must not be
    told "已退回" while nothing was returned."""
    record(maker, case)
    svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput())
    svc.entitlements_approve(actor=checker, case_id=case.pk)
    with pytest.raises(DomainError) as exc:
        svc.entitlements_reject(actor=checker, case_id=case.pk, reason="工资基数有误")
    assert exc.value.status == 409 and "没有待审核的待遇" in exc.value.message
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"active"}
