"""The demo carries every parameter a demo journey needs, and marks the unofficial ones."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongshang.benefits.demo import PARAMETERS
from gongshang.benefits.services.calculator import calculate_request

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
JOURNEYS = [
    {"kind": "death", "injury_date": "2026-12-05", "own_wage": "6000", "dependants": [{"relation": "spouse"}]},
    {"kind": "death", "injury_date": "2025-03-10", "own_wage": "6000"},
    {"kind": "death", "injury_date": "2025-03-10", "death_date": "2026-11-30", "own_wage": "6000"},
    {"kind": "disability", "injury_date": "2026-12-05", "disability_grade": 1, "nursing_level": "full",
     "own_wage": "6000"},
    {"kind": "disability", "injury_date": "2025-01-02", "disability_grade": 5, "own_wage": "6000",
     "terminate_employment": True, "occupational_disease": True, "appraisal_date": "2026-12-01"},
    {"kind": "disability", "injury_date": "2026-06-01", "disability_grade": 9, "own_wage": "6000",
     "terminate_employment": True},
]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda j: f"{j['kind']}-{j['injury_date']}")
def test_every_demo_journey_has_its_parameters(parameters, journey):
    result = calculate_request({"region": "370200", **journey})
    assert result["items"]
    if journey["kind"] == "death" and journey["injury_date"] == "2026-12-05":
        income = result["parameters_used"]["national_disposable_income"]
        assert income["data_year"] == 2025 and income["demo"] is True  # not official: marked as such


def test_unofficial_values_are_marked_demo():
    for *_, source, is_demo in PARAMETERS:
        assert is_demo == ("演示值" in source), source
