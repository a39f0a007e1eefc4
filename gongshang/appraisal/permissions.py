"""Who reaches which 劳动能力鉴定 application, and the per-row condition of the access matrix
(accounts/rules/access.py, kind "appraisal_application").

Applicants: the employer (any of its handlers) or the individual who created it change it; once
submitted, the employer of the case and the worker it is about see it too (read only). Staff: the
鉴定管理员 and the 待遇审核员 of the 统筹区; an expert (鉴定专家) only the applications of the panels
they sit on, and signs only their own opinion.
"""

from django.db.models import Q

from gongshang.accounts.choices import Audience, StaffRole

from .rules import workflow

APPLICANT_AUDIENCES = (Audience.EMPLOYER, Audience.INDIVIDUAL)
_SHOWN = ~Q(status__in=(workflow.DRAFT, workflow.DELETED))
_NOT_DELETED = ~Q(status=workflow.DELETED)
EXPERT_ONLY_ROLES = frozenset({StaffRole.APPRAISAL_EXPERT})


def owner_key_for(actor) -> str:
    if actor.kind == Audience.EMPLOYER:
        return f"employer:{actor.employer_id}"
    if actor.kind == Audience.STAFF:
        return f"agency:{actor.jurisdiction}"
    return f"user:{actor.pk}"


def is_owner(actor, application) -> bool:
    return application.owner_key == owner_key_for(actor)


def is_expert_only(actor) -> bool:
    return actor.kind == Audience.STAFF and set(actor.role_codes) <= EXPERT_ONLY_ROLES


# --- scope rules (actor -> Q | None) -------------------------------------------------------------------

# An expert reaches an application only while the panel works on it: from the draw to the panel's
# proposal (鉴定办法 第十二条, 第十六条); once concluded it is the agency's file again.
EXPERT_STATUSES = (workflow.SCHEDULED, workflow.EXAMINED)


def latest_seats(actor):
    """The applications where `actor` sits on the latest draw's panel (a re-draw after a
    postponement replaces the earlier panel)."""
    from django.db.models import OuterRef, Subquery

    from .models import PanelMember

    latest = (PanelMember.objects.filter(application_id=OuterRef("application_id"))
              .order_by("-draw_id").values("draw_id")[:1])
    return (PanelMember.objects.filter(expert__user_id=actor.pk, draw_id=Subquery(latest))
            .values("application_id"))


def staff_rows(actor):
    """Staff: their 统筹区's submitted applications and the agency's own drafts (复查); an expert
    only the applications of the latest panel they sit on, while scheduled or examined."""
    if not actor.jurisdiction:
        return None
    if is_expert_only(actor):
        return Q(pk__in=latest_seats(actor), status__in=EXPERT_STATUSES)
    return Q(region=actor.jurisdiction) & (_SHOWN | Q(owner_key=owner_key_for(actor), status=workflow.DRAFT))


def employer_rows(actor):
    if not actor.employer_id:
        return None
    return (Q(owner_key=owner_key_for(actor)) | (Q(case__employer_id=actor.employer_id) & _SHOWN)) & _NOT_DELETED


def individual_rows(actor):
    mine = Q(owner_key=owner_key_for(actor))
    if actor.person_id:
        mine |= Q(case__person_id=actor.person_id) & _SHOWN
    return mine & _NOT_DELETED


staff_rows.describe = "本统筹区已提交的申请与本机构的草稿；鉴定专家仅其所在（最近一次抽取的）专家组、待鉴定或已鉴定的申请"
employer_rows.describe = "本单位的申请，及提交后本单位职工的申请"
individual_rows.describe = "本人的申请，及提交后关于本人的申请"


def via_application(path: str):
    """Rows of a child (opinion, conclusion, document) whose application the account reaches."""
    def rule(actor):
        from .models import AppraisalApplication

        where = AppraisalApplication.access.rows(actor)
        if where is None:
            return None
        return Q(**{f"{path}__in": AppraisalApplication.objects.filter(where).values("pk")})
    rule.describe = "可查看的鉴定申请的记录"
    return rule


def expert_batches(actor):
    """Batches: the region's for staff; an expert the batches they sit in."""
    if not actor.jurisdiction:
        return None
    if is_expert_only(actor):
        return Q(draws__members__expert__user_id=actor.pk)
    return Q(region=actor.jurisdiction)


expert_batches.describe = "本统筹区的批次；鉴定专家仅其参加的批次"


def is_panel_member(actor, application) -> bool:
    """Whether `actor` sits on the application's current panel (its latest draw)."""
    from django.db.models import Max

    latest = application.panel_members.aggregate(m=Max("draw_id"))["m"]
    return latest is not None and application.panel_members.filter(draw_id=latest,
                                                                   expert__user_id=actor.pk).exists()


# --- the per-row condition -----------------------------------------------------------------------------

def condition(actor, application, action: str) -> bool:
    if action in workflow.OWNER_ACTIONS:
        return is_owner(actor, application)
    if action == "opinion":
        return is_panel_member(actor, application)
    if action == "refer":
        return application.kind == "second"
    if action == "message":
        # The thread is between the applicant who owns the application and the agency: an employer
        # or a worker who may only follow someone else's application does not read it.
        return actor.kind not in APPLICANT_AUDIENCES or is_owner(actor, application)
    return True


def refusal(action: str) -> str:
    if action in workflow.OWNER_ACTIONS:
        return "该申请由他人提交，您可以查看进度，但不能修改、提交或撤回。"
    if action == "opinion":
        return "您不是该申请专家组的成员，不能填写意见。"
    if action == "refer":
        return "只有再次鉴定申请需要报送省级鉴定委员会。"
    if action == "message":
        return "留言只在申请人与经办机构之间往来；该申请由他人提交，您可以查看办理进度。"
    return "您不能对该申请办理此业务。"
