import pytest

from gongshang.cases import rules
from gongshang.cases.choices import CaseStatus


def test_case_number_format():
    assert rules.case_number("370200", 2026, 123) == "GS370200-2026-000123"
    with pytest.raises(ValueError):
        rules.case_number("3702", 2026, 1)
    with pytest.raises(ValueError):
        rules.case_number("370200", 2026, 0)


def test_transition_table():
    assert rules.can_transition(CaseStatus.REPORTED, CaseStatus.OPENED)
    assert rules.can_transition(CaseStatus.OPENED, CaseStatus.CLOSED)
    assert not rules.can_transition(CaseStatus.CLOSED, CaseStatus.OPENED)
    assert not rules.can_transition(CaseStatus.OPENED, CaseStatus.REPORTED)
