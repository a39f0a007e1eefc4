"""The bill audit rules, one class per rule, each boundary the issue names on both sides."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from gongshang.medical.rules.audit import (
    RULE_ORDER,
    frequency,
    idle_stay,
    out_of_catalogue,
    over_price_cap,
    split_stay,
)
from gongshang.medical.rules.audit.common import entry_on
from gongshang.medical.rules.audit.inputs import Params, PreviousStay

from .audit_inputs import ADMITTED, TZ, catalogue, encounter, entry, line


class TestCatalogueVersion:
    def test_regional_row_wins_over_national(self):
        cat = catalogue(entry(cap="10.00"), entry(cap="8.00", regional=True))
        assert entry_on(cat, "DRUG001", date(2026, 3, 2)).price_cap == Decimal("8.00")

    def test_version_valid_on_the_day(self):
        cat = catalogue(entry(cap="10.00", valid_to=date(2026, 2, 28)), entry(cap="12.00", valid_from=date(2026, 3, 1)))
        assert entry_on(cat, "DRUG001", date(2026, 2, 28)).price_cap == Decimal("10.00")
        assert entry_on(cat, "DRUG001", date(2026, 3, 1)).price_cap == Decimal("12.00")
        assert entry_on(cat, "DRUG001", date(2025, 12, 31)) is None


class TestOutOfCatalogue:
    def test_unknown_code_withholds_whole_line(self):
        flags = out_of_catalogue.check([line(1, "NOPE", quantity="2", unit_price="15.50")], catalogue(entry()))
        assert [(f.rule, f.amount, f.line_nos) for f in flags] == [("out_of_catalogue", Decimal("31.00"), (1,))]
        assert "不在2026年3月2日有效的工伤保险目录内" in flags[0].reason and "31.00元" in flags[0].reason
        assert "第三十条" in flags[0].source

    def test_known_code_passes(self):
        assert out_of_catalogue.check([line(1)], catalogue(entry())) == []

    def test_expired_on_the_line_day(self):
        cat = catalogue(entry(valid_to=date(2026, 3, 1)))
        # 00:30 on 2 March in Shanghai is still 1 March in UTC: the local day decides
        at_local = datetime(2026, 3, 2, 0, 30, tzinfo=TZ)
        assert len(out_of_catalogue.check([line(1, at=at_local)], cat)) == 1
        assert out_of_catalogue.check([line(1, at=datetime(2026, 3, 1, 23, 30, tzinfo=TZ))], cat) == []


class TestOverPriceCap:
    def _flags(self, price):
        return over_price_cap.check([line(1, "SVC1", category="service", quantity="3", unit_price=price)],
                                    catalogue(entry("SVC1", kind="service", cap="100.00")))

    def test_one_fen_below_cap(self):
        assert self._flags("99.99") == []

    def test_at_cap(self):
        assert self._flags("100.00") == []

    def test_one_fen_above_cap(self):
        (flag,) = self._flags("100.01")
        assert flag.amount == Decimal("0.03")       # 0.01 × 3
        assert "最高限价100.00元" in flag.reason and "0.03元" in flag.reason

    def test_rounds_to_the_fen_half_up(self):
        flags = over_price_cap.check([line(1, "SVC1", quantity="1", unit_price="100.005", amount="100.01")],
                                     catalogue(entry("SVC1", cap="100.00")))
        assert flags[0].amount == Decimal("0.01")

    def test_no_cap_no_flag(self):
        assert over_price_cap.check([line(1, unit_price="9999")], catalogue(entry())) == []


class TestIdleStay:
    cat = catalogue(entry("BED"), entry("MEAL"), entry("DRUG001"))

    def _lines(self, treatment_after):
        return [line(1, "BED", category="bed", unit_price="60", at=ADMITTED + timedelta(hours=1)),
                line(2, "MEAL", category="meal", unit_price="30", at=ADMITTED + timedelta(hours=20)),
                line(3, "BED", category="bed", unit_price="60", at=ADMITTED + timedelta(hours=25)),
                line(4, "DRUG001", category="drug", unit_price="10", at=ADMITTED + treatment_after),
                line(5, "BED", category="bed", unit_price="60", at=ADMITTED + timedelta(hours=49))]

    def test_treatment_at_47h59_is_inside(self):
        assert idle_stay.check(self._lines(timedelta(hours=47, minutes=59)), encounter(), Params()) == []

    def test_no_treatment_until_48h01_flags(self):
        (flag,) = idle_stay.check(self._lines(timedelta(hours=48, minutes=1)), encounter(), Params())
        assert flag.line_nos == (1, 2, 3) and flag.amount == Decimal("150.00") and flag.encounter_level
        assert "48小时内" in flag.reason and "150.00元" in flag.reason

    def test_treatment_exactly_at_48h_is_outside(self):
        assert len(idle_stay.check(self._lines(timedelta(hours=48)), encounter(), Params())) == 1

    def test_treatment_at_47h_vs_49h(self):
        assert idle_stay.check(self._lines(timedelta(hours=47)), encounter(), Params()) == []
        assert len(idle_stay.check(self._lines(timedelta(hours=49)), encounter(), Params())) == 1

    def test_regional_hours(self):
        lines = self._lines(timedelta(hours=30))
        assert idle_stay.check(lines, encounter(), Params(idle_stay_hours=24))[0].line_nos == (1, 2)
        assert idle_stay.check(lines, encounter(), Params(idle_stay_hours=48)) == []

    def test_outpatient_never(self):
        assert idle_stay.check(self._lines(timedelta(hours=60)), encounter("outpatient"), Params()) == []


class TestSplitStay:
    def _flags(self, discharged_on, main="S62.300", days=15):
        stay = PreviousStay(main_diagnosis_code=main, discharged_at=datetime.combine(discharged_on, datetime.min.time(), TZ)
                            + timedelta(hours=16))
        return split_stay.check(encounter(), [stay], Params(readmission_days=days))

    def test_day_n_flags(self):
        (flag,) = self._flags(date(2026, 2, 15))          # 15 days before 2 March
        assert flag.amount == Decimal("0.00") and flag.line_nos == () and "相隔15天" in flag.reason
        assert "不自动扣减" in flag.reason

    def test_day_n_plus_one_passes(self):
        assert self._flags(date(2026, 2, 14)) == []

    def test_same_day_readmission(self):
        stay = PreviousStay(main_diagnosis_code="S62.300", discharged_at=ADMITTED - timedelta(hours=1))
        assert "相隔0天" in split_stay.check(encounter(), [stay], Params())[0].reason

    def test_other_diagnosis_passes(self):
        assert self._flags(date(2026, 2, 25), main="S82.100") == []

    def test_regional_days(self):
        assert len(self._flags(date(2026, 2, 23), days=7)) == 1    # 7 days
        assert self._flags(date(2026, 2, 22), days=7) == []        # 8 days


class TestFrequency:
    cat = catalogue(entry("XRAY", kind="service", limit="2", days=1))

    def _lines(self, *quantities, day_offsets=None):
        offsets = day_offsets or [0] * len(quantities)
        return [line(i + 1, "XRAY", category="service", quantity=q, unit_price="50",
                     at=ADMITTED + timedelta(days=offsets[i], hours=1 + i)) for i, q in enumerate(quantities)]

    def test_at_limit_passes(self):
        assert frequency.check(self._lines("1", "1"), self.cat, encounter()) == []

    def test_one_over_limit(self):
        (flag,) = frequency.check(self._lines("1", "1", "1"), self.cat, encounter())
        assert flag.line_nos == (3,) and flag.amount == Decimal("50.00") and "超出的1个（按单价50.00元计）共50.00元" in flag.reason

    def test_excess_split_inside_one_line(self):
        (flag,) = frequency.check(self._lines("1", "3"), self.cat, encounter())
        assert flag.line_nos == (2,) and flag.amount == Decimal("100.00")

    def test_periods_are_separate(self):
        assert frequency.check(self._lines("2", "2", day_offsets=[0, 1]), self.cat, encounter()) == []

    def test_multi_day_period(self):
        cat = catalogue(entry("XRAY", kind="service", limit="2", days=7))
        flags = frequency.check(self._lines("2", "1", "1", day_offsets=[0, 6, 7]), cat, encounter())
        assert [f.line_nos for f in flags] == [(2,)]


class TestOrder:
    def test_fixed_order(self):
        assert RULE_ORDER[0] == "out_of_catalogue" and RULE_ORDER[-1] == "split_stay"
        assert len(set(RULE_ORDER)) == 8
