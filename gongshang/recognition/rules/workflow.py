"""The one transition table of RecognitionApplication.status (DESIGN convention 4).

draft → submitted (待分配) → allocated (受理员) → accepted | correction_requested | not_accepted;
correction_requested → allocated again when the applicant resubmits (back to the same 受理员);
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
AWAITING_ACCEPTANCE = frozenset({SUBMITTED, ALLOCATED})
AWAITING_DECISION = frozenset({ACCEPTED, INVESTIGATING, SUSPENDED})
TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


def can_transition(current: str, target: str) -> bool:
    return str(target) in TRANSITIONS.get(str(current), frozenset())


def allowed_targets(current: str) -> frozenset[str]:
    return TRANSITIONS.get(str(current), frozenset())


def decision_basis_errors(result: str, article: str, reasoning: str) -> dict[str, str]:
    """A decision needs its legal basis (条例 第十四条/第十五条/第十六条) and reasons; the article
    must fit the result: 认定工伤 第十四条, 视同工伤 第十五条, 不予认定 第十四/十五条 not met or 第十六条."""
    errors = {}
    if result not in ("recognized", "deemed", "not_recognized"):
        errors["result"] = "认定结论应为 recognized（认定工伤）、deemed（视同工伤）或 not_recognized（不予认定）"
    article = (article or "").strip()
    if not article:
        errors["article"] = "请填写法律依据，例如“《工伤保险条例》第十四条第（一）项”"
    elif result == "recognized" and "第十四条" not in article:
        errors["article"] = "认定为工伤的法律依据应为《工伤保险条例》第十四条的相应项"
    elif result == "deemed" and "第十五条" not in article:
        errors["article"] = "视同工伤的法律依据应为《工伤保险条例》第十五条的相应项"
    elif result == "not_recognized" and not any(a in article for a in ("第十四条", "第十五条", "第十六条")):
        errors["article"] = "不予认定的法律依据应写明不符合第十四条、第十五条，或属于第十六条的情形"
    if not (reasoning or "").strip():
        errors["reasoning"] = "请填写认定理由（查明的事实与适用的条款）"
    return errors


def investigation_required(died: bool, serious_injury: bool) -> bool:
    """死亡或重伤: two investigators and an investigation report before the decision (seed 002, 长春市程序)."""
    return bool(died or serious_injury)
