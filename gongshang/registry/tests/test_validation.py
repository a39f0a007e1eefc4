"""Normalising one roster change (registry/validation.py): no database.

clean_change_input never raises; it returns cleaned values and every (field, message) problem.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongshang.registry.validation import FIELD_LABELS, clean_change_input, parse_month

ID = "370202198803151237"
ID_BAD_CHECK = "370202198803151238"
ID_WITH_X = "37020219900101004X"

def raw(**overrides):
    data = {"kind": "add_new", "insurance_type": "injury", "effective_month": "2026-11", "id_number": ID,
            "name": "张伟"}
    data.update(overrides)
    return data


def fields(errors):
    return [field for field, _message in errors]


# --- codes and labels ------------------------------------------------------------------------

def test_codes_accepted_and_cleaned_exactly():
    cleaned, errors = clean_change_input(raw(household_type="urban", identity="migrant_worker",
                                             declared_wage="6800.50", mobile="13900000001"))
    assert errors == []
    assert cleaned == {
        "kind": "add_new", "insurance_type": "injury", "effective_month": date(2026, 11, 1), "name": "张伟",
        "household_type": "urban", "identity": "migrant_worker", "declared_wage": Decimal("6800.50"),
        "mobile": "13900000001", "id_number": ID, "birth_date": date(1988, 3, 15),
    }


@pytest.mark.parametrize(("label", "code"), [
    ("新参保", "add_new"), ("续保", "add_continue"), ("调入", "add_transfer_in"),
    ("暂停参保", "reduce_suspend"), ("终止参保", "reduce_terminate"), ("在职转退休", "reduce_retire"),
])
def test_kind_labels_accepted(label, code):
    cleaned, errors = clean_change_input(raw(kind=f" {label} "))
    assert errors == []
    assert cleaned["kind"] == code


def test_other_labels_accepted():
    cleaned, errors = clean_change_input(raw(insurance_type="养老保险", household_type="农村户口", identity="劳务派遣人员"))
    assert errors == []
    assert (cleaned["insurance_type"], cleaned["household_type"], cleaned["identity"]) == (
        "pension", "rural", "dispatched")


def test_unknown_codes_listed_with_allowed_labels():
    cleaned, errors = clean_change_input(raw(kind="入职", insurance_type="工伤", household_type="城市",
                                             identity="正式工"))
    assert errors == [
        ("kind", "异动类型“入职”无法识别，可填：新参保、续保、调入、暂停参保、终止参保、在职转退休。"),
        ("insurance_type", "险种“工伤”无法识别，可填：工伤保险、失业保险、医疗保险、养老保险。"),
        ("household_type", "户口性质“城市”无法识别，可填：城镇户口、农村户口。"),
        ("identity", "参保身份“正式工”无法识别，可填：在职职工、农民工、劳务派遣人员、超龄就业人员、实习学生。"),
    ]
    assert (cleaned["kind"], cleaned["insurance_type"], cleaned["household_type"], cleaned["identity"]) == (
        "", "", "", "")


def test_unknown_value_quoted_at_most_20_characters():
    _cleaned, errors = clean_change_input(raw(kind="x" * 60))
    assert errors[0][1].startswith("异动类型“" + "x" * 20 + "”无法识别")


def test_required_choices_missing_but_optional_ones_not():
    cleaned, errors = clean_change_input(raw(kind="", insurance_type=None, household_type="", identity=None))
    assert errors == [("kind", "请填写异动类型。"), ("insurance_type", "请填写险种。")]
    assert cleaned["household_type"] == ""


def test_identity_defaults_to_employee_for_additions_only():
    added, _ = clean_change_input(raw(kind="add_new"))
    reduced, _ = clean_change_input(raw(kind="reduce_terminate"))
    assert added["identity"] == "employee"
    assert reduced["identity"] == ""


# --- identity card number ------------------------------------------------------------------

def test_bad_id_check_digit():
    cleaned, errors = clean_change_input(raw(id_number=ID_BAD_CHECK))
    assert errors == [("id_number", "身份证号校验位不正确，请核对最后一位")]
    assert cleaned["id_number"] == ""
    assert "birth_date" not in cleaned


@pytest.mark.parametrize(("value", "message"), [
    ("", "请填写身份证号"),
    (None, "请填写身份证号"),
    ("37020219880315123", "身份证号应为 18 位，您输入了 17 位，请核对"),
    ("37020219880315123A", "身份证号前 17 位应为数字，最后一位为数字或 X"),
])
def test_id_number_problems(value, message):
    _cleaned, errors = clean_change_input(raw(id_number=value))
    assert errors == [("id_number", message)]


def test_id_number_normalised_and_birth_date_derived():
    cleaned, errors = clean_change_input(raw(id_number=" 370202 19900101 004x "))
    assert errors == []
    assert cleaned["id_number"] == ID_WITH_X
    assert cleaned["birth_date"] == date(1990, 1, 1)


# --- months ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "2026-11", "2026/11", "2026.11", "2026年11月", "2026年11月1日", "2026-11-01", " 2026 - 11 ", "2026年 11 月",
    "2026-11-01 00:00:00", date(2026, 11, 23), datetime(2026, 11, 30, 8, 0),
])
def test_parse_month_formats(value):
    assert parse_month(value) == date(2026, 11, 1)


@pytest.mark.parametrize(("value", "expected"), [("2026-1", date(2026, 1, 1)), ("2027/01", date(2027, 1, 1)),
                                                 ("1900-01", date(1900, 1, 1))])
def test_parse_month_single_digit_and_edges(value, expected):
    assert parse_month(value) == expected


@pytest.mark.parametrize("value", ["2026-13", "2026-00", "1899-12", "11/2026", "202611", "", None, "十一月",
                                   "26-11", "2026-02-30", 2026.1, 202611])
def test_parse_month_rejects(value):
    assert parse_month(value) is None


@settings(deadline=None)
@given(st.integers(1900, 9999), st.integers(1, 12), st.sampled_from(["-", "/", ".", "年"]))
def test_parse_month_round_trip(year, month, separator):
    suffix = "月" if separator == "年" else ""
    assert parse_month(f"{year}{separator}{month}{suffix}") == date(year, month, 1)
    assert parse_month(f"{year}{separator}{month:02d}{suffix}") == date(year, month, 1)


def test_bad_month_reported_on_clean():
    cleaned, errors = clean_change_input(raw(effective_month="11/2026"))
    assert errors == [("effective_month", "请按“年-月”填写生效月份，如 2026-11。")]
    assert cleaned["effective_month"] is None


# --- wages -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("6800", Decimal("6800")), ("6,800.50", Decimal("6800.50")), (6800.5, Decimal("6800.5")),
    (Decimal("0.01"), Decimal("0.01")), ("9999999.99", Decimal("9999999.99")), (" 5000 ", Decimal("5000")),
    ("", None), (None, None),
])
def test_wage_accepted(value, expected):
    cleaned, errors = clean_change_input(raw(declared_wage=value))
    assert errors == []
    assert cleaned["declared_wage"] == expected


def test_wage_not_a_number():
    cleaned, errors = clean_change_input(raw(declared_wage="六千八"))
    assert errors == [("declared_wage", "申报缴费工资应为金额数字，如 6800 或 6800.50。")]
    assert cleaned["declared_wage"] is None


@pytest.mark.parametrize("value", ["0", "-1", "6800.505", "NaN", "Infinity", "-Infinity", "10000000", "1e-5",
                                   0, "0.00"])
def test_wage_out_of_range_or_too_precise(value):
    cleaned, errors = clean_change_input(raw(declared_wage=value))
    assert errors == [("declared_wage", "申报缴费工资应为大于 0 的金额，最多两位小数。")]
    assert cleaned["declared_wage"] is None


# --- names and mobiles -----------------------------------------------------------------------

def test_name_whitespace_removed_and_required():
    cleaned, errors = clean_change_input(raw(name=" 张　伟 "))
    assert errors == [] and cleaned["name"] == "张伟"
    cleaned, errors = clean_change_input(raw(name="  "))
    assert errors == [("name", "请填写姓名。")]


def test_mobile_optional_normalised_or_reported():
    cleaned, errors = clean_change_input(raw(mobile="+86 139-0000-0001"))
    assert errors == [] and cleaned["mobile"] == "13900000001"
    cleaned, errors = clean_change_input(raw(mobile="12345"))
    assert errors == [("mobile", "手机号应为 11 位数字、以 13-19 开头，请核对")]
    assert cleaned["mobile"] == ""


# --- everything at once ----------------------------------------------------------------------

def test_every_problem_reported_at_once():
    _cleaned, errors = clean_change_input({
        "kind": "入职", "insurance_type": "", "effective_month": "下个月", "id_number": ID_BAD_CHECK, "name": "",
        "mobile": "123", "household_type": "城市", "identity": "正式工", "declared_wage": "-5",
    })
    assert fields(errors) == ["kind", "insurance_type", "household_type", "identity", "declared_wage",
                              "effective_month", "name", "id_number", "mobile"]


def test_empty_input_reports_each_required_field():
    cleaned, errors = clean_change_input({})
    assert errors == [
        ("kind", "请填写异动类型。"), ("insurance_type", "请填写险种。"),
        ("effective_month", "请按“年-月”填写生效月份，如 2026-11。"), ("name", "请填写姓名。"),
        ("id_number", "请填写身份证号"),
    ]
    assert cleaned["identity"] == ""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(
    st.sampled_from(sorted(FIELD_LABELS)),
    st.one_of(st.none(), st.text(max_size=30), st.integers(), st.decimals(allow_nan=True), st.dates(),
              st.floats())))
def test_never_raises_and_reports_only_known_fields(data):
    cleaned, errors = clean_change_input(data)
    assert set(fields(errors)) <= set(FIELD_LABELS)
    assert all(isinstance(message, str) and message for _field, message in errors)
    assert set(cleaned) >= {"kind", "insurance_type", "effective_month", "name", "id_number", "declared_wage"}


# --- direction -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["reduce_suspend", "终止参保", "reduce_retire"])
def test_addition_sheet_refuses_reduction_kinds(kind):
    _cleaned, errors = clean_change_input(raw(kind=kind), direction="add")
    assert errors == [("kind", "增员报盘只能填写新参保、续保或调入。")]


@pytest.mark.parametrize("kind", ["add_new", "续保", "add_transfer_in"])
def test_reduction_sheet_refuses_addition_kinds(kind):
    _cleaned, errors = clean_change_input(raw(kind=kind), direction="reduce")
    assert errors == [("kind", "减员报盘只能填写暂停参保、终止参保或在职转退休。")]


@pytest.mark.parametrize(("kind", "direction"), [("add_new", "add"), ("调入", "add"), ("reduce_terminate", "reduce"),
                                                 ("add_new", None), ("reduce_terminate", None)])
def test_matching_or_no_direction_accepted(kind, direction):
    _cleaned, errors = clean_change_input(raw(kind=kind), direction=direction)
    assert errors == []


def test_unknown_kind_on_directed_sheet_reported_once():
    _cleaned, errors = clean_change_input(raw(kind="入职"), direction="add")
    assert fields(errors) == ["kind"]


def test_latin_names_keep_their_spaces():
    cleaned, errors = clean_change_input(raw(name="  John   Smith "))
    assert errors == [] and cleaned["name"] == "John Smith"
    cleaned, errors = clean_change_input(raw(name="阿卜杜·热合曼"))
    assert errors == [] and cleaned["name"] == "阿卜杜·热合曼"


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example","点击")', "张伟1", "@SUM(A1)", "+86张伟"])
def test_names_with_digits_or_formula_characters_are_refused(value):
    cleaned, errors = clean_change_input(raw(name=value))
    assert errors == [("name", "姓名只能包含汉字、字母、间隔号“·”或空格，请与身份证一致。")]
    assert cleaned["name"] == ""


def test_overlong_names_are_refused_not_truncated():
    cleaned, errors = clean_change_input(raw(name="张" * 51))
    assert errors == [("name", "姓名过长（51 个字），最多 50 个字，请核对。")]
