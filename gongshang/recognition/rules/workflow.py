"""The one transition table of RecognitionApplication.status (DESIGN convention 4).

draft → submitted (待分配) → allocated (受理员) → accepted | correction_requested | not_accepted;
correction_requested → allocated again only when the applicant resubmits (back to the same 受理员;
staff cannot allocate or accept an application whose corrections never arrived);
accepted → investigating (required for death and serious injury: 2 investigators, a report);
accepted/investigating → suspended (中止, 条例 第二十条 第三款) → back where it was;
accepted/investigating → decided → delivered. The applicant withdraws before the decision and
deletes drafts and correction_requested applications.
"""

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

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, DELETED}),
    SUBMITTED: frozenset({ALLOCATED, WITHDRAWN}),
    # allocated → allocated: re-allocation to another 受理员.
    ALLOCATED: frozenset({ALLOCATED, ACCEPTED, CORRECTION_REQUESTED, NOT_ACCEPTED, WITHDRAWN}),
    CORRECTION_REQUESTED: frozenset({ALLOCATED, WITHDRAWN, DELETED}),
    ACCEPTED: frozenset({INVESTIGATING, SUSPENDED, DECIDED, WITHDRAWN}),
    INVESTIGATING: frozenset({SUSPENDED, DECIDED, WITHDRAWN}),
    SUSPENDED: frozenset({ACCEPTED, INVESTIGATING, WITHDRAWN}),
    DECIDED: frozenset({DELIVERED}),
    NOT_ACCEPTED: frozenset(),
    DELIVERED: frozenset(),
    WITHDRAWN: frozenset(),
    DELETED: frozenset(),
}

# The applicant may change the application only here (seed 002: 未审核或审核未通过的申请信息支持修改、删除).
EDITABLE = frozenset({DRAFT, CORRECTION_REQUESTED})
# Open: the agency still owes something (acceptance, a decision or its delivery).
OPEN = frozenset({SUBMITTED, ALLOCATED, CORRECTION_REQUESTED, ACCEPTED, INVESTIGATING, SUSPENDED, DECIDED})
# An application in these states has the case: being decided, or decided (no second application).
TAKEN = OPEN | {DELIVERED}
AWAITING_ACCEPTANCE = frozenset({SUBMITTED, ALLOCATED})
AWAITING_DECISION = frozenset({ACCEPTED, INVESTIGATING, SUSPENDED})
TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


APPLICANT = "applicant"
STAFF = "staff"
# Who takes which edge: the applicant submits, resubmits after 补正 (认定办法 第八条), withdraws and
# deletes; staff do the rest; the decision is delivered by staff or by the applicant's 签收 on the portal.
APPLICANT_TARGETS = frozenset({SUBMITTED, WITHDRAWN, DELETED})
APPLICANT_EDGES = frozenset({(CORRECTION_REQUESTED, ALLOCATED)})
SHARED_EDGES = frozenset({(DECIDED, DELIVERED)})


def actors_of(current: str, target: str) -> frozenset[str]:
    """Who may move `current` → `target` (empty when the table forbids it)."""
    current, target = str(current), str(target)
    if target not in TRANSITIONS.get(current, frozenset()):
        return frozenset()
    if (current, target) in SHARED_EDGES:
        return frozenset({APPLICANT, STAFF})
    if target in APPLICANT_TARGETS or (current, target) in APPLICANT_EDGES:
        return frozenset({APPLICANT})
    return frozenset({STAFF})


def can_transition(current: str, target: str, by: str | None = None) -> bool:
    """The table allows it and, when `by` is given, that party may take the edge."""
    actors = actors_of(current, target)
    return bool(actors) and (by is None or by in actors)


def refusal_message(current: str, target: str, by: str | None) -> str:
    """Why a transition is refused, in words an applicant or officer can act on."""
    if (str(current), str(target)) in APPLICANT_EDGES and by == STAFF:
        return ("该申请正等待申请人补正材料：只有申请人补正后重新提交，才会回到原受理员继续办理；"
                "经办人员不能直接分配或受理。")
    if actors_of(current, target):
        return "该操作只能由申请人办理。" if by == STAFF else "该操作只能由经办人员办理。"
    return "该申请当前状态不允许此操作，请刷新页面查看最新状态。"


def allowed_targets(current: str) -> frozenset[str]:
    return TRANSITIONS.get(str(current), frozenset())


def investigation_required(died: bool, serious_injury: bool) -> bool:
    """死亡或重伤: two investigators and an investigation report before the decision (seed 002, 长春市程序)."""
    return bool(died or serious_injury)
