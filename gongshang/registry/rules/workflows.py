"""The transition tables of the employer hall (DESIGN convention 4): pure data.

Each action is named as in the access matrix (accounts/rules/access.py) for the same kind; the one
helper core.workflow.transition checks these tables, locks the row and records the audit event.
Status codes are the values of registry.choices (kept as plain strings so this module stays pure;
tests check they match).
"""

from gongshang.core.workflow import Workflow, step

# 人员异动申报 (EnrolmentChange.status): pending until the employer withdraws it or the 受理员 decides.
CHANGE_PENDING, CHANGE_CONFIRMED, CHANGE_REJECTED, CHANGE_WITHDRAWN = "pending", "confirmed", "rejected", "withdrawn"
CHANGE_WORKFLOW = Workflow(
    kind="enrolment_change",
    statuses=(CHANGE_PENDING, CHANGE_CONFIRMED, CHANGE_REJECTED, CHANGE_WITHDRAWN),
    steps={
        "edit": step(CHANGE_PENDING, None),  # the employer changes the data; the status stays
        "withdraw": step(CHANGE_PENDING, CHANGE_WITHDRAWN),
        "confirm": step(CHANGE_PENDING, CHANGE_CONFIRMED),
        "reject": step(CHANGE_PENDING, CHANGE_REJECTED),
    },
)

# 参保关系 (Enrolment.status): an open relation (active or suspended) ends with a confirmed 减员;
# a suspended one resumes with a confirmed 续保. A new relation is created active.
ENROLMENT_ACTIVE, ENROLMENT_SUSPENDED, ENROLMENT_TERMINATED, ENROLMENT_RETIRED = (
    "active", "suspended", "terminated", "retired")
ENROLMENT_OPEN = (ENROLMENT_ACTIVE, ENROLMENT_SUSPENDED)
ENROLMENT_WORKFLOW = Workflow(
    kind="enrolment",
    statuses=(ENROLMENT_ACTIVE, ENROLMENT_SUSPENDED, ENROLMENT_TERMINATED, ENROLMENT_RETIRED),
    steps={
        "suspend": step(ENROLMENT_OPEN, ENROLMENT_SUSPENDED),     # 暂停参保
        "stop": step(ENROLMENT_OPEN, ENROLMENT_TERMINATED),       # 终止参保
        "convert": step(ENROLMENT_OPEN, ENROLMENT_RETIRED),       # 在职转退休
        "resume": step(ENROLMENT_SUSPENDED, ENROLMENT_ACTIVE),    # 续保
    },
)
# Which 减员 kind ends an open relation with which action.
REDUCTION_ACTIONS = {"reduce_suspend": "suspend", "reduce_terminate": "stop", "reduce_retire": "convert"}

# 参保单位 (Employer.status): a self-registered employer waits for the 受理员's verification.
EMPLOYER_PENDING, EMPLOYER_ACTIVE, EMPLOYER_SUSPENDED, EMPLOYER_CLOSED = "pending", "active", "suspended", "closed"
EMPLOYER_WORKFLOW = Workflow(
    kind="employer",
    statuses=(EMPLOYER_PENDING, EMPLOYER_ACTIVE, EMPLOYER_SUSPENDED, EMPLOYER_CLOSED),
    steps={
        "verify": step(EMPLOYER_PENDING, EMPLOYER_ACTIVE),
    },
)

# 批量报盘 (RosterImport.status): queued → running (claimed once) → a final state; a failed import
# (nothing of it written) may be queued again. `run` is the claim (the worker, or the employer's
# "立即处理"); complete/reject/fail are the worker's conclusions.
IMPORT_QUEUED, IMPORT_RUNNING, IMPORT_SUCCEEDED, IMPORT_REJECTED, IMPORT_FAILED = (
    "queued", "running", "succeeded", "rejected", "failed")
IMPORT_WORKFLOW = Workflow(
    kind="roster_import",
    statuses=(IMPORT_QUEUED, IMPORT_RUNNING, IMPORT_SUCCEEDED, IMPORT_REJECTED, IMPORT_FAILED),
    steps={
        "run": step(IMPORT_QUEUED, IMPORT_RUNNING),
        "complete": step(IMPORT_RUNNING, IMPORT_SUCCEEDED),
        "reject": step(IMPORT_RUNNING, IMPORT_REJECTED),
        "fail": step(IMPORT_RUNNING, IMPORT_FAILED),
        "retry": step(IMPORT_FAILED, IMPORT_QUEUED),
    },
)
# The conclusion action for each final status the worker writes.
IMPORT_CONCLUSIONS = {IMPORT_SUCCEEDED: "complete", IMPORT_REJECTED: "reject", IMPORT_FAILED: "fail"}
