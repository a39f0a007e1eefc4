import pytest

from gongshang.cases import rules
from gongshang.cases.choices import CaseStatus


def test_case_number_format():
    assert rules.case_number("370200", 2026, 123) == "GS370200-2026-000123"
    with pytest.raises(ValueError):
        rules.case_number("3702", 2026, 1)
    with pytest.raises(ValueError):
        rules.case_number("370200", 2026, 0)


def test_workflow_table():
    wf = rules.WORKFLOW
    assert wf.can("open", CaseStatus.REPORTED) and wf.target_of("open", CaseStatus.REPORTED) == CaseStatus.OPENED
    assert wf.can("close", CaseStatus.REPORTED) and wf.can("close", CaseStatus.OPENED)
    assert not wf.can("open", CaseStatus.OPENED) and not wf.can("open", CaseStatus.CLOSED)
    assert not wf.can("close", CaseStatus.CLOSED)
    # 绿色通道 keeps the status, and a closed case cannot have it.
    assert wf.target_of("green_channel", CaseStatus.OPENED) == CaseStatus.OPENED
    assert not wf.can("green_channel", CaseStatus.CLOSED)
    assert wf.table() == {CaseStatus.REPORTED: {CaseStatus.OPENED, CaseStatus.CLOSED, CaseStatus.REPORTED},
                          CaseStatus.OPENED: {CaseStatus.CLOSED, CaseStatus.OPENED}, CaseStatus.CLOSED: set()}


def test_workflow_actions_are_matrix_actions():
    from gongshang.accounts.rules.access import MATRIX

    assert set(rules.WORKFLOW.steps) <= set(MATRIX["case"])
