"""POST /api/v1/benefits/calculate: public, amounts as strings to the fen, 422 naming fields."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

URL = "/api/v1/benefits/calculate"
pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_disability_grade_3_with_nursing(api_client, parameters):
    body = {"region": "370200", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 3,
            "nursing_level": "most", "monthly_wages": ["6000"] * 12, "terminate_employment": False, "dependants": []}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["own_wage"] == "6000.00"
    items = {i["code"]: i for i in data["items"]}
    assert items["one_time_disability_subsidy"]["amount"] == "138000.00"  # 23 × 6,000
    assert items["disability_allowance"]["amount"] == "4800.00"  # 80%
    assert items["nursing_allowance"]["amount"] == "3200.00"  # 40% × 8,000 (2025 demo)
    assert items["disability_allowance"]["period"] == "monthly" and items["disability_allowance"]["payer"] == "fund"
    assert "第三十五条" in items["one_time_disability_subsidy"]["basis"]
    assert data["parameters_used"]["avg_monthly_wage"]["value"] == "8000.00"
    assert data["parameters_used"]["avg_monthly_wage"]["demo"] is True


def test_death_2025_uses_2024_national_income(api_client, parameters):
    body = {"region": "370200", "injury_date": "2025-03-10", "kind": "death", "own_wage": 6000,
            "dependants": [{"relation": "spouse", "orphan_or_lonely_elderly": False},
                           {"relation": "child", "orphan_or_lonely_elderly": True}]}
    data = post(api_client, body).json()
    amounts = [(i["code"], i["amount"]) for i in data["items"]]
    assert amounts == [("funeral_subsidy", "48000.00"), ("dependant_pension", "2400.00"),
                       ("dependant_pension", "2400.00"), ("one_time_death_subsidy", "1083760.00")]
    assert data["parameters_used"]["national_disposable_income"]["data_year"] == 2024


def test_grade_7_termination_in_2026(api_client, parameters):
    body = {"region": "370200", "injury_date": "2026-02-01", "kind": "disability", "disability_grade": 7,
            "monthly_wages": [3000, 3000], "terminate_employment": True}
    data = post(api_client, body).json()
    assert data["own_wage"] == "5040.00"  # floor: 60% × 8,400
    items = {i["code"]: i["amount"] for i in data["items"]}
    assert items == {"one_time_disability_subsidy": "65520.00",  # 13 × 5,040
                     "one_time_medical_subsidy": "109200.00",  # 13 × 8,400
                     "one_time_employment_subsidy": "134400.00"}  # 16 × 8,400


def test_overrides_are_reported(api_client, parameters):
    body = {"region": "999999", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 10,
            "own_wage": "5000", "parameters": {"avg_monthly_wage": "5000", "min_wage": "1800"}}
    data = post(api_client, body).json()
    assert data["parameters_used"]["avg_monthly_wage"]["source"] == "请求中指定"
    assert data["items"][0]["amount"] == "35000.00"


@pytest.mark.parametrize("body,field", [
    ({"disability_grade": 11}, "disability_grade"),
    ({"disability_grade": "abc"}, "disability_grade"),
    ({"kind": "injury"}, "kind"),
    ({"injury_date": "2025-13-01"}, "injury_date"),
    ({"injury_date": "2099-01-01"}, "injury_date"),
    ({"region": "37"}, "region"),
    ({"monthly_wages": ["x"]}, "monthly_wages"),
    ({"monthly_wages": [1] * 13}, "monthly_wages"),
    ({"monthly_wages": None, "own_wage": None}, "monthly_wages"),
    ({"own_wage": -5, "monthly_wages": None}, "own_wage"),
    ({"nursing_level": "some"}, "nursing_level"),
    ({"dependants": [{"relation": "cousin"}]}, "dependants[0]"),
    ({"dependants": "spouse"}, "dependants"),
    ({"terminate_employment": "yes"}, "terminate_employment"),
    ({"parameters": {"min_wage": "abc"}}, "parameters.min_wage"),
    ({"region": "999999"}, "region"),
])
def test_bad_input_422_names_the_field(api_client, parameters, body, field):
    base = {"region": "370200", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 3,
            "monthly_wages": ["6000"]}
    response = post(api_client, {**base, **body})
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "validation_error"
    assert field in [d["field"] for d in data["details"]]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["details"][0]["message"])


def test_not_json_is_not_a_500(api_client):
    response = api_client.post(URL, "{", content_type="application/json")
    assert response.status_code in (400, 422)
    response = api_client.post(URL, "[1]", content_type="application/json")
    assert response.status_code in (400, 422)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                              children, max_size=3),
                           max_leaves=8)
KEYS = ["region", "injury_date", "kind", "disability_grade", "nursing_level", "monthly_wages", "own_wage",
        "terminate_employment", "dependants", "parameters", "occupational_disease"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=11))
def test_fuzz_never_500(api_client, parameters, body):
    response = api_client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400, 422), response.content


WUHAN = {"avg_monthly_wage": "9000", "min_wage": "2210",
         "medical_subsidy_months": {"5": 20, "6": 16, "7": 10, "8": 8, "9": 6, "10": 4},
         "employment_subsidy_months": {"5": 30, "6": 24, "7": 12, "8": 10, "9": 8, "10": 6}}


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
@pytest.mark.parametrize("reduction", [
    {"years": "abc", "step_percent": 20},
    {"years": 5, "step_percent": 0},
    {"years": 5, "step_percent": "NaN"},
    {"years": [5], "step_percent": 20},
    {"years": 5, "step_percent": 20, "applies_to": []},
], ids=["years_text", "step_zero", "step_nan", "years_list", "applies_to_empty"])
def test_bad_retirement_reduction_values_are_422_naming_the_field(api_client, reduction):
    body = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "6000", "terminate_employment": True, "birth_date": "1968-03-10", "sex": "male",
            "parameters": {**WUHAN, "retirement_reduction": reduction}}
    response = post(api_client, body)
    assert response.status_code == 422, response.content
    details = {d["field"]: d["message"] for d in response.json()["details"]}
    assert "parameters.retirement_reduction" in details
    assert re.search(r"[\u4e00-\u9fff]", details["parameters.retirement_reduction"])


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
def test_2003_own_wage_cites_article_61_paragraph_3(api_client):
    """国务院令第586号 item 二十三 deleted the first paragraph of the 2003 第六十一条 (职工, 工资总额,
    本人工资): the 60 %–300 % rule of 2003 is 第六十一条第三款 (today's 第六十四条第二款)."""
    body = {"region": "420100", "injury_date": "2010-06-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "6000", "parameters": WUHAN}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    basis = response.json()["own_wage_detail"]["basis"]
    assert "第六十一条第三款" in basis and "第六十一条第二款" not in basis


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
def test_total_monthly_does_not_add_leave_pay_to_the_disability_allowance(api_client):
    """停工留薪期 pay (employer, during the period) and 伤残津贴 (fund, after it) are never paid in the
    same month: the monthly total is the 伤残津贴 alone; the leave pay is shown apart."""
    body = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 3,
            "own_wage": "6000", "leave_months": 6, "parameters": WUHAN}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    data = response.json()
    got = {i["code"]: i for i in data["items"]}
    assert got["leave_pay"]["amount"] == "6000.00" and got["disability_allowance"]["amount"] == "4800.00"
    assert data["total_monthly"] == "4800.00"
    assert data["total_leave_monthly"] == "6000.00"
    assert "停工留薪期内按月" in data["total_monthly_formula"]


ZHEJIANG_REQUEST = {"region": "330100", "injury_date": "2025-01-10", "kind": "disability", "disability_grade": 7,
                    "own_wage": "6000", "terminate_employment": True, "termination_date": "2025-06-30",
                    "parameters": {"avg_monthly_wage": "8000", "province_avg_monthly_wage": "9000",
                                   "min_wage": "2200"}}


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
@pytest.mark.parametrize("region", ["33010\uff10", "\uff13\uff13\uff10\uff11\uff10\uff10", "33010\u00b2",
                                    "33010\u0660"], ids=["fullwidth_0", "all_fullwidth", "superscript", "arabic_indic"])
def test_region_with_non_ascii_digits_is_422(api_client, region):
    """str.isdigit() accepts full-width, superscript and other scripts' digits: "33010０" took the
    Zhejiang tables (first two characters "33") and answered 200 with a code no 统筹区 has."""
    response = post(api_client, {**ZHEJIANG_REQUEST, "region": region})
    assert response.status_code == 422, response.content
    details = {d["field"]: d["message"] for d in response.json()["details"]}
    assert "6 位统筹区代码" in details["region"]


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
def test_birth_date_after_the_injury_is_422(api_client):
    """A worker cannot be born after the injury: the retirement date computed from such a birth
    date paid the termination subsidies in full without a word."""
    response = post(api_client, {**ZHEJIANG_REQUEST, "birth_date": "2025-01-11", "sex": "male"})
    assert response.status_code == 422, response.content
    details = {d["field"]: d["message"] for d in response.json()["details"]}
    assert details["birth_date"].startswith("出生日期：") and "受伤" in details["birth_date"]
