"""The transition tables of benefits/rules/workflows.py: pure data, no database."""

import pytest

from gongshang.accounts.rules.access import MATRIX
from gongshang.benefits.choices import (
    AdjustmentStatus,
    EntitlementStatus,
    ParameterStatus,
    PaymentStatus,
    RunStatus,
)
from gongshang.benefits.rules.workflows import (
    ADJUSTMENT_WORKFLOW,
    ENTITLEMENT_WORKFLOW,
    PARAMETER_WORKFLOW,
    PAYMENT_WORKFLOW,
    PAYROLL_RUN_WORKFLOW,
)

WORKFLOWS = [(ENTITLEMENT_WORKFLOW, EntitlementStatus), (PAYROLL_RUN_WORKFLOW, RunStatus),
             (PAYMENT_WORKFLOW, PaymentStatus), (ADJUSTMENT_WORKFLOW, AdjustmentStatus),
             (PARAMETER_WORKFLOW, ParameterStatus)]


@pytest.mark.parametrize("workflow, choices", WORKFLOWS)
def test_tables_use_the_model_statuses_and_matrix_actions(workflow, choices):
    assert set(workflow.statuses) == set(choices.values)
    for action, found in workflow.steps.items():
        assert action in MATRIX[workflow.kind], action
        assert found.sources <= set(choices.values) and (found.target is None or found.target in choices.values)


def test_entitlement_table():
    assert ENTITLEMENT_WORKFLOW.table() == {
        "pending": {"active", "rejected"}, "active": {"suspended", "stopped"},
        "suspended": {"active", "stopped"}, "stopped": set(), "rejected": set()}
    assert ENTITLEMENT_WORKFLOW.actions_from("active") == ("suspend", "stop")
    assert ENTITLEMENT_WORKFLOW.actions_from("suspended") == ("resume", "stop")
    for refused in [("approve", "active"), ("suspend", "suspended"), ("resume", "active"), ("stop", "rejected"),
                    ("reject", "stopped")]:
        assert not ENTITLEMENT_WORKFLOW.can(*refused)


def test_payroll_run_table_is_linear():
    assert PAYROLL_RUN_WORKFLOW.table() == {
        "computing": {"computing", "computed"}, "computed": {"approved"}, "approved": {"released"},
        "released": {"released", "reconciled"}, "reconciled": {"reconciled"}}
    assert not PAYROLL_RUN_WORKFLOW.can("release", "computed")  # never released unapproved
    assert not PAYROLL_RUN_WORKFLOW.can("approve", "computing")
    assert not PAYROLL_RUN_WORKFLOW.can("export_bank_file", "approved")
    assert not PAYROLL_RUN_WORKFLOW.can("import_bank_return", "reconciled")


def test_payment_adjustment_and_parameter_tables():
    assert PAYMENT_WORKFLOW.table() == {"pending": {"sent"}, "sent": {"paid", "failed"}, "paid": set(),
                                        "failed": set()}  # a failure is re-issued as a new row
    assert ADJUSTMENT_WORKFLOW.table() == {"pending": {"approved", "rejected"}, "approved": set(), "rejected": set()}
    assert PARAMETER_WORKFLOW.table() == {"active": {"superseded"}, "superseded": set()}
