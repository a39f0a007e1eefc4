"""The transition tables of 工伤待遇 (DESIGN convention 4): pure data, one per status field.

Action names are the access matrix's actions of the same kind (accounts/rules/access.py); the one
helper core.workflow.transition checks them. Four-eyes rules (the checker is never the maker) are
per-row conditions of the models' access scopes, not part of these tables.
"""

from gongshang.core.workflow import Workflow, step

# Entitlement.status (EntitlementStatus)
PENDING, ACTIVE, SUSPENDED, STOPPED, REJECTED = "pending", "active", "suspended", "stopped", "rejected"

ENTITLEMENT_WORKFLOW = Workflow(
    kind="entitlement",
    statuses=(PENDING, ACTIVE, SUSPENDED, STOPPED, REJECTED),
    steps={
        "approve": step(PENDING, ACTIVE),      # a second 待遇审核员 approves …
        "reject": step(PENDING, REJECTED),     # … or returns
        "suspend": step(ACTIVE, SUSPENDED),
        "resume": step(SUSPENDED, ACTIVE),
        "stop": step((ACTIVE, SUSPENDED), STOPPED),
    },
)

# PayrollRun.status (RunStatus): linear, one person computes, another approves, a third releases.
COMPUTING, COMPUTED, APPROVED, RELEASED, RECONCILED = "computing", "computed", "approved", "released", "reconciled"

PAYROLL_RUN_WORKFLOW = Workflow(
    kind="payroll_run",
    statuses=(COMPUTING, COMPUTED, APPROVED, RELEASED, RECONCILED),
    steps={
        "resume": step(COMPUTING, None),                      # 继续计算 an interrupted run
        "compute": step(COMPUTING, COMPUTED),                 # the computation finished
        "approve": step(COMPUTED, APPROVED),
        "release": step(APPROVED, RELEASED),
        "export_bank_file": step((RELEASED, RECONCILED), None),  # the same file before and after the return
        "import_bank_return": step(RELEASED, None),
        "reconcile": step(RELEASED, RECONCILED),              # every payment has its bank outcome
    },
)

# Payment.status (PaymentStatus): changed in bulk with its run; the bulk writes check this table.
PAY_PENDING, SENT, PAID, FAILED = "pending", "sent", "paid", "failed"

PAYMENT_WORKFLOW = Workflow(
    kind="payment",
    statuses=(PAY_PENDING, SENT, PAID, FAILED),
    steps={
        "release": step(PAY_PENDING, SENT),
        "record_paid": step(SENT, PAID),
        "record_failed": step(SENT, FAILED),   # re-issued as a NEW row by a later run
    },
)

# Adjustment.status (AdjustmentStatus)
ADJ_PENDING, ADJ_APPROVED, ADJ_REJECTED = "pending", "approved", "rejected"

ADJUSTMENT_WORKFLOW = Workflow(
    kind="adjustment",
    statuses=(ADJ_PENDING, ADJ_APPROVED, ADJ_REJECTED),
    steps={
        "approve": step(ADJ_PENDING, ADJ_APPROVED),
        "reject": step(ADJ_PENDING, ADJ_REJECTED),
    },
)

# Parameter.status (ParameterStatus): a correction supersedes the row (a new row carries the value).
PARAM_ACTIVE, PARAM_SUPERSEDED = "active", "superseded"

PARAMETER_WORKFLOW = Workflow(
    kind="parameter",
    statuses=(PARAM_ACTIVE, PARAM_SUPERSEDED),
    steps={"correct": step(PARAM_ACTIVE, PARAM_SUPERSEDED)},
)
