import re

import pytest

pytestmark = pytest.mark.django_db


def test_public_page_without_login(client, parameters):
    response = client.get("/benefits/calculator/")
    assert response.status_code == 200
    assert 'name="viewport"' in response.content.decode()


def test_page_calculates_with_basis_and_formula(client, parameters):
    response = client.post("/benefits/calculator/", {
        "region": "370200", "injury_date": "2025-03-10", "kind": "death", "own_wage": "6000",
        "dep_relation_0": "spouse", "dep_relation_1": "parent", "dep_lonely_1": "on"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1083760.00" in body and "第三十九条" in body and "6,000.00 × 40%" in body


def test_page_bad_input_shows_chinese_error_not_500(client, parameters):
    response = client.post("/benefits/calculator/", {"region": "370200", "injury_date": "2025-03-10",
                                                      "kind": "disability", "disability_grade": "3",
                                                      "monthly_wages": "abc"})
    assert response.status_code == 422
    assert "受伤前 12 个月缴费工资" in response.content.decode()
    response = client.post("/benefits/calculator/", {"region": "\x00", "injury_date": "x", "kind": "zzz"})
    assert response.status_code == 422


def test_missing_parameter_names_figure_publisher_and_way_forward(client, parameters):
    from gongshang.benefits.models import Parameter

    Parameter.objects.filter(kind="national_disposable_income", data_year=2024).delete()  # a production gap
    response = client.post("/benefits/calculator/", {"region": "370200", "injury_date": "2025-03-10",
                                                      "kind": "death", "own_wage": "6000"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "2024 年全国城镇居民人均可支配收入" in body  # the figure
    assert "国家统计局" in body  # who publishes it
    assert "“待遇参数”中录入" in body  # how to go on


def test_result_names_items_and_sources_without_codes_or_notes(client, parameters):
    response = client.post("/benefits/calculator/", {
        "region": "370200", "injury_date": "2025-03-10", "kind": "disability", "disability_grade": "5",
        "own_wage": "6000", "terminate_employment": "on", "occupational_disease": "on"})
    # what a reader sees of the result: tags (field names, data-code attributes) stripped
    body = re.sub(r"<[^>]+>", "", response.content.decode().split('id="result"')[1])
    assert response.status_code == 200 and "用于：本人工资" in body and "一次性工伤医疗补助金" in body
    for word in ("RULES.md", "seed", "own_wage", "one_time_medical_subsidy", "disability_allowance", "fund"):
        assert word not in body, word


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
def test_page_retirement_leave_and_fictional_demo_region(client, parameters):
    response = client.post("/benefits/calculator/", {
        "region": "370200", "injury_date": "2026-01-05", "kind": "disability", "disability_grade": "5",
        "own_wage": "6000", "terminate_employment": "on", "termination_date": "2026-12-01",
        "birth_date": "1969-03-10", "sex": "male", "leave_months": "3"})
    body = response.content.decode()
    assert response.status_code == 200, body
    assert "61 岁 1 个月" in body and "2030-04-10" in body  # statutory retirement (2024 decision)
    assert "110880.00" in body  # 22 × 8,400 × 60 %
    assert "停工留薪期工资福利" in body and "共 3 个月" in body
    assert "演示统筹区（虚构数据）" in body and "（2010年修订，国务院令第586号）" in body


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
def test_page_region_given_only_through_its_figures(client):
    # 420100: nothing stored; 七级 13 × 6,000 = 78,000; 医疗 10 × 9,000 = 90,000; 就业 12 × 9,000 = 108,000.
    form = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": "7",
            "own_wage": "6000", "terminate_employment": "on", "parameters.avg_monthly_wage": "9000",
            "parameters.min_wage": "2210", "parameters.medical_subsidy_months": "20,16,10,8,6,4",
            "parameters.employment_subsidy_months": "30，24，12，10，8，6"}
    response = client.post("/benefits/calculator/", form)
    body = response.content.decode()
    assert response.status_code == 200, body
    assert "78000.00" in body and "90000.00" in body and "108000.00" in body and "请求中指定" in body
    response = client.post("/benefits/calculator/", {**form, "parameters.medical_subsidy_months": "20,16"})
    assert response.status_code == 422
    assert "一次性工伤医疗补助金月数" in response.content.decode()


@pytest.mark.time_machine("2026-12-05 10:00 +08:00")
@pytest.mark.parametrize(("typed", "field"), [
    ({"parameters.medical_subsidy_months": "20,16,10"}, "一次性工伤医疗补助金月数"),
    ({"birth_date": "1968-03-10"}, "性别"),
], ids=["months_not_six", "birth_without_sex"])
def test_page_errors_carry_no_codes_or_json(client, typed, field):
    """A person typing three months, or a birth date without choosing 性别, read a JSON example
    ({"5": 22, …}) or the codes male/female: the messages now say it in words."""
    form = {"region": "420100", "injury_date": "2025-06-01", "kind": "disability", "disability_grade": "7",
            "own_wage": "6000", "terminate_employment": "on", "parameters.avg_monthly_wage": "9000",
            "parameters.min_wage": "2210", "parameters.medical_subsidy_months": "20,16,10,8,6,4",
            "parameters.employment_subsidy_months": "30,24,12,10,8,6", **typed}
    response = client.post("/benefits/calculator/", form)
    body = re.sub(r"<[^>]+>", "", response.content.decode())
    assert response.status_code == 422
    assert f"{field}：" in body
    for word in ('{"5"', "&quot;5&quot;", "male", "female"):
        assert word not in body, word
