"""Review findings on the calculator: earlier years' parameters, each item's parameter date,
rounding once and half-up, wages and parameters at least 1.00, the occupational-disease
supplement as a regional parameter, 条例 第十五条第一款第（三）项."""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.models import Parameter
from gongshang.benefits.rules.items import yuan
from gongshang.benefits.services.parameters import parameter_add, parameter_correct
from gongshang.core.errors import DomainError

pytestmark = pytest.mark.django_db
URL = "/api/v1/benefits/calculate"
BASE = {"region": "370200", "injury_date": "2025-06-01", "kind": "disability"}


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def items(response):
    assert response.status_code == 200, response.content
    return {i["code"]: i for i in response.json()["items"]}


def add_2024(kind="avg_monthly_wage", value=D("7600")):
    return parameter_add(actor=None, region="370200", kind=kind, valid_from=date(2024, 1, 1), value=value,
                         source="青岛市 2023 年度职工月平均工资（演示值）", is_demo=True)


def test_earlier_year_entered_after_a_later_one(api_client, parameters):
    assert post(api_client, {**BASE, "injury_date": "2024-05-10", "disability_grade": 9, "own_wage": "3000"}
                ).status_code == 422  # no 2024 values yet
    row = add_2024()
    add_2024("min_wage", D("2100"))
    assert (row.valid_from, row.valid_to) == (date(2024, 1, 1), date(2024, 12, 31))
    body = post(api_client, {**BASE, "injury_date": "2024-05-10", "disability_grade": 9, "own_wage": "3000"}).json()
    assert body["own_wage"] == "4560.00"  # 60% × 7,600
    assert body["parameters_used"]["avg_monthly_wage"]["valid_from"] == "2024-01-01"
    with pytest.raises(DomainError) as exc:  # inside 2024 (closed): overlap
        parameter_add(actor=None, region="370200", kind="avg_monthly_wage", valid_from=date(2024, 6, 1),
                      value=D("7700"), source="x")
    assert exc.value.status == 409
    fixed = parameter_correct(actor=_admin(), parameter=row, value=D("7650"), source="更正", note="录入错误")
    assert (fixed.valid_from, fixed.valid_to, Parameter.objects.get(pk=row.pk).status) == (
        date(2024, 1, 1), date(2024, 12, 31), "superseded")
    assert post(api_client, {**BASE, "injury_date": "2024-05-10", "disability_grade": 9, "own_wage": "3000"}
                ).json()["own_wage"] == "4590.00"


def _admin():
    from gongshang.accounts.choices import StaffRole
    from gongshang.accounts.tests.factories import StaffUserFactory

    return StaffUserFactory(roles=[StaffRole.BENEFITS_REVIEWER], jurisdiction="370200")


def test_each_item_uses_the_parameters_of_its_own_date(api_client, parameters):
    # injured 2025 (avg 8,000), appraisal 2026 (avg 8,400; min 2,300), terminated 2026
    got = post(api_client, {**BASE, "disability_grade": 5, "own_wage": "3000", "nursing_level": "partial",
                            "appraisal_date": "2026-02-01", "terminate_employment": True})
    by = items(got)
    used = got.json()["parameters_used"]
    assert got.json()["own_wage"] == "4800.00"  # 60% × 8,000 (injury year)
    assert by["nursing_allowance"]["amount"] == "2520.00"  # 30% × 8,400 (appraisal year)
    assert by["one_time_medical_subsidy"]["amount"] == "184800.00"  # 22 × 8,400 (termination = appraisal)
    assert used["avg_monthly_wage"]["applies_to"] == ["own_wage"] and used["avg_monthly_wage"]["on"] == "2025-06-01"
    assert used["avg_monthly_wage@nursing_allowance"]["value"] == "8400.00"
    assert used["avg_monthly_wage@nursing_allowance"]["applies_to"] == [
        "nursing_allowance", "one_time_medical_subsidy", "one_time_employment_subsidy"]
    assert used["min_wage"]["value"] == "2300.00" and used["min_wage"]["applies_to"] == ["disability_allowance"]


def test_death_items_use_the_year_of_death(api_client, parameters):
    body = {"region": "370200", "injury_date": "2025-10-01", "death_date": "2026-01-05", "kind": "death",
            "own_wage": "5000"}
    Parameter.objects.filter(kind="national_disposable_income", data_year=2025).delete()  # demo value removed
    missing = post(api_client, body)  # the 2025 national figure is not entered yet: named, not guessed
    assert missing.status_code == 422 and "2025 年全国城镇居民人均可支配收入" in missing.json()["message"]
    assert "国家统计局" in missing.json()["message"] and "待遇参数" in missing.json()["message"]
    parameter_add(actor=None, region="000000", kind="national_disposable_income", valid_from=date(2026, 1, 1),
                  value=D("56000"), data_year=2025, source="演示值", is_demo=True)
    got = post(api_client, body)
    by, used = items(got), got.json()["parameters_used"]
    assert by["funeral_subsidy"]["amount"] == "50400.00"  # 6 × 8,400 (in force in 2026)
    assert by["one_time_death_subsidy"]["amount"] == "1120000.00"  # 20 × 56,000 (2025 figure)
    assert used["avg_monthly_wage@funeral_subsidy"]["on"] == "2026-01-05"
    assert used["avg_monthly_wage"]["applies_to"] == ["own_wage"] and used["avg_monthly_wage"]["value"] == "8000.00"
    assert (used["national_disposable_income"]["data_year"], used["national_disposable_income"]["applies_to"]) == (
        2025, ["one_time_death_subsidy"])


def test_death_of_grade_1_to_4_after_leave_no_death_subsidy(api_client, parameters):
    by = items(post(api_client, {"region": "370200", "injury_date": "2025-03-10", "kind": "death",
                                 "own_wage": "5000", "disability_grade": 2,
                                 "dependants": [{"relation": "spouse"}]}))
    assert list(by) == ["funeral_subsidy", "dependant_pension"]


def test_own_wage_rounded_once_to_the_fen_half_up(api_client, parameters):
    got = post(api_client, {**BASE, "disability_grade": 1, "own_wage": "6000.005"})
    by = items(got)
    assert got.json()["own_wage"] == "6000.01"
    assert by["one_time_disability_subsidy"]["amount"] == "162000.27"  # 27 × 6,000.01
    assert by["one_time_disability_subsidy"]["formula"] == "6,000.01 × 27 个月"
    assert by["disability_allowance"]["formula"].startswith("6,000.01 × 90% = 5,400.01")
    assert yuan(D("0.125")) == "0.13" and yuan(D("2.665")) == "2.67"  # not banker's 0.12 / 2.66


@pytest.mark.parametrize("patch, field", [
    ({"own_wage": "1e-999999"}, "own_wage"), ({"own_wage": "0.99"}, "own_wage"), ({"own_wage": "0"}, "own_wage"),
    ({"own_wage": "1000001"}, "own_wage"), ({"own_wage": None, "monthly_wages": ["5000", "0.5"]}, "monthly_wages"),
    ({"parameters": {"avg_monthly_wage": "0.0001"}}, "parameters.avg_monthly_wage"),
    ({"parameters": {"min_wage": "0"}}, "parameters.min_wage"),
    ({"parameters": {"avg_monthly_wage": "100001"}}, "parameters.avg_monthly_wage"),
    ({"parameters": {"national_disposable_income": "Infinity"}}, "parameters.national_disposable_income"),
    ({"own_wage": "1e999999"}, "own_wage"),
])
def test_wages_and_parameters_at_least_one_yuan(api_client, parameters, patch, field):
    response = post(api_client, {**BASE, "disability_grade": 3, "own_wage": "6000", **patch})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == [field]


def test_occupational_disease_supplement_is_a_regional_parameter(api_client, parameters):
    body = {**BASE, "disability_grade": 10, "own_wage": "6000", "terminate_employment": True,
            "occupational_disease": True}
    got = post(api_client, body)
    assert items(got)["one_time_medical_subsidy"]["amount"] == "48000.00"  # 4 × 8,000 × 150% (Shandong)
    assert "职业病加发 50%" in items(got)["one_time_medical_subsidy"]["formula"]
    assert got.json()["parameters_used"]["occupational_disease_bonus"]["demo"] is True  # not confirmed: fictional
    parameter_add(actor=None, region="370200", kind="occupational_disease_bonus", valid_from=date(2026, 1, 1),
                  value=D("30"), source="演示：2026 年起加发 30%", is_demo=True)
    later = post(api_client, {**body, "injury_date": "2026-02-01"})
    assert items(later)["one_time_medical_subsidy"]["amount"] == "43680.00"  # 4 × 8,400 × 130%
    Parameter.objects.filter(kind="occupational_disease_bonus").delete()
    assert items(post(api_client, body))["one_time_medical_subsidy"]["amount"] == "32000.00"  # none set: no bonus


def test_veteran_old_injury_recurrence_gets_no_one_time_disability_subsidy(api_client, parameters):
    by = items(post(api_client, {**BASE, "disability_grade": 3, "own_wage": "6000", "veteran_recurrence": True}))
    assert list(by) == ["disability_allowance"]
