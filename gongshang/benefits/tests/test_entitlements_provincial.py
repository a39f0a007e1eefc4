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
from gongshang.cases.services import accident_create, case_create
from gongshang.registry.models import ContributionRecord

from .factories import record

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00 +08:00")]
REGION = "410100"


@pytest.fixture
def henan_case(zhang_wei, employer_a):
    """A 七级 case in 410100: 12 months of 6,000 contribution base before an injury on 2025-06-10;
    the 统筹区's average (7,000) and minimum wage (2,000) entered as test figures, no month tables."""
    for kind, value in (("avg_monthly_wage", D("7000")), ("min_wage", D("2000"))):
        parameter_add(actor=None, region=REGION, kind=kind, valid_from=date(2025, 1, 1), value=value, table=None,
                      data_year=None, source="测试用的统筹区数值", is_demo=False)
    accident = accident_create(region=REGION, occurred_at=timezone.make_aware(datetime(2025, 6, 10, 9, 30)),
                               employer=employer_a, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": zhang_wei.name, "person": zhang_wei,
                                                               "employer": employer_a})
    for i in range(1, 13):
        ContributionRecord.objects.get_or_create(person=zhang_wei, employer=employer_a, insurance_type="injury",
                                                 month=add_months(date(2025, 6, 1), -i),
                                                 defaults={"wage_base": D("6000")})
    return case


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
