"""The transition tables of 服务 (DESIGN convention 4), keyed by the actions of the access matrix.

Ticket (12333 工单): open → transferred (to a desk) → replied (by that desk, or by the agent at once)
→ closed (the agent, after telling the caller); a complaint is tracked until it is closed.
Prevention plan (县区年度计划): draft → submitted (to the city) → approved, or returned → edited and
submitted again. The total of a county's plan may not exceed its share of the cap (第五条).
Prevention project: proposed → approved (立项) → contracted → delivered → accepted (验收) → evaluated
(the evaluation forms and questionnaires score it) → paid (the score decides the amount); or rejected.
Training session: planned → held (first sign-in or the organiser opens it) → closed.
Follow-up of a bad rating (差评整改): open → closed, once, with the outcome told to the applicant
(国办发〔2019〕51号: 回访整改反馈); keyed by the matrix action `follow_up`.
"""

from gongshang.core.workflow import Workflow, step

from ..choices import FollowUpStatus as F
from ..choices import PlanStatus as P
from ..choices import ProjectStatus as J
from ..choices import SessionStatus as S
from ..choices import TicketStatus as T

TICKET_WORKFLOW = Workflow(kind="service_ticket", statuses=tuple(T.values), steps={
    "transfer": step((T.OPEN, T.TRANSFERRED, T.REPLIED), T.TRANSFERRED),
    "reply": step((T.OPEN, T.TRANSFERRED), T.REPLIED),
    "close": step((T.OPEN, T.REPLIED), T.CLOSED),
    "callback": step(T.CLOSED, None),
})

PLAN_WORKFLOW = Workflow(kind="prevention_plan", statuses=tuple(P.values), steps={
    "edit": step((P.DRAFT, P.RETURNED), None),
    "submit": step((P.DRAFT, P.RETURNED), P.SUBMITTED),
    "approve": step(P.SUBMITTED, P.APPROVED),
    "return": step(P.SUBMITTED, P.RETURNED),
})

PROJECT_WORKFLOW = Workflow(kind="prevention_project", statuses=tuple(J.values), steps={
    "edit": step(J.PROPOSED, None),
    "approve": step(J.PROPOSED, J.APPROVED),
    "contract": step(J.APPROVED, J.CONTRACTED),
    "complete_delivery": step(J.CONTRACTED, J.DELIVERED),
    "acceptance": step(J.DELIVERED, J.ACCEPTED),
    "evaluate": step(J.ACCEPTED, J.EVALUATED),
    "pay": step(J.EVALUATED, J.PAID),
})

SESSION_WORKFLOW = Workflow(kind="training_session", statuses=tuple(S.values), steps={
    "record_session": step((S.PLANNED, S.HELD), S.HELD),
    "close": step(S.HELD, S.CLOSED),
})

FOLLOW_UP_WORKFLOW = Workflow(kind="service_rating", statuses=tuple(F.values), steps={
    "follow_up": step(F.OPEN, F.CLOSED),
})
