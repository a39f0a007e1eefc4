"""The transition tables of 数据交换 (DESIGN convention 4), keyed by the actions of the access matrix.

Batch: received → processing → done | failed (a failed batch may be processed again: `retry`);
a file received again is recorded as `duplicate` at once. Outbound: → sent.
Dead letter, contribution mismatch: open → resolved (`resolve`), once, with a note.
Death record: applied (entitlements suspended) → confirmed (stopped) or refuted (resumed).
Overpayment: open → recovered (`recover`) or waived (`waive`).
Certification (待遇领取资格认证): due → submitted (the phone) → confirmed or rejected (→ submitted
again); due/rejected → lapsed (past the due date: payments suspended) → submitted/confirmed
(payments resumed with arrears); data comparison or an institution confirms directly (`confirm`).
Case package: exported → sent → answered. Transfer in: received → accepted.
Hospital notice: unlinked ↔ linked (`link`), or dismissed (`dismiss`).
"""

from gongshang.core.workflow import Workflow, step

from ..choices import BatchStatus as B
from ..choices import CertificationStatus as C
from ..choices import DeadLetterStatus as DL
from ..choices import DeathStatus as D
from ..choices import HospitalNoticeStatus as H
from ..choices import MismatchStatus as M
from ..choices import PackageStatus as P
from ..choices import RecoveryStatus as R
from ..choices import TransferStatus as T

BATCH_WORKFLOW = Workflow(kind="exchange_batch", statuses=tuple(B.values), steps={
    "retry": step(B.FAILED, B.RECEIVED),
})

# The platform's own steps while it processes a batch (transition(None, ...) only: no role takes them,
# so they stay out of the access matrix and out of BATCH_WORKFLOW, whose steps are the matrix's actions).
BATCH_PROCESSING_WORKFLOW = Workflow(kind="exchange_batch", statuses=tuple(B.values), steps={
    "start": step(B.RECEIVED, B.PROCESSING),
    "finish": step(B.PROCESSING, B.DONE),
    "fail": step((B.RECEIVED, B.PROCESSING), B.FAILED),
})

DEAD_LETTER_WORKFLOW = Workflow(kind="dead_letter", statuses=tuple(DL.values), steps={
    "resolve": step(DL.OPEN, DL.RESOLVED),
})

MISMATCH_WORKFLOW = Workflow(kind="contribution_mismatch", statuses=tuple(M.values), steps={
    "resolve": step(M.OPEN, M.RESOLVED),
})

DEATH_WORKFLOW = Workflow(kind="death_record", statuses=tuple(D.values), steps={
    "confirm": step(D.APPLIED, D.CONFIRMED),
    "refute": step(D.APPLIED, D.REFUTED),
})

RECOVERY_WORKFLOW = Workflow(kind="overpayment", statuses=tuple(R.values), steps={
    "recover": step(R.OPEN, R.RECOVERED),
    "waive": step(R.OPEN, R.WAIVED),
})

CERTIFICATION_WORKFLOW = Workflow(kind="benefit_certification", statuses=tuple(C.values), steps={
    "certify": step((C.DUE, C.REJECTED, C.LAPSED), C.SUBMITTED),
    "review": step(C.SUBMITTED, None),            # the reviewer's decision sets confirmed or rejected
    "confirm": step((C.DUE, C.REJECTED, C.LAPSED, C.SUBMITTED), C.CONFIRMED),
    # The platform's own step (actor None, in no one's matrix row): past the due date, payments stop.
    "lapse": step((C.DUE, C.REJECTED), C.LAPSED),
})

PACKAGE_WORKFLOW = Workflow(kind="case_package", statuses=tuple(P.values), steps={
    "send": step(P.EXPORTED, P.SENT),
    "answer": step(P.SENT, P.ANSWERED),           # the province's answer file (the platform acts)
})

TRANSFER_WORKFLOW = Workflow(kind="case_package", statuses=tuple(T.values), steps={
    "take_over": step(T.RECEIVED, T.ACCEPTED),
})

HOSPITAL_NOTICE_WORKFLOW = Workflow(kind="hospital_notice", statuses=tuple(H.values), steps={
    "link": step((H.UNLINKED, H.DISMISSED), H.LINKED),
    "dismiss": step((H.UNLINKED, H.LINKED), H.DISMISSED),
})
