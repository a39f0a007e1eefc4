"""工伤医疗 bill audit rules (pure: no Django). Each module is one rule with its Chinese reason and
its legal or regional source; `run_all` runs them in the fixed order in which settle applies their
amounts (RULE_ORDER): whole-line refusals first, then partial ones on what remains, then the
reviewer-only 分解住院 prompt."""

from __future__ import annotations

from . import (
    frequency,
    idle_stay,
    out_of_catalogue,
    outside_direct_settlement,
    over_price_cap,
    split_stay,
    swapped_item,
    unrelated_diagnosis,
)
from .common import Catalogue
from .inputs import BillLineIn, CatalogueEntry, EncounterIn, Flag, Injury, Params, PreviousStay

RULE_ORDER = (
    out_of_catalogue.RULE,
    outside_direct_settlement.RULE,
    unrelated_diagnosis.RULE,
    idle_stay.RULE,
    swapped_item.RULE,
    over_price_cap.RULE,
    frequency.RULE,
    split_stay.RULE,
)

RULE_LABELS = {
    out_of_catalogue.RULE: "目录外项目",
    outside_direct_settlement.RULE: "不属于跨省直接结算范围",
    unrelated_diagnosis.RULE: "与认定工伤无关的治疗",
    idle_stay.RULE: "疑似挂床住院",
    swapped_item.RULE: "疑似串换项目",
    over_price_cap.RULE: "超过最高限价",
    frequency.RULE: "超过限定使用数量",
    split_stay.RULE: "疑似分解住院",
}


RULE_SOURCES = {
    module.RULE: module.SOURCE
    for module in (out_of_catalogue, outside_direct_settlement, unrelated_diagnosis, idle_stay, swapped_item,
                   over_price_cap, frequency, split_stay)
}


def run_all(lines: list[BillLineIn], catalogue: Catalogue, encounter: EncounterIn,
            previous_stays: list[PreviousStay], params: Params, injury: Injury) -> list[Flag]:
    """Every rule's flags, in RULE_ORDER (amounts as each rule proposes them, before settle caps
    them by what remains of a line)."""
    found = {
        out_of_catalogue.RULE: out_of_catalogue.check(lines, catalogue),
        outside_direct_settlement.RULE: outside_direct_settlement.check(lines, encounter),
        unrelated_diagnosis.RULE: unrelated_diagnosis.check(lines, encounter, injury),
        idle_stay.RULE: idle_stay.check(lines, encounter, params),
        swapped_item.RULE: swapped_item.check(lines, catalogue),
        over_price_cap.RULE: over_price_cap.check(lines, catalogue),
        frequency.RULE: frequency.check(lines, catalogue, encounter),
        split_stay.RULE: split_stay.check(encounter, previous_stays, params),
    }
    return [flag for rule in RULE_ORDER for flag in found[rule]]


__all__ = ["RULE_LABELS", "RULE_ORDER", "RULE_SOURCES", "BillLineIn", "Catalogue", "CatalogueEntry", "EncounterIn", "Flag",
           "Injury", "Params", "PreviousStay", "run_all"]
