"""工伤预防 rules: the cap (第五条), the excess over it, the payment bands, the mean score. Pure."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongshang.service.models.settings import default_payment_bands
from gongshang.service.rules import prevention as rules

BANDS = rules.parse_bands(default_payment_bands())
FEN = Decimal("0.01")
money = st.decimals(min_value=0, max_value=Decimal("1000000000"), places=2, allow_nan=False, allow_infinity=False)


def test_cap_is_three_percent_of_last_years_income_rounded_once():
    assert rules.cap(Decimal("100000000.00"), Decimal("3")) == Decimal("3000000.00")
    assert rules.cap(Decimal("12345.67"), Decimal("3")) == Decimal("370.37")   # 370.3701 → 370.37
    assert rules.cap(Decimal("50.50"), Decimal("3")) == Decimal("1.52")        # 1.515 → 1.52 half up


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        rules.cap(Decimal("-1"), Decimal("3"))
    with pytest.raises(ValueError):
        rules.payable(Decimal("-1"), Decimal("90"), BANDS)


@given(cap=money, approved=money)
def test_over_cap_boundary_one_fen(cap, approved):
    room = cap - approved
    if room >= 0:
        assert not rules.over_cap(approved, room, cap)                 # exactly at the cap: allowed
        assert rules.excess(approved, room, cap) == 0
    assert rules.over_cap(approved, max(room, Decimal(0)) + FEN, cap) or approved > cap
    assert rules.excess(approved, max(room, Decimal(0)) + FEN, cap) >= FEN


@pytest.mark.parametrize(("score", "percent"), [
    ("100", "100"), ("90", "100"), ("89.99", "90"), ("80", "90"), ("79.99", "80"), ("70", "80"),
    ("69.99", "60"), ("60", "60"), ("59.99", "0"), ("0", "0")])
def test_default_bands(score, percent):
    assert rules.pay_percent(Decimal(score), BANDS) == Decimal(percent)


@given(amount=money, score=st.decimals(min_value=0, max_value=100, places=2))
def test_payable_is_the_bands_share_rounded_once(amount, score):
    paid = rules.payable(amount, score, BANDS)
    # Half up, as every amount of the platform (core/money.py), never the banker's rounding.
    assert paid == (amount * rules.pay_percent(score, BANDS) / 100).quantize(FEN, rounding=ROUND_HALF_UP)
    assert Decimal(0) <= paid <= amount
    # One fen below a band's minimum never pays more than at the minimum.
    lower = max(score - FEN, Decimal(0))
    assert rules.payable(amount, lower, BANDS) <= paid


def test_payable_examples():
    assert rules.payable(Decimal("180000.00"), Decimal("92.50"), BANDS) == Decimal("180000.00")
    assert rules.payable(Decimal("180000.00"), Decimal("85"), BANDS) == Decimal("162000.00")
    assert rules.payable(Decimal("33333.33"), Decimal("65"), BANDS) == Decimal("20000.00")   # 19999.998
    assert rules.payable(Decimal("4934.85"), Decimal("80"), BANDS) == Decimal("4441.37")     # 4441.365, half up
    assert rules.payable(Decimal("180000.00"), Decimal("59.99"), BANDS) == Decimal("0.00")


def test_bands_are_sorted_and_checked():
    bands = rules.parse_bands([{"min_score": "60", "percent": "50"}, {"min_score": "95", "percent": "100"}])
    assert [b.min_score for b in bands] == [Decimal(95), Decimal(60)]
    assert rules.pay_percent(Decimal("94.99"), bands) == Decimal(50)
    with pytest.raises(ValueError, match="格式"):
        rules.parse_bands([{"min_score": "x"}])
    with pytest.raises(ValueError, match="0 到 100"):
        rules.parse_bands([{"min_score": "101", "percent": "100"}])
    with pytest.raises(ValueError):
        rules.pay_percent(Decimal("100.01"), bands)


def test_rate_per_thousand():
    assert rules.rate_per_thousand(3, 0) is None
    assert rules.rate_per_thousand(3, 1200) == Decimal("2.50")
