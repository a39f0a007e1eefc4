"""The transition tables of 工伤医疗 (DESIGN convention 4), keyed by the actions of the access matrix.

Encounter (one stay or visit billed by an agreement institution):
open → settled (出院直接结算: the rules decide each line's fund share) → approved or deducted by the
稽核员 (or queried: the institution answers and it is settled again) → in_statement (the month's
statement of the institution takes it, exactly once).
Statement (an institution's month): computed → approved (a second person) → released (bank file,
by someone other than the approver) → paid (the bank's return).
Remote registration (异地就医备案): active → changed (a new registration replaces it) or cancelled,
both only after the regional lock (3 months).
Audit campaign (稽核): planning → in_progress → reporting → closed; each visit: planned → visited →
notified (整改通知) → rectified (the institution's report) → closed (复查销号).
Referral (辅助器具/康复): confirmed → chosen (the worker picks an agreement institution) → settled.
Agreement institution (协议机构): in_force ⇄ suspended (暂停结算, with a reason) → terminated (解除协议,
final: a new agreement is a new row with a new agreement number).
"""

from gongshang.core.workflow import Workflow, step

from ..choices import (
    AgreementStatus as A,
)
from ..choices import (
    CampaignStatus as C,
)
from ..choices import (
    EncounterStatus as E,
)
from ..choices import (
    ReferralStatus as F,
)
from ..choices import (
    RemoteStatus as R,
)
from ..choices import (
    StatementStatus as S,
)
from ..choices import (
    VisitStatus as V,
)

ENCOUNTER_WORKFLOW = Workflow(kind="medical_encounter", statuses=tuple(E.values), steps={
    "edit_lines": step(E.OPEN, None),
    "settle": step(E.OPEN, E.SETTLED),
    "query": step(E.SETTLED, E.QUERIED),
    "answer": step(E.QUERIED, E.OPEN),          # the institution corrects its lines and settles again
    "approve": step((E.SETTLED, E.QUERIED), E.APPROVED),
    "deduct": step((E.SETTLED, E.QUERIED), E.DEDUCTED),
})

STATEMENT_WORKFLOW = Workflow(kind="medical_statement", statuses=tuple(S.values), steps={
    "approve": step(S.COMPUTED, S.APPROVED),
    "release": step(S.APPROVED, S.RELEASED),
    "export_bank_file": step((S.RELEASED, S.PAID), None),
    "record_paid": step(S.RELEASED, S.PAID),
})

REMOTE_WORKFLOW = Workflow(kind="remote_registration", statuses=tuple(R.values), steps={
    "change": step(R.ACTIVE, R.CHANGED),
    "cancel": step(R.ACTIVE, R.CANCELLED),
})

CAMPAIGN_WORKFLOW = Workflow(kind="medical_audit_campaign", statuses=tuple(C.values), steps={
    "edit": step(C.PLANNING, None),
    "start": step(C.PLANNING, C.IN_PROGRESS),
    "report": step(C.IN_PROGRESS, C.REPORTING),
    "close": step(C.REPORTING, C.CLOSED),
})

VISIT_WORKFLOW = Workflow(kind="medical_audit_visit", statuses=tuple(V.values), steps={
    "record": step((V.PLANNED, V.VISITED), V.VISITED),
    "notify": step(V.VISITED, V.NOTIFIED),
    "respond": step(V.NOTIFIED, V.RECTIFIED),
    "close": step((V.VISITED, V.NOTIFIED, V.RECTIFIED), V.CLOSED),
})

REFERRAL_WORKFLOW = Workflow(kind="medical_referral", statuses=tuple(F.values), steps={
    "choose": step((F.CONFIRMED, F.CHOSEN), F.CHOSEN),
    "settle": step(F.CHOSEN, F.SETTLED),
    "cancel": step((F.CONFIRMED, F.CHOSEN), F.CANCELLED),
})

INSTITUTION_WORKFLOW = Workflow(kind="medical_institution", statuses=tuple(A.values), steps={
    "suspend": step(A.IN_FORCE, A.SUSPENDED),
    "resume": step(A.SUSPENDED, A.IN_FORCE),
    "terminate": step((A.IN_FORCE, A.SUSPENDED), A.TERMINATED),
})
