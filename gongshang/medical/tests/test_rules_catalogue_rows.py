"""One catalogue row (pure): codes, money to the fen, flags, limits, dates, formulas."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..rules.catalogue_rows import clean_row, code_problem, header_positions, normalise_header

GOOD = {"code": "003111000010000", "name": "大换药", "unit": "次", "price_cap": "45.00", "price_class": "换药",
        "work_injury_only": "否", "frequency_limit": "1", "frequency_days": "1", "valid_from": "2025-01-01"}


def _problems(kind="service", **overrides):
    raw = {**GOOD, **overrides}
    return dict(clean_row(raw, kind)[1])


def test_good_row():
    values, problems = clean_row(GOOD, "service")
    assert problems == []
    assert values["price_cap"] == Decimal("45.00") and values["valid_from"] == date(2025, 1, 1)
    assert values["work_injury_only"] is False and values["frequency_days"] == 1 and values["valid_to"] is None


@pytest.mark.parametrize(("code", "kind", "ok"), [
    ("XA01ABD075A002010100483", "drug", True),
    ("ZA01AAJ2801010100028", "drug", True),
    ("xa01abd075a002010100483", "drug", True),   # stored in capitals
    ("A01ABD075A002010100483", "drug", False),   # neither X nor Z
    ("X12345678", "drug", False),                # X + 8: one too short
    ("X123456789", "drug", True),                # X + 9: the shortest accepted
    ("001201000010000", "service", True),
    ("GSBZ-BED-01", "standard", True),
    ("0012", "service", False),
    ("00120100001000*", "service", False),
])
def test_codes(code, kind, ok):
    assert (_problems(kind, code=code).get("code") is None) is ok


def test_code_problem_names_the_format():
    assert "X（西药）或 Z（中成药）" in code_problem("123", "drug")


@pytest.mark.parametrize(("cap", "ok"), [("45.01", True), ("45.001", False), ("-1", False), ("abc", False),
                                         ("¥45", True), ("1,200.50", True), ("", True), (45.5, True)])
def test_price_cap(cap, ok):
    assert (_problems(price_cap=cap).get("price_cap") is None) is ok


def test_float_price_keeps_the_fen():
    # 0.30000000000000004 (a computed float cell) is not a fen amount: refused, not rounded silently.
    assert "price_cap" in dict(clean_row({**GOOD, "price_cap": 0.1 + 0.2}, "service")[1])
    values, problems = clean_row({**GOOD, "price_cap": 12.3}, "service")
    assert problems == [] and values["price_cap"] == Decimal("12.30")


@pytest.mark.parametrize(("flag", "expected"), [("是", True), ("否", False), ("", False), ("Y", True)])
def test_work_injury_flag(flag, expected):
    assert clean_row({**GOOD, "work_injury_only": flag}, "service")[0]["work_injury_only"] is expected


def test_work_injury_flag_refuses_other_text():
    assert "只能填“是”或“否”" in _problems(work_injury_only="可能")["work_injury_only"]


def test_limits():
    assert "应大于 0" in _problems(frequency_limit="0")["frequency_limit"]
    assert "没有填写限用数量" in _problems(frequency_limit="", frequency_days="7")["frequency_days"]
    assert "1～3660" in _problems(frequency_days="0")["frequency_days"]
    assert "1～600" in _problems(service_life_months="0")["service_life_months"]
    assert _problems(service_life_months="36") == {}


@pytest.mark.parametrize(("value", "expected"), [
    ("2025/1/1", date(2025, 1, 1)), ("20250101", date(2025, 1, 1)), ("2025年1月1日", date(2025, 1, 1)),
    (datetime(2025, 1, 1), date(2025, 1, 1)), (date(2025, 1, 1), date(2025, 1, 1)),
])
def test_dates(value, expected):
    assert clean_row({**GOOD, "valid_from": value}, "service")[0]["valid_from"] == expected


def test_date_problems():
    assert "存成了数字" in _problems(valid_from=45658.0)["valid_from"]
    assert "不是有效日期" in _problems(valid_from="2025-02-30")["valid_from"]
    assert "生效日期未填写" in _problems(valid_from="")["valid_from"]
    assert "不能早于生效日期" in _problems(valid_to="2024-12-31")["valid_to"]
    assert _problems(valid_to="2025-01-01") == {}


def test_required_and_lengths_and_formulas():
    assert "名称未填写" in _problems(name="")["name"]
    assert "最多 200 个字符" in _problems(name="药" * 201)["name"]
    assert "可能是公式" in _problems(name="=HYPERLINK(\"http://x\")")["name"]
    assert "可能是公式" in _problems(specification="@SUM(A1)")["specification"]


def test_headers():
    assert normalise_header(" *最高限价（元） ") == "最高限价"
    assert normalise_header("工伤专用(是/否)") == "工伤专用"
    positions, missing = header_positions(["名称", "医保编码", "其他"])
    assert positions == {"name": 0, "code": 1} and missing == ["生效日期"]


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("99999999.99"), places=2))
def test_any_fen_amount_round_trips(amount):
    values, problems = clean_row({**GOOD, "price_cap": str(amount)}, "service")
    assert problems == [] and values["price_cap"] == amount


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("9999"), places=3))
def test_a_third_decimal_is_refused_unless_zero(amount):
    problems = dict(clean_row({**GOOD, "price_cap": str(amount)}, "service")[1])
    assert ("price_cap" in problems) is (amount != amount.quantize(Decimal("0.01")))


@pytest.mark.parametrize("field", ["frequency_days", "service_life_months"])
@pytest.mark.parametrize("value", ["²", "3²", "①"])
def test_superscripts_are_a_row_error_not_a_crash(field, value):
    assert field in _problems(**{field: value})


def test_full_width_digits_are_read_as_digits():
    values, problems = clean_row({**GOOD, "service_life_months": "３６"}, "device")
    assert problems == [] and values["service_life_months"] == 36


def test_not_a_number_price_is_named_as_not_a_number():
    assert "不是数字" in _problems(price_cap="NaN")["price_cap"]
