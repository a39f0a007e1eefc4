"""The settle computation: per-line amounts, the fixed order, and the sums (hypothesis)."""

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gongshang.medical.rules.audit.inputs import Params
from gongshang.medical.rules.settle import settle

from .audit_inputs import ADMITTED, INJURY, catalogue, encounter, entry, line

CAT = catalogue(entry("DRUG001", cap="10.00"), entry("MAT-A", kind="material", cap="200.00", price_class="普通"),
                entry("MAT-B", kind="material", cap="800.00", price_class="进口"),
                entry("XRAY", kind="service", limit="1"), entry("BED", kind="standard"), entry("MEAL", kind="standard"))


PARAMS = Params()


def _settle(lines, enc=None, previous=(), params=PARAMS, injury=INJURY):
    return settle(lines, CAT, enc or encounter(), list(previous), params, injury)


def test_clean_bill_is_paid_in_full():
    result = _settle([line(1, unit_price="9.99", quantity="3"), line(2, "XRAY", category="service", unit_price="80")])
    assert (result.total, result.fund_amount, result.self_amount) == (Decimal("109.97"), Decimal("109.97"), Decimal("0.00"))
    assert not result.flagged and [r.flags for r in result.lines] == [(), ()]


def test_line_amounts_and_flags():
    result = _settle([
        line(1, "DRUG001", quantity="2", unit_price="12.50"),                 # over cap by 2.50 × 2
        line(2, "NOPE", unit_price="40"),                                     # out of catalogue
        line(3, "XRAY", category="service", unit_price="80"),
        line(4, "XRAY", category="service", unit_price="80", at=ADMITTED + timedelta(hours=3)),   # 2nd x-ray
    ])
    by_no = {r.line_no: r for r in result.lines}
    assert (by_no[1].fund_amount, by_no[1].self_amount) == (Decimal("20.00"), Decimal("5.00"))
    assert (by_no[2].fund_amount, by_no[2].self_amount) == (Decimal("0.00"), Decimal("40.00"))
    assert by_no[3].flags == () and by_no[4].fund_amount == Decimal("0.00")
    assert [f.rule for f in by_no[4].flags] == ["frequency"]
    assert result.total == Decimal("225.00") and result.self_amount == Decimal("125.00")


def test_swapped_and_cap_do_not_withhold_twice():
    # billed MAT-B at 900 (cap 800) instead of the ordered MAT-A (cap 200): the fund pays 200 at most
    result = _settle([line(1, "MAT-B", category="material", unit_price="900", ordered_code="MAT-A")])
    (only,) = result.lines
    assert only.fund_amount == Decimal("200.00")
    assert [(f.rule, f.amount) for f in only.flags] == [("swapped_item", Decimal("700.00")),
                                                        ("over_price_cap", Decimal("0.00"))]
    assert "不再重复计算" in only.flags[1].reason


def test_frequency_and_cap_on_one_line():
    # 3 units at 12 against a cap of 10 and a limit of 2 a day: the fund pays 2 × 10
    cat = catalogue(entry("X", kind="service", cap="10", limit="2"))
    result = settle([line(1, "X", category="service", quantity="3", unit_price="12")], cat, encounter("outpatient"),
                    [], PARAMS, INJURY)
    (only,) = result.lines
    assert only.fund_amount == Decimal("20.00")
    assert [(f.rule, f.amount) for f in only.flags] == [("over_price_cap", Decimal("6.00")),
                                                        ("frequency", Decimal("10.00"))]


def test_whole_line_rules_first_then_nothing_left():
    enc = encounter("outpatient", cross_province=True)
    result = _settle([line(1, "NOPE", category="meal", unit_price="30")], enc=enc)
    assert [(f.rule, f.amount) for f in result.lines[0].flags] == [("out_of_catalogue", Decimal("30.00")),
                                                                  ("outside_direct_settlement", Decimal("0.00"))]


def test_idle_stay_withholds_bed_and_meal_of_the_window():
    lines = [line(1, "BED", category="bed", unit_price="60", at=ADMITTED + timedelta(hours=1)),
             line(2, "MEAL", category="meal", unit_price="30", at=ADMITTED + timedelta(hours=30)),
             line(3, "DRUG001", unit_price="5", at=ADMITTED + timedelta(hours=49)),
             line(4, "BED", category="bed", unit_price="60", at=ADMITTED + timedelta(hours=50))]
    result = _settle(lines)
    (flag,) = result.encounter_flags
    assert flag.rule == "idle_stay" and flag.amount == Decimal("90.00")
    assert [r.fund_amount for r in result.lines] == [Decimal("0.00"), Decimal("0.00"), Decimal("5.00"), Decimal("60.00")]


def test_unrelated_encounter_goes_to_self():
    enc = encounter(diagnoses=(("I10", "高血压"),), main="I10")
    result = _settle([line(1, unit_price="8"), line(2, "NOPE", unit_price="4")], enc=enc)
    assert result.fund_amount == Decimal("0.00") and result.self_amount == Decimal("12.00")
    assert result.encounter_flags[0].rule == "unrelated_diagnosis"
    # the out-of-catalogue line was refused first; the unrelated flag takes what remained
    assert result.encounter_flags[0].amount == Decimal("8.00")


def test_split_stay_is_for_the_reviewer_only():
    from gongshang.medical.rules.audit.inputs import PreviousStay
    prev = PreviousStay("S62.300", ADMITTED - timedelta(days=3))
    result = _settle([line(1, unit_price="8")], previous=[prev])
    assert result.flagged and result.fund_amount == Decimal("8.00")
    assert [(f.rule, f.amount) for f in result.encounter_flags] == [("split_stay", Decimal("0.00"))]


money = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)
codes = st.sampled_from(["DRUG001", "MAT-A", "MAT-B", "XRAY", "BED", "MEAL", "NOPE"])
lines_strategy = st.lists(st.tuples(codes, st.sampled_from(["drug", "service", "material", "bed", "meal"]),
                                    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("50"), places=3),
                                    st.decimals(min_value=Decimal("0"), max_value=Decimal("2000"), places=4),
                                    st.integers(min_value=0, max_value=24 * 10),
                                    st.sampled_from(["", "MAT-A", "ZZZ", "XRAY"])),
                          min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(rows=lines_strategy, cross=st.booleans(), unrelated=st.booleans(), kind=st.sampled_from(["inpatient", "outpatient"]))
def test_sums_and_bounds(rows, cross, unrelated, kind):
    lines = [line(i + 1, code, category=cat, quantity=str(q), unit_price=str(p),
                  at=ADMITTED + timedelta(hours=h), ordered_code=oc)
             for i, (code, cat, q, p, h, oc) in enumerate(rows)]
    diagnoses = (("I10", "高血压"),) if unrelated else (("S62.300", "左手骨折"),)
    result = _settle(lines, enc=encounter(kind, cross_province=cross, diagnoses=diagnoses, main=diagnoses[0][0]))
    assert result.total == sum((r.amount for r in result.lines), Decimal(0))
    assert result.fund_amount == sum((r.fund_amount for r in result.lines), Decimal(0))
    assert result.total == result.fund_amount + result.self_amount
    for r in result.lines:
        assert r.amount == r.fund_amount + r.self_amount
        assert Decimal(0) <= r.fund_amount <= r.amount
        assert r.self_amount == sum((f.amount for f in r.flags), Decimal(0))
        for value in (r.amount, r.fund_amount, r.self_amount, *(f.amount for f in r.flags)):
            assert value == value.quantize(Decimal("0.01"))
