from decimal import Decimal

import pytest

from gongshang.core.money import fen_str, to_fen


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1.005"), Decimal("1.01")),  # half-up, not banker's rounding
    (Decimal("1.004"), Decimal("1.00")),
    (Decimal("2.675"), Decimal("2.68")),
    (Decimal("-1.005"), Decimal("-1.01")),  # half away from zero
    ("1,083,760", Decimal("1083760.00")),
    (" 12.345 ", Decimal("12.35")),
    (7, Decimal("7.00")),
    (Decimal("0.125"), Decimal("0.13")),
])
def test_to_fen_rounds_half_up(value, expected):
    result = to_fen(value)
    assert result == expected
    assert result.as_tuple().exponent == -2


def test_float_is_refused():
    with pytest.raises(TypeError) as exc:
        to_fen(1.1)
    assert "浮点数" in str(exc.value)


def test_bool_is_refused():
    with pytest.raises(TypeError):
        to_fen(True)


@pytest.mark.parametrize("value", ["abc", "", "NaN", "Infinity", Decimal("NaN")])
def test_not_an_amount(value):
    with pytest.raises(ValueError):
        to_fen(value)


def test_fen_str():
    assert fen_str(Decimal("1083760")) == "1083760.00"
    assert fen_str("0.005") == "0.01"
    assert fen_str(Decimal("1E+3")) == "1000.00"


def test_death_grant_example_from_the_rules():
    # RULES.md: 20 × 54,188 = 1,083,760 yuan.
    assert to_fen(Decimal("54188") * 20) == Decimal("1083760.00")
