"""Entitlements computed by staff use the same parameter loader as the calculator: a case of a Henan
统筹区 gets the tables of 《河南省工伤保险条例》 when the 统筹区 has stored no month tables of its own."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.rules.leave import add_months
from gongshang.benefits.services import entitlements as svc
from gongshang.benefits.services.entitlements import CreateInput
from gongshang.benefits.services.parameters import parameter_add
from gongshang.cases.models import CaseEvent
from gongshang.cases.services import accident_create, case_create
from gongshang.core.errors import FieldErrors
from gongshang.registry.models import ContributionRecord
from gongshang.registry.tests.factories import InsuredPersonFactory

from .factories import record

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00 +08:00")]
REGION = "410100"


def _henan_case(person, employer):
    """A case in 410100: 12 months of 6,000 contribution base before an injury on 2025-06-10; the
    统筹区's average (7,000) and minimum wage (2,000) entered as test figures, no month tables."""
    for kind, value in (("avg_monthly_wage", D("7000")), ("min_wage", D("2000"))):
        parameter_add(actor=None, region=REGION, kind=kind, valid_from=date(2025, 1, 1), value=value, table=None,
                      data_year=None, source="测试用的统筹区数值", is_demo=False)
    accident = accident_create(region=REGION, occurred_at=timezone.make_aware(datetime(2025, 6, 10, 9, 30)),
                               employer=employer, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "employer": employer})
    for i in range(1, 13):
        ContributionRecord.objects.get_or_create(person=person, employer=employer, insurance_type="injury",
                                                 month=add_months(date(2025, 6, 1), -i),
                                                 defaults={"wage_base": D("6000")})
    return case


@pytest.fixture
def henan_case(zhang_wei, employer_a):
    return _henan_case(zhang_wei, employer_a)


def test_henan_case_entitlements_use_the_provincial_tables(staff_factory, henan_case):
    """《河南省工伤保险条例》（2007-05-31 通过，2007-10-01 施行）第二十七条第一款, base 统筹地区上年度职工
    月平均工资 on the termination date (7,000, test figure): 七级 一次性工伤医疗补助金 12 × 7,000 =
    84,000.00, 一次性伤残就业补助金 36 × 7,000 = 252,000.00; 一次性伤残补助金 (条例 第三十七条) 13 ×
    6,000 = 78,000.00. The rows keep the provincial source in parameters_used."""
    maker = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction=REGION)
    record(maker, henan_case, grade=7)
    rows = svc.entitlements_create(actor=maker, case_id=henan_case.pk, data=CreateInput(
        terminate_employment=True, termination_date=date(2025, 11, 30)))
    assert {r.benefit_type: r.amount for r in rows} == {
        "one_time_disability_subsidy": D("78000.00"), "one_time_medical_subsidy": D("84000.00"),
        "one_time_employment_subsidy": D("252000.00")}
    employment = next(r for r in rows if r.benefit_type == "one_time_employment_subsidy")
    assert "《河南省工伤保险条例》第二十七条第一款：七级 36 个月" in employment.basis
    used = employment.parameters_used["employment_subsidy_months"]
    assert used["source"].startswith("《河南省工伤保险条例》") and used["demo"] is False
    assert used["valid_from"] == "2007-10-01" and used["on"] == "2025-11-30"


def _person(birth: date, gender: str):
    return InsuredPersonFactory(birth_date=birth, gender=gender, region=REGION)


def test_staff_entitlements_reduce_near_retirement_from_the_registered_birth_date(staff_factory, employer_a):
    """The registry knows the worker's birth date and sex: a man born 1968-03-10 retires at 60 岁
    10 个月 on 2029-01-10; leaving on 2025-11-30 he has 3 whole years left → 《河南省工伤保险条例》
    第二十七条第二款: 一次性伤残就业补助金 at 60 %: 36 × 7,000 × 60 % = 151,200.00 (was paid in full,
    252,000.00); the medical subsidy in full, 84,000.00."""
    case = _henan_case(_person(date(1968, 3, 10), "male"), employer_a)
    maker = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction=REGION)
    record(maker, case, grade=7)
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        terminate_employment=True, termination_date=date(2025, 11, 30)))
    got = {r.benefit_type: r for r in rows}
    assert got["one_time_employment_subsidy"].amount == D("151200.00")
    assert "× 60%（距法定退休年龄 60 岁 10 个月（2029 年 1 月） 还有 3 整年" in got["one_time_employment_subsidy"].formula
    assert got["one_time_medical_subsidy"].amount == D("84000.00")


def test_staff_entitlements_none_after_the_statutory_retirement_age(staff_factory, employer_a):
    """A man born 1964-07-01 reached 60 on 2024-07-01: leaving on 2025-11-30 he gets neither
    termination subsidy; the case timeline says why."""
    case = _henan_case(_person(date(1964, 7, 1), "male"), employer_a)
    maker = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction=REGION)
    record(maker, case, grade=7)
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        terminate_employment=True, termination_date=date(2025, 11, 30)))
    assert {r.benefit_type for r in rows} == {"one_time_disability_subsidy"}
    [event] = [e for e in CaseEvent.objects.filter(case=case) if e.details.get("benefits") == "benefits.entitlements_created"]
    assert any("已达到法定退休年龄" in note for note in event.details["notes"])


def test_staff_must_say_a_womans_original_retirement_age_when_it_matters(staff_factory, employer_a):
    """A woman born 1972-05-20 is 53 at the termination: as a 工人 (original age 50) she has retired
    (50 岁 + delay), as a 干部 (55) she has not — the registry cannot tell, so the field is asked for.
    Given 55 (55 岁 8 个月 → 2028-01-20), 2 whole years are left: employment 36 × 7,000 × 40 % =
    100,800.00."""
    case = _henan_case(_person(date(1972, 5, 20), "female"), employer_a)
    maker = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction=REGION)
    record(maker, case, grade=7)
    with pytest.raises(FieldErrors) as caught:
        svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
            terminate_employment=True, termination_date=date(2025, 11, 30)))
    assert "original_retirement_age" in caught.value.errors
    rows = svc.entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        terminate_employment=True, termination_date=date(2025, 11, 30), original_retirement_age=55))
    assert {r.benefit_type: r.amount for r in rows}["one_time_employment_subsidy"] == D("100800.00")


def test_case_page_takes_the_termination_date_and_original_retirement_age(client, staff_factory, employer_a):
    """The desk form passes 解除或终止劳动关系日期 and 原法定退休年龄 to the computation: the man born
    1968-03-10 leaving on 2025-11-30 → 60 % of 252,000 = 151,200.00."""
    case = _henan_case(_person(date(1968, 3, 10), "male"), employer_a)
    maker = staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction=REGION)
    record(maker, case, grade=7)
    client.force_login(maker)
    response = client.post(f"/benefits/cases/{case.pk}/", {
        "action": "create", "terminate_employment": "on", "termination_date": "2025-11-30",
        "original_retirement_age": "60"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = case.entitlements.get(benefit_type="one_time_employment_subsidy")
    assert row.amount == D("151200.00") and row.parameters_used["employment_subsidy_months"]["on"] == "2025-11-30"
