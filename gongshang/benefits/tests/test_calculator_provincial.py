"""POST /api/v1/benefits/calculate with the provincial tables read from official texts
(rules/provincial.py): 《河南省工伤保险条例》（2007-05-31 通过，2007-10-01 施行，文本
LawRefBook/Laws@2f4c5c2 …/河南省工伤保险条例(2007-06-01).md） and 《浙江省工伤保险条例》（2017-09-30
通过，2020-09-24 修正，2018-01-01 施行，…/浙江省工伤保险条例(2020-09-24).md）. Lookup order: the
request's `parameters`, then the 统筹区's stored row, then the province's table on the termination
date. Every average wage here is a test figure given in the request (none is stored in code).
Worked by hand in each docstring."""

from datetime import date
from decimal import Decimal as D

import pytest

from gongshang.benefits.services.parameters import parameter_add

URL = "/api/v1/benefits/calculate"
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00 +08:00")]
HENAN = {"avg_monthly_wage": "7000", "min_wage": "2000"}  # test figures
ZHEJIANG = {"avg_monthly_wage": "8000", "province_avg_monthly_wage": "9000", "min_wage": "2200"}  # test figures


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def henan(**extra):
    body = {"region": "410100", "injury_date": "2025-01-10", "kind": "disability", "disability_grade": 7,
            "own_wage": "6000", "terminate_employment": True, "termination_date": "2025-06-30",
            "parameters": dict(HENAN)}
    body.update(extra)
    return body


def zhejiang(**extra):
    body = {"region": "330100", "injury_date": "2025-01-10", "kind": "disability", "disability_grade": 5,
            "own_wage": "5000", "terminate_employment": True, "termination_date": "2025-06-30",
            "parameters": dict(ZHEJIANG)}
    body.update(extra)
    return body


def amounts(response):
    return {i["code"]: i["amount"] for i in response.json()["items"]}


def by_code(response):
    return {i["code"]: i for i in response.json()["items"]}


def test_henan_grade_7_uses_the_provincial_tables(api_client):
    """《河南省工伤保险条例》（2007年，2007-10-01 施行）第二十七条第一款: base 统筹地区上年度职工月平均工资
    (7,000 given); 七级 一次性工伤医疗补助金 12 个月 = 84,000.00, 一次性伤残就业补助金 36 个月 =
    252,000.00; 一次性伤残补助金 (条例 第三十七条) 13 × 6,000 = 78,000.00."""
    response = post(api_client, henan())
    assert response.status_code == 200, response.content
    assert amounts(response) == {"one_time_disability_subsidy": "78000.00", "one_time_medical_subsidy": "84000.00",
                                 "one_time_employment_subsidy": "252000.00"}
    data = response.json()
    used = data["parameters_used"]
    for kind in ("medical_subsidy_months", "employment_subsidy_months"):
        assert used[kind]["demo"] is False and used[kind]["valid_from"] == "2007-10-01"
        assert used[kind]["source"].startswith("《河南省工伤保险条例》（2007年5月31日")
        assert "第二十七条第一款" in used[kind]["source"] and "其后是否修改未核对" in used[kind]["source"]
        assert used[kind]["document"] == {
            "repository": "LawRefBook/Laws", "commit": "2f4c5c23716267af9dbebbbbd6cbbf732b101981",
            "path": "DLC/河南地方法规/地方性法规/河南/河南省工伤保险条例(2007-06-01).md"}
    assert used["medical_subsidy_months"]["table"]["7"] == 12 and used["employment_subsidy_months"]["table"]["7"] == 36
    assert data["demo"] is False
    medical = by_code(response)["one_time_medical_subsidy"]
    assert medical["formula"] == "统筹地区上年度职工月平均工资 7,000.00 × 12 个月"
    assert "《河南省工伤保险条例》第二十七条第一款：七级 12 个月" in medical["basis"]


def test_henan_occupational_disease_adds_30_percent_to_the_medical_subsidy(api_client):
    """《河南省工伤保险条例》（2007年）第二十七条第一款: 患职业病的，一次性工伤医疗补助金增发 30%:
    84,000 × 130 % = 109,200.00; the employment subsidy unchanged, 252,000.00."""
    response = post(api_client, henan(occupational_disease=True))
    assert response.status_code == 200, response.content
    got = amounts(response)
    assert got["one_time_medical_subsidy"] == "109200.00" and got["one_time_employment_subsidy"] == "252000.00"
    bonus = response.json()["parameters_used"]["occupational_disease_bonus"]
    assert (bonus["value"], bonus["demo"], bonus["valid_from"]) == ("30.00", False, "2007-10-01")
    assert "职业病加发 30%" in by_code(response)["one_time_medical_subsidy"]["formula"]


def test_henan_three_whole_years_left_employment_at_60_percent(api_client):
    """《河南省工伤保险条例》（2007年）第二十七条第二款: 距正常退休年龄不足五年的，每减少一年，一次性伤残
    就业补助金递减 20%. Man born 1968-03-10 → statutory retirement 2029-01-10 (60 岁 10 个月);
    termination 2025-06-30 → 3 whole years left → 60 %: 252,000 × 60 % = 151,200.00; the medical
    subsidy is not reduced: 84,000.00."""
    response = post(api_client, henan(birth_date="1968-03-10", sex="male"))
    assert response.status_code == 200, response.content
    got = amounts(response)
    assert got["one_time_medical_subsidy"] == "84000.00" and got["one_time_employment_subsidy"] == "151200.00"
    formula = by_code(response)["one_time_employment_subsidy"]["formula"]
    assert formula.startswith("统筹地区上年度职工月平均工资 7,000.00 × 36 个月 × 60%（距法定退休年龄")
    assert "《河南省工伤保险条例》第二十七条第二款：距正常退休年龄不足五年的" in formula
    rule = response.json()["parameters_used"]["retirement_reduction"]
    assert rule["applies_to"] == ["one_time_employment_subsidy"] and rule["demo"] is False
    assert rule["text"] == "距法定退休年龄不足 5 整年的，一次性伤残就业补助金每少一整年递减 20%；不足一年的按 10% 支付"


def test_henan_under_one_year_left_employment_at_10_percent(api_client):
    """《河南省工伤保险条例》（2007年）第二十七条第二款: 距正常退休年龄不足一年的按 10% 支付. Man born
    1965-09-10 → retirement 2025-12-10 (60 岁 3 个月); termination 2025-06-30 → 0 whole years →
    252,000 × 10 % = 25,200.00; medical in full 84,000.00."""
    response = post(api_client, henan(birth_date="1965-09-10", sex="male"))
    assert response.status_code == 200, response.content
    assert response.json()["retirement"]["date"] == "2025-12-10"
    got = amounts(response)
    assert got["one_time_medical_subsidy"] == "84000.00" and got["one_time_employment_subsidy"] == "25200.00"
    assert "× 10%（" in by_code(response)["one_time_employment_subsidy"]["formula"]


def test_zhejiang_grade_5_province_average_employment_reduced_medical_not(api_client):
    """《浙江省工伤保险条例》（2017年通过，2020-09-24 修正，2018-01-01 施行）第二十七条第二款: both subsidies
    on 上年度全省职工月平均工资 (9,000 given; the 统筹区's 8,000 is only the 本人工资 bound), 五级 30 个月
    each = 270,000.00; 离法定退休年龄不足五年的，一次性伤残就业补助金每增加一周岁递减 20%: man born
    1967-03-10 → retirement 2027-10-10 (60 岁 7 个月), five years remain from 2022-10-10 (55 周岁);
    termination 2025-06-30 at 58 周岁 → 3 周岁 gained → 40 %: 108,000.00; the medical subsidy in
    full. 一次性伤残补助金 18 × 5,000 = 90,000.00."""
    response = post(api_client, zhejiang(birth_date="1967-03-10", sex="male"))
    assert response.status_code == 200, response.content
    assert amounts(response) == {"one_time_disability_subsidy": "90000.00", "one_time_medical_subsidy": "270000.00",
                                 "one_time_employment_subsidy": "108000.00"}
    got = by_code(response)
    assert got["one_time_medical_subsidy"]["formula"] == "上年度全省职工月平均工资 9,000.00 × 30 个月"
    assert got["one_time_employment_subsidy"]["formula"].startswith(
        "上年度全省职工月平均工资 9,000.00 × 30 个月 × 40%（解除或终止劳动关系时 58 周岁，距法定退休年龄 60 岁 7 个月"
        "（2027 年 10 月） 不足 5 年，比不足 5 年之日（2022-10-10，55 周岁）增加 3 周岁；")
    assert "《浙江省工伤保险条例》第二十七条第二款：职工离法定退休年龄不足五年的" in got[
        "one_time_employment_subsidy"]["formula"]
    used = response.json()["parameters_used"]
    assert used["province_avg_monthly_wage"]["applies_to"] == ["one_time_medical_subsidy",
                                                               "one_time_employment_subsidy"]
    assert used["avg_monthly_wage"]["applies_to"] == ["own_wage"]
    assert used["medical_subsidy_months"]["valid_from"] == "2018-01-01"
    assert "2017年公布的文本未比对" in used["medical_subsidy_months"]["source"]


def test_zhejiang_last_year_before_retirement_still_pays_20_percent(api_client):
    """《浙江省工伤保险条例》（2020 修正）第二十七条第二款 counts 周岁 gained: a man born 1964-07-01
    retires at 60 on 2024-07-01; a termination on 2024-01-01 (59 周岁 6 个月, four 周岁 gained since
    55) pays 20 % of the employment subsidy: 30 × 9,000 × 20 % = 54,000.00 (whole years left, 0,
    would have paid nothing)."""
    response = post(api_client, zhejiang(injury_date="2023-06-01", termination_date="2024-01-01",
                                         birth_date="1964-07-01", sex="male"))
    assert response.status_code == 200, response.content
    assert amounts(response)["one_time_employment_subsidy"] == "54000.00"
    rule = response.json()["parameters_used"]["retirement_reduction"]
    assert rule["table"] == {"years": 5, "step_percent": "20", "by_age": True}


def test_zhejiang_occupational_disease_not_supplemented(api_client):
    """《浙江省工伤保险条例》（2020 修正）第二十七条 sets no occupational-disease supplement: the medical
    subsidy stays 30 × 9,000 = 270,000.00, and the list of parameters says why."""
    response = post(api_client, zhejiang(occupational_disease=True))
    assert response.status_code == 200, response.content
    assert amounts(response)["one_time_medical_subsidy"] == "270000.00"
    bonus = response.json()["parameters_used"]["occupational_disease_bonus"]
    assert bonus["value"] == "0.00" and "未规定职业病加发" in bonus["text"]


def test_zhejiang_without_the_province_average_names_it_and_its_publisher(api_client):
    """《浙江省工伤保险条例》（2020 修正）第二十七条第二款: the base is the whole province's average; without
    it (the 统筹区's is given) the answer is 422 naming it and who publishes it."""
    response = post(api_client, zhejiang(parameters={"avg_monthly_wage": "8000", "min_wage": "2200"}))
    assert response.status_code == 422
    message = response.json()["message"]
    assert "上年度全省职工月平均工资" in message and "浙江省统计局" in message


def test_zhejiang_termination_before_2018_has_no_provincial_table(api_client):
    """《浙江省工伤保险条例》第四十条: in force 2018-01-01. A termination on 2017-12-31 finds no Zhejiang
    table: with nothing stored and nothing given the month tables are missing (422 naming them)."""
    body = zhejiang(injury_date="2016-05-01", termination_date="2017-12-31")
    response = post(api_client, body)
    assert response.status_code == 422
    message = response.json()["message"]
    assert "一次性工伤医疗补助金月数" in message and "一次性伤残就业补助金月数" in message
    assert "全省" not in message  # before the 条例, the base is the 统筹区 average (given)


def test_request_parameters_win_over_the_provincial_table(api_client):
    """Lookup order: the request's table first. Henan 七级 with a requested 一次性工伤医疗补助金 table
    (七级 20 个月): 20 × 7,000 = 140,000.00 ("请求中指定"); the employment subsidy still from
    《河南省工伤保险条例》（2007年）第二十七条第一款: 36 × 7,000 = 252,000.00."""
    table = {"5": 30, "6": 25, "7": 20, "8": 15, "9": 10, "10": 5}
    response = post(api_client, henan(parameters={**HENAN, "medical_subsidy_months": table}))
    assert response.status_code == 200, response.content
    got = amounts(response)
    assert got["one_time_medical_subsidy"] == "140000.00" and got["one_time_employment_subsidy"] == "252000.00"
    used = response.json()["parameters_used"]
    assert used["medical_subsidy_months"]["source"] == "请求中指定"
    assert "河南省工伤保险条例" in used["employment_subsidy_months"]["source"]
    assert "本统筹区七级 20 个月" in by_code(response)["one_time_medical_subsidy"]["basis"]


def test_request_reduction_wins_over_the_provincial_rule(api_client):
    """A rule in the request replaces 《河南省工伤保险条例》（2007年）第二十七条第二款: {years 5, step 20}
    reduces both subsidies (the request's default), 3 whole years left → 60 %: medical
    84,000 × 60 % = 50,400.00, employment 252,000 × 60 % = 151,200.00."""
    body = henan(birth_date="1968-03-10", sex="male",
                 parameters={**HENAN, "retirement_reduction": {"years": 5, "step_percent": 20}})
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    got = amounts(response)
    assert got["one_time_medical_subsidy"] == "50400.00" and got["one_time_employment_subsidy"] == "151200.00"
    assert response.json()["parameters_used"]["retirement_reduction"]["source"] == "请求中指定"


def test_staff_entered_row_wins_over_the_provincial_table(api_client):
    """Lookup order: a stored row of the 统筹区 (entered by staff) before the province's table. A test
    row for 410100 sets 七级 一次性伤残就业补助金 30 个月: 30 × 7,000 = 210,000.00; the medical subsidy
    from 《河南省工伤保险条例》（2007年）第二十七条第一款: 84,000.00."""
    parameter_add(actor=None, region="410100", kind="employment_subsidy_months", valid_from=date(2025, 1, 1),
                  value=None, table={"5": 50, "6": 40, "7": 30, "8": 20, "9": 12, "10": 6}, data_year=None,
                  source="测试用的统筹区录入值", is_demo=False)
    response = post(api_client, henan())
    assert response.status_code == 200, response.content
    got = amounts(response)
    assert got["one_time_employment_subsidy"] == "210000.00" and got["one_time_medical_subsidy"] == "84000.00"
    used = response.json()["parameters_used"]["employment_subsidy_months"]
    assert used["source"] == "测试用的统筹区录入值" and used["id"] is not None


def test_staff_entered_province_average_is_read_for_zhejiang(api_client):
    """《浙江省工伤保险条例》（2020 修正）第二十七条第二款: the province average may be a stored row of the
    统筹区 (kind 上年度全省职工月平均工资; 9,500 is a test figure): 五级 30 × 9,500 = 285,000.00 each."""
    parameter_add(actor=None, region="330100", kind="province_avg_monthly_wage", valid_from=date(2025, 1, 1),
                  value=D("9500"), table=None, data_year=None, source="测试用的全省平均工资", is_demo=False)
    response = post(api_client, zhejiang(parameters={"avg_monthly_wage": "8000", "min_wage": "2200"}))
    assert response.status_code == 200, response.content
    got = amounts(response)
    assert got["one_time_medical_subsidy"] == "285000.00" and got["one_time_employment_subsidy"] == "285000.00"


def test_henan_2009_death_uses_54_months(api_client):
    """《河南省工伤保险条例》（2007年）第二十九条: 一次性工亡补助金 54 个月的统筹地区上年度职工月平均工资,
    within the 48-60 months of the 2003 条例 第三十七条; a 2009 death: 54 × 3,000 = 162,000.00 (test
    average). From 2011 the 2010 条例 第三十九条 (20 × national income) applies instead."""
    body = {"region": "410100", "injury_date": "2009-08-20", "kind": "death", "own_wage": "3000",
            "parameters": {"avg_monthly_wage": "3000"}}
    response = post(api_client, body)
    assert response.status_code == 200, response.content
    assert amounts(response)["one_time_death_subsidy"] == "162000.00"
    used = response.json()["parameters_used"]["death_subsidy_months"]
    assert used["value"] == "54" and "第二十九条" in used["source"] and used["valid_to"] == "2010-12-31"
    later = post(api_client, {**body, "injury_date": "2011-03-01", "parameters": {
        "avg_monthly_wage": "3000", "national_disposable_income": "19109"}})
    assert later.status_code == 200, later.content
    assert amounts(later)["one_time_death_subsidy"] == "382180.00"  # 20 × 19,109 (test figure)
    assert "death_subsidy_months" not in later.json()["parameters_used"]


def test_henan_death_before_the_provincial_text_still_needs_the_months(api_client):
    """《河南省工伤保险条例》第四十七条: in force 2007-10-01. A death on 2007-09-30 has no provincial
    number: the 48-60 months must be given (422 naming parameters.death_subsidy_months)."""
    body = {"region": "410100", "injury_date": "2007-09-30", "kind": "death", "own_wage": "3000",
            "parameters": {"avg_monthly_wage": "3000"}}
    response = post(api_client, body)
    assert response.status_code == 422
    assert "parameters.death_subsidy_months" in {d["field"] for d in response.json()["details"]}


def test_calculator_page_shows_the_provincial_source_in_chinese(client):
    """The page (same service): a Zhejiang 五级 termination with the province average typed in shows
    《浙江省工伤保险条例》…第二十七条第二款 as the source of the month tables (2018-01-01 起)."""
    response = client.post("/benefits/calculator/", {
        "region": "330100", "injury_date": "2025-01-10", "kind": "disability", "disability_grade": "5",
        "own_wage": "5000", "terminate_employment": "on", "termination_date": "2025-06-30",
        "parameters.avg_monthly_wage": "8000", "parameters.province_avg_monthly_wage": "9000",
        "parameters.min_wage": "2200"})
    body = response.content.decode()
    assert response.status_code == 200, body
    assert "270000.00" in body and "上年度全省职工月平均工资 9,000.00 × 30 个月" in body
    assert "第二十七条第二款（地方性法规官方文本" in body and "2018-01-01 起" in body
    assert "距法定退休年龄不足 5 年的，一次性伤残就业补助金自不足 5 年之日起，职工每增加一周岁递减 20%" in body
    assert "years" not in body and "step_percent" not in body


def test_retired_at_the_termination_needs_no_termination_figures(api_client):
    """A man born 1960-01-01 reached 60 on 2020-01-01: leaving on 2025-06-30 he gets neither
    termination subsidy, so neither the province average (Zhejiang) nor a month table (420100, none
    stored) may be demanded: 200 with 一次性伤残补助金 13 × 6,000 = 78,000.00 and the note."""
    zj = zhejiang(disability_grade=7, own_wage="6000", birth_date="1960-01-01", sex="male",
                  parameters={"avg_monthly_wage": "8000", "min_wage": "2200"})
    wuhan = {**zj, "region": "420100"}
    for body in (zj, wuhan):
        response = post(api_client, body)
        assert response.status_code == 200, response.content
        data = response.json()
        assert amounts(response) == {"one_time_disability_subsidy": "78000.00"}
        assert any("已达到法定退休年龄" in note for note in data["notes"])
        assert "province_avg_monthly_wage" not in data["parameters_used"]
        assert "medical_subsidy_months" not in data["parameters_used"]
