"""POST /api/v1/benefits/calculate: the 条例 version by date, a region known only through
`parameters`, the statutory retirement date and the near-retirement rule, 停工留薪期 pay, the
fictional demo region. Every figure worked by hand in the comments."""

import pytest

URL = "/api/v1/benefits/calculate"
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00 +08:00")]
# A 统筹区 with nothing stored (e.g. 武汉 420100): every figure given in the request, each as the
# requester states it (these are test figures, not Hubei's).
WUHAN = {"avg_monthly_wage": "9000", "min_wage": "2210",
         "medical_subsidy_months": {"5": 20, "6": 16, "7": 10, "8": 8, "9": 6, "10": 4},
         "employment_subsidy_months": {"5": 30, "6": 24, "7": 12, "8": 10, "9": 8, "10": 6}}


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def items(response):
    return {i["code"]: i for i in response.json()["items"]}


def test_region_supplied_only_through_parameters(api_client):
    body = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "6000", "terminate_employment": True, "parameters": WUHAN}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    got = items(response)
    assert got["one_time_disability_subsidy"]["amount"] == "78000.00"  # 13 × 6,000 (第三十七条)
    assert got["one_time_medical_subsidy"]["amount"] == "90000.00"  # 10 × 9,000
    assert got["one_time_employment_subsidy"]["amount"] == "108000.00"  # 12 × 9,000
    used = response.json()["parameters_used"]
    assert used["medical_subsidy_months"]["source"] == "请求中指定"
    assert used["medical_subsidy_months"]["table"]["7"] == 10
    assert response.json()["demo"] is False


def test_region_without_tables_still_names_what_is_missing(api_client):
    body = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "6000", "terminate_employment": True,
            "parameters": {"avg_monthly_wage": "9000", "min_wage": "2210"}}
    response = post(api_client, body)
    assert response.status_code == 422
    assert "一次性工伤医疗补助金月数" in response.json()["message"]


@pytest.mark.parametrize(("table", "field"), [
    ({"5": 20}, "parameters.medical_subsidy_months"),
    ({"5": 20, "6": 16, "7": 10, "8": 8, "9": 6, "10": "x"}, "parameters.medical_subsidy_months"),
    ("22", "parameters.medical_subsidy_months"),
])
def test_bad_month_table_is_422(api_client, table, field):
    body = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "6000", "terminate_employment": True, "parameters": {**WUHAN, "medical_subsidy_months": table}}
    response = post(api_client, body)
    assert response.status_code == 422
    assert field in {d["field"] for d in response.json()["details"]}


def test_unknown_parameter_is_422(api_client):
    body = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 10,
            "own_wage": "6000", "parameters": {**WUHAN, "bonus": 1}}
    assert post(api_client, body).status_code == 422


def test_2010_injury_uses_the_2003_version(api_client):
    # 七级 2003 第三十五条: 12 × 4,000 = 48,000 (not 13 months).
    body = {"region": "420100", "injury_date": "2010-06-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "4000", "parameters": {"avg_monthly_wage": "3000", "min_wage": "900"}}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    assert items(response)["one_time_disability_subsidy"]["amount"] == "48000.00"
    data = response.json()
    assert data["regime"]["title"] == "《工伤保险条例》（2003年，国务院令第375号）"
    assert data["own_wage_detail"]["basis"] == "《工伤保险条例》（2003年，国务院令第375号）第六十一条第三款"


def test_2010_death_uses_months_of_the_regional_average(api_client):
    # 2003 第三十七条: 统筹地区 sets 48-60 months; 52 × 3,000 = 156,000; funeral 6 × 3,000 = 18,000;
    # spouse 40 % × 3,000 = 1,200.
    body = {"region": "420100", "injury_date": "2010-08-20", "kind": "death", "own_wage": "3000",
            "dependants": [{"relation": "spouse"}],
            "parameters": {"avg_monthly_wage": "3000", "death_subsidy_months": "52"}}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    got = items(response)
    assert got["one_time_death_subsidy"]["amount"] == "156000.00"
    assert got["funeral_subsidy"]["amount"] == "18000.00"
    assert got["dependant_pension"]["amount"] == "1200.00"
    assert "national_disposable_income" not in response.json()["parameters_used"]


def test_2010_death_without_months_names_the_parameter(api_client):
    body = {"region": "420100", "injury_date": "2010-08-20", "kind": "death", "own_wage": "3000",
            "parameters": {"avg_monthly_wage": "3000"}}
    response = post(api_client, body)
    assert response.status_code == 422
    assert "parameters.death_subsidy_months" in {d["field"] for d in response.json()["details"]}


def test_before_2004_refused_naming_the_rule(api_client, parameters):
    body = {"region": "370200", "injury_date": "2003-05-01", "kind": "disability", "disability_grade": 7,
            "own_wage": "3000"}
    response = post(api_client, body)
    assert response.status_code == 422
    detail = {d["field"]: d["message"] for d in response.json()["details"]}
    assert "劳部发〔1996〕266号" in detail["injury_date"]


def test_worker_three_years_from_retirement_in_the_demo_region(api_client, parameters):
    # Man born 1969-03-10: month 50 of the schedule → 50 // 4 + 1 = 13 → 61 岁 1 个月, 2030-04-10.
    # Termination 2026-12-01: 3 whole years left → Shandong rule (unconfirmed, demo): 60 %.
    # 五级 (terminated, so no 伤残津贴): 18 × 6,000 = 108,000; 医疗 22 × 8,400 × 60 % = 110,880;
    # 就业 36 × 8,400 × 60 % = 181,440 (2026 demo average 8,400).
    body = {"region": "370200", "injury_date": "2026-01-05", "kind": "disability", "disability_grade": 5,
            "own_wage": "6000", "terminate_employment": True, "termination_date": "2026-12-01",
            "birth_date": "1969-03-10", "sex": "male"}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    got = {code: i["amount"] for code, i in items(response).items()}
    assert got == {"one_time_disability_subsidy": "108000.00", "one_time_medical_subsidy": "110880.00",
                   "one_time_employment_subsidy": "181440.00"}
    data = response.json()
    assert data["retirement"]["date"] == "2030-04-10" and data["retirement"]["delay_months"] == 13
    assert data["parameters_used"]["retirement_reduction"]["demo"] is True
    assert data["demo"] is True and any("虚构" in n for n in data["notes"])


def test_after_retirement_no_termination_subsidies(api_client, parameters):
    body = {"region": "370200", "injury_date": "2026-01-05", "kind": "disability", "disability_grade": 8,
            "own_wage": "6000", "terminate_employment": True, "termination_date": "2026-12-01",
            "birth_date": "1971-01-10", "sex": "female"}  # 女工人: 1971 < 1975 → 50, reached 2021-01-10
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    assert set(items(response)) == {"one_time_disability_subsidy"}
    assert any("已达到法定退休年龄" in n for n in response.json()["notes"])


def test_leave_pay(api_client, parameters):
    body = {"region": "370200", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 9,
            "own_wage": "6000", "leave_months": 6, "leave_extension_months": 3, "leave_extension_confirmed": True,
            "original_wage": "7000"}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    leave = items(response)["leave_pay"]
    assert (leave["amount"], leave["payer"], leave["period"], leave["months"]) == ("7000.00", "employer", "monthly", 9)


@pytest.mark.parametrize(("extra", "field"), [
    ({"leave_months": 13}, "leave_months"),
    ({"leave_months": 6, "leave_extension_months": 3}, "leave_extension_confirmed"),
    ({"birth_date": "1970-13-01", "sex": "male"}, "birth_date"),
    ({"birth_date": "1970-01-01", "sex": "m"}, "sex"),
    ({"birth_date": "1970-01-01", "sex": "male", "original_retirement_age": 55}, "original_retirement_age"),
])
def test_bad_new_fields_are_422(api_client, parameters, extra, field):
    body = {"region": "370200", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": 9,
            "own_wage": "6000", **extra}
    response = post(api_client, body)
    assert response.status_code == 422
    assert field in {d["field"] for d in response.json()["details"]}
