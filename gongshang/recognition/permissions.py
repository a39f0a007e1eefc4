"""Who reaches which recognition application, and the per-row condition of the access matrix
(accounts/rules/access.py, kind "recognition_application"): the rules `RecognitionApplication.access`
is built from.

Applicants: the owning employer (any of its handlers) or the individual who created it change it;
once submitted, the employer it names and the worker it is about see it too (read only). Staff: in
their 统筹区, by role (the matrix) — and an acceptance decision is the allocated 受理员's, or a
审核员's.
"""

from django.db.models import Q

from gongshang.accounts.choices import Audience, StaffRole

from .rules import periods, workflow

APPLICANT_AUDIENCES = (Audience.EMPLOYER, Audience.INDIVIDUAL)
NOT_SHOWN_TO_OTHERS = (workflow.DRAFT, workflow.DELETED)
_SUBMITTED = ~Q(status__in=NOT_SHOWN_TO_OTHERS)
_NOT_DELETED = ~Q(status=workflow.DELETED)


def owner_key_for(actor) -> str:
    if actor.kind == Audience.EMPLOYER:
        return f"employer:{actor.employer_id}"
    return f"user:{actor.pk}"


def is_owner(actor, application) -> bool:
    return (getattr(actor, "kind", None) in APPLICANT_AUDIENCES
            and application.owner_key == owner_key_for(actor))


# --- scope rules (actor -> Q | None) -------------------------------------------------------------------

def assisting_only(actor) -> bool:
    """合作经办 without a role of the recognition desk: an insurer's staff member embedded in the
    agency, who reaches only the applications it was assigned to assist in investigating."""
    return actor.has_role(StaffRole.COOPERATOR) and not actor.has_role(*DESK_ROLES)


DESK_ROLES = (StaffRole.INTAKE, StaffRole.INVESTIGATOR, StaffRole.REVIEWER)


def staff_rows(actor):
    """Staff: their 统筹区's submitted applications; a draft refused for the application period is
    the agency's to handle too (an extension reason). 合作经办: only those it assists in investigating."""
    if not actor.jurisdiction:
        return None
    shown = _SUBMITTED | Q(status=workflow.DRAFT, period_status=periods.EXPIRED)
    if assisting_only(actor):
        return Q(region=actor.jurisdiction) & _SUBMITTED & Q(investigators=actor.pk)
    return Q(region=actor.jurisdiction) & shown


def employer_rows(actor):
    """An employer: its own applications, and once submitted those naming it (a worker's)."""
    if not actor.employer_id:
        return None
    return (Q(owner_key=owner_key_for(actor)) | (Q(employer_id=actor.employer_id) & _SUBMITTED)) & _NOT_DELETED


def individual_rows(actor):
    """An individual: its own applications, and once submitted those about its bound person."""
    mine = Q(owner_key=owner_key_for(actor))
    if actor.person_id:
        mine |= Q(person_id=actor.person_id) & _SUBMITTED
    return mine & _NOT_DELETED


staff_rows.describe = "本统筹区已提交的申请（含超过申请时限待处理的草稿）；合作经办人员仅协助调查的申请"
employer_rows.describe = "本单位的申请，及提交后列明本单位的申请"
individual_rows.describe = "本人的申请，及提交后关于本人的申请"


def via_application(path: str):
    """Rows of a child (a document) whose application the account reaches."""
    def rule(actor):
        from .models import RecognitionApplication

        where = RecognitionApplication.access.rows(actor)
        if where is None:
            return None
        return Q(**{f"{path}__in": RecognitionApplication.objects.filter(where).values("pk")})
    rule.describe = "可查看的认定申请的文书"
    return rule


# --- the per-row condition -----------------------------------------------------------------------------

def condition(actor, application, action: str) -> bool:
    if getattr(actor, "kind", None) == Audience.STAFF and assisting_only(actor) \
            and not application.investigators.filter(pk=actor.pk).exists():
        return False  # 合作经办: only the applications it was put on (the scope says so too)
    if action in workflow.OWNER_ACTIONS:
        return is_owner(actor, application)
    if action in workflow.ASSIGNEE_ACTIONS:
        return actor.has_role(StaffRole.REVIEWER) or application.assignee_id == actor.pk
    if action == "resume":
        return application.suspended_from != workflow.INVESTIGATING
    if action == "resume_investigation":
        return application.suspended_from == workflow.INVESTIGATING
    return True


def refusal(action: str) -> str:
    """Why the condition refused (one message per kind of refusal; 合作经办 off the case: the last)."""
    if action in workflow.OWNER_ACTIONS:
        return "该申请由他人提交，您可以查看进度，但不能修改、提交或撤回。"
    if action in workflow.ASSIGNEE_ACTIONS:
        return "该申请已分配给其他受理员，请联系分配人或刷新页面。"
    if action in ("resume", "resume_investigation"):
        return "请按中止前的办理阶段恢复认定，请刷新页面。"
    return "您不能对该申请办理此业务。"
