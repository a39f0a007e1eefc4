"""串换, 非工伤治疗 and the cross-province exclusions."""

from decimal import Decimal

import pytest

from gongshang.medical.rules.audit import outside_direct_settlement, swapped_item, unrelated_diagnosis
from gongshang.medical.rules.audit.inputs import Injury

from .audit_inputs import INJURY, catalogue, encounter, entry, line


class TestSwappedItem:
    cat = catalogue(entry("MAT-A", kind="material", cap="200.00", price_class="普通"),
                    entry("MAT-B", kind="material", cap="800.00", price_class="进口"),
                    entry("MAT-C", kind="material", price_class="普通"))

    def test_same_code_passes(self):
        assert swapped_item.check([line(1, "MAT-A", unit_price="150", ordered_code="MAT-A")], self.cat) == []

    def test_no_order_code_passes(self):
        assert swapped_item.check([line(1, "MAT-B", unit_price="700")], self.cat) == []

    def test_difference_to_ordered_cap_withheld(self):
        (flag,) = swapped_item.check([line(1, "MAT-B", quantity="2", unit_price="700", ordered_code="MAT-A")], self.cat)
        assert flag.amount == Decimal("1000.00")       # (700 − 200) × 2
        assert "医嘱项目编码为MAT-A" in flag.reason and "价格类别由“普通”变为“进口”" in flag.reason

    def test_cheaper_than_ordered_cap_flags_without_amount(self):
        (flag,) = swapped_item.check([line(1, "MAT-B", unit_price="150", ordered_code="MAT-A")], self.cat)
        assert flag.amount == Decimal("0.00") and "不扣减" in flag.reason

    def test_unknown_ordered_item_holds_whole_line(self):
        (flag,) = swapped_item.check([line(1, "MAT-B", unit_price="700", ordered_code="ZZZ")], self.cat)
        assert flag.amount == Decimal("700.00") and "医嘱项目不在目录内" in flag.reason

    def test_ordered_item_without_cap_holds_whole_line(self):
        (flag,) = swapped_item.check([line(1, "MAT-B", unit_price="700", ordered_code="MAT-C")], self.cat)
        assert flag.amount == Decimal("700.00")


class TestUnrelatedDiagnosis:
    lines = [line(1, unit_price="100"), line(2, unit_price="50.50")]

    @pytest.mark.parametrize("diagnoses", [
        (("S62.300", "左手第三掌骨骨折"),),                 # S6x: wrist and hand
        (("M79.600", "手部软组织疼痛"),),                   # names the body part
        (("I10", "高血压"), ("S61.000", "手指开放性伤口")),  # one matching diagnosis is enough
        (("T23.200", "腕和手二度烧伤"),),                   # T codes
        (("Z50.000", "康复治疗"),),                         # rehabilitation follow-up
    ])
    def test_matches(self, diagnoses):
        assert unrelated_diagnosis.check(self.lines, encounter(diagnoses=diagnoses, main=diagnoses[0][0]), INJURY) == []

    def test_no_diagnosis_matches(self):
        enc = encounter(diagnoses=(("I10", "高血压"), ("S82.100", "胫骨上端骨折")), main="I10")
        (flag,) = unrelated_diagnosis.check(self.lines, enc, INJURY)
        assert flag.amount == Decimal("150.50") and flag.line_nos == (1, 2) and flag.encounter_level
        assert "高血压（I10）" in flag.reason and "基本医疗保险" in flag.reason

    def test_recognised_code_category(self):
        injury = Injury(diagnosis_codes=("J60",), diagnosis="煤工尘肺")
        assert unrelated_diagnosis.check(self.lines, encounter(diagnoses=(("J60.x00", "尘肺"),), main="J60.x00"),
                                         injury) == []
        assert len(unrelated_diagnosis.check(self.lines, encounter(diagnoses=(("I10", "高血压"),), main="I10"),
                                             injury)) == 1

    def test_nothing_recognised_nothing_judged(self):
        enc = encounter(diagnoses=(("I10", "高血压"),), main="I10")
        assert unrelated_diagnosis.check(self.lines, enc, Injury()) == []

    def test_injury_without_known_region_accepts_any_s_code(self):
        assert unrelated_diagnosis.check(self.lines, encounter(diagnoses=(("S82.100", "胫骨骨折"),)),
                                         Injury(body_part="多处")) == []


class TestOutsideDirectSettlement:
    lines = [line(1, "MEAL", category="meal", unit_price="30"), line(2, "DRUG001", unit_price="10"),
             line(3, "TRAVEL", category="service", unit_price="300", name="转诊交通费")]

    def test_cross_province_meal_and_travel(self):
        flags = outside_direct_settlement.check(self.lines, encounter(cross_province=True))
        assert [(f.line_nos, f.amount) for f in flags] == [((1,), Decimal("30.00")), ((3,), Decimal("300.00"))]
        assert "回参保地" in flags[0].reason and "伙食补助费" in flags[0].reason

    def test_in_province_settles_them(self):
        assert outside_direct_settlement.check(self.lines, encounter(cross_province=False)) == []
