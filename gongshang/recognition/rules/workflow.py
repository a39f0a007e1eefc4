"""The one transition table of RecognitionApplication.status (DESIGN convention 4).

draft → submitted (待分配) → allocated (受理员) → accepted | correction_requested | not_accepted;
correction_requested → allocated again only when the applicant resubmits (back to the same 受理员;
staff cannot allocate or accept an application whose corrections never arrived);
accepted → investigating (required for death and serious injury: 2 investigators, a report);
accepted/investigating → suspended (中止, 条例 第二十条 第三款) → back where it was;
accepted/investigating → decided → delivered. The applicant withdraws before the decision and
deletes drafts and correction_requested applications.
"""

from gongshang.core.workflow import Workflow, step

DRAFT = "draft"
SUBMITTED = "submitted"
ALLOCATED = "allocated"
ACCEPTED = "accepted"
CORRECTION_REQUESTED = "correction_requested"
NOT_ACCEPTED = "not_accepted"
INVESTIGATING = "investigating"
SUSPENDED = "suspended"
DECIDED = "decided"
DELIVERED = "delivered"
WITHDRAWN = "withdrawn"
DELETED = "deleted"

STATUSES = (DRAFT, SUBMITTED, ALLOCATED, ACCEPTED, CORRECTION_REQUESTED, NOT_ACCEPTED, INVESTIGATING,
            SUSPENDED, DECIDED, DELIVERED, WITHDRAWN, DELETED)

# The table (DESIGN convention 4), keyed by the access matrix actions of "recognition_application"
# (accounts/rules/access.py): who may take an action is the matrix's business (and the model's
# condition: only the owner changes its application, only the allocated 受理员 or a 审核员 decides
# on acceptance); from which status to which is this table's.
STEPS = {
    "submit": step(DRAFT, SUBMITTED),
    # 补正后重新提交 (认定办法 第八条): back to the same 受理员; staff cannot allocate or accept it.
    "resubmit": step(CORRECTION_REQUESTED, ALLOCATED),
    "edit": step((DRAFT, CORRECTION_REQUESTED), None),  # modify, materials, the prefilled form
    "delete": step((DRAFT, CORRECTION_REQUESTED), DELETED),
    "withdraw": step((SUBMITTED, ALLOCATED, CORRECTION_REQUESTED, ACCEPTED, INVESTIGATING, SUSPENDED), WITHDRAWN),
    # allocated → allocated: re-allocation to another 受理员.
    "allocate": step((SUBMITTED, ALLOCATED), ALLOCATED),
    "accept": step(ALLOCATED, ACCEPTED),
    "request_correction": step(ALLOCATED, CORRECTION_REQUESTED),
    "reject": step(ALLOCATED, NOT_ACCEPTED),
    "investigate": step(ACCEPTED, INVESTIGATING),
    "note": step(INVESTIGATING, None),
    "report": step(INVESTIGATING, None),
    "suspend": step((ACCEPTED, INVESTIGATING), SUSPENDED),
    # 恢复: back where it was (the model's condition picks the one matching `suspended_from`).
    "resume": step(SUSPENDED, ACCEPTED),
    "resume_investigation": step(SUSPENDED, INVESTIGATING),
    "decide": step((ACCEPTED, INVESTIGATING), DECIDED),
    # 送达: recorded by staff, or the applicant's 下载并签收 on the portal (electronic delivery).
    "deliver": step(DECIDED, DELIVERED),
    "receive_decision": step(DECIDED, DELIVERED),
}

WORKFLOW = Workflow(kind="recognition_application", steps=STEPS, statuses=STATUSES)

# status → statuses it may move to (derived from the table; kept for readers and older callers).
TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(t for t in targets if t != status or status == ALLOCATED)
    for status, targets in WORKFLOW.table().items()
}

# The applicant may change the application only here (seed 002: 未审核或审核未通过的申请信息支持修改、删除).
EDITABLE = STEPS["edit"].sources
# Open: the agency still owes something (acceptance, a decision or its delivery).
OPEN = frozenset({SUBMITTED, ALLOCATED, CORRECTION_REQUESTED, ACCEPTED, INVESTIGATING, SUSPENDED, DECIDED})
# An application in these states has the case: being decided, or decided (no second application).
TAKEN = OPEN | {DELIVERED}
AWAITING_ACCEPTANCE = frozenset({SUBMITTED, ALLOCATED})
AWAITING_DECISION = frozenset({ACCEPTED, INVESTIGATING, SUSPENDED})
TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# Actions only the applicant who owns the application takes (others who see it may only view).
OWNER_ACTIONS = frozenset({"edit", "delete", "submit", "resubmit", "withdraw", "receive_decision"})
# Acceptance decisions: the allocated 受理员, or any 审核员.
ASSIGNEE_ACTIONS = frozenset({"accept", "request_correction", "reject"})

APPLICANT = "applicant"
STAFF = "staff"
STAFF_REFUSED = ("该申请正等待申请人补正材料：只有申请人补正后重新提交，才会回到原受理员继续办理；"
                 "经办人员不能直接分配或受理。")

# The refusals when the status does not allow an action (409), in words the user can act on.
MESSAGES = {
    "submit": "只有草稿可以提交；待补正的申请请补正后重新提交。",
    "resubmit": "只有待补正的申请可以补正后重新提交。",
    "edit": "只有草稿或待补正的申请可以修改、上传或移除材料。",
    "delete": "只有草稿或待补正的申请可以删除。",
    "withdraw": "该申请已作出认定决定或已办结，不能撤回。",
    "allocate": STAFF_REFUSED,
    "accept": "只有已分配待受理的申请可以受理；待补正的申请须等申请人补正后重新提交。",
    "request_correction": "只有已分配待受理的申请可以要求补正。",
    "reject": "只有已分配待受理的申请可以作出不予受理决定。",
    "investigate": "只有已受理的申请可以启动调查核实。",
    "note": "只有调查核实中的申请可以记录调查情况。",
    "report": "只有调查核实中的申请可以上传调查报告。",
    "suspend": "只有已受理或调查核实中的申请可以中止。",
    "resume": "只有中止中的申请可以恢复认定。",
    "resume_investigation": "只有中止中的申请可以恢复认定。",
    "decide": "只有已受理或调查核实中的申请可以作出认定决定。",
    "deliver": "只有已作出认定决定、尚未送达的申请可以登记送达。",
    "receive_decision": "只有已作出认定决定、尚未送达的申请可以签收决定书。",
}
STALE = "该申请当前状态不允许此操作，请刷新页面查看最新状态。"


def message_for(action: str, current: str = "") -> str:
    """Why `action` is refused from `current` (the 409 message)."""
    if action in ("allocate", "accept") and str(current) == CORRECTION_REQUESTED:
        return STAFF_REFUSED
    return MESSAGES.get(action, STALE)


def action_to(current: str, target: str, by: str | None = None) -> str | None:
    """The action that moves `current` → `target` (for `by` when given), None when none does."""
    for action, found in STEPS.items():
        if found.target is not None and found.target == str(target) and str(current) in found.sources:
            if by is None or party_of(action) == by:
                return action
    return None


def party_of(action: str) -> str:
    return APPLICANT if action in OWNER_ACTIONS else STAFF


def actors_of(current: str, target: str) -> frozenset[str]:
    """Who may move `current` → `target` (empty when the table forbids it)."""
    return frozenset(party_of(a) for a, s in STEPS.items()
                     if s.target == str(target) and str(current) in s.sources)


def can_transition(current: str, target: str, by: str | None = None) -> bool:
    """The table allows it and, when `by` is given, that party may take the edge."""
    actors = actors_of(current, target)
    return bool(actors) and (by is None or by in actors)


def refusal_message(current: str, target: str, by: str | None) -> str:
    """Why a transition is refused, in words an applicant or officer can act on."""
    if (str(current), str(target)) == (CORRECTION_REQUESTED, ALLOCATED) and by == STAFF:
        return STAFF_REFUSED
    if actors_of(current, target):
        return "该操作只能由申请人办理。" if by == STAFF else "该操作只能由经办人员办理。"
    return STALE


def allowed_targets(current: str) -> frozenset[str]:
    return TRANSITIONS.get(str(current), frozenset())


def investigation_required(died: bool, serious_injury: bool) -> bool:
    """死亡或重伤: two investigators and an investigation report before the decision (seed 002, 长春市程序)."""
    return bool(died or serious_injury)


# The timeline entry each action writes (RecognitionEventType values; choices.py builds on rules).
TIMELINE_EVENTS = {
    "submit": "recognition.submitted", "resubmit": "recognition.resubmitted", "delete": "recognition.deleted",
    "withdraw": "recognition.withdrawn", "allocate": "recognition.allocated", "accept": "recognition.accepted",
    "request_correction": "recognition.correction_requested", "reject": "recognition.not_accepted",
    "investigate": "recognition.investigation_started", "suspend": "recognition.suspended",
    "resume": "recognition.resumed", "resume_investigation": "recognition.resumed", "decide": "recognition.decided",
    "deliver": "recognition.delivered", "receive_decision": "recognition.delivered",
    "period_extension": "recognition.period_extension",
}
REPLACED = "recognition.draft_replaced"


PERIOD_EXPIRED = "recognition.period_expired"


def timeline_event(action: str, details: dict | None = None, target: str = "") -> str:
    """The timeline event type of `action` (a draft deleted because a newer one replaces it says so;
    a submission found late marks the application period expired: periods.PERIOD_WORKFLOW)."""
    if action == "submit" and target == "expired":
        return PERIOD_EXPIRED
    if action == "delete" and (details or {}).get("replaced_by_new_draft"):
        return REPLACED
    return TIMELINE_EVENTS[action]
