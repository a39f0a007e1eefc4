"""一窗受理 (三事合一) as pure rules: which matters a request names, their transition table, the
statutory basis of each matter's date, and who at the back office prepares what. No Django.

A request always names 工伤认定; it may name 劳动能力鉴定 (条例 第二十一条: once the injury is
relatively stable) and 工伤保险待遇. The follow-on matters wait for the recognition decision:
- recognised (工伤 or 视同工伤, 条例 第十四条、第十五条): the appraisal application is created from
  the case's materials and submitted for the applicant when the injury was declared stable; the
  benefits matter goes to the benefits desk;
- not recognised (条例 第十六条, or no decision of 工伤): the follow-on matters are cancelled.

Matter table (keyed by the actions of the matrix row "window_request"; the platform's own steps
`create_follow_on`, `cancel`, `complete` are taken with no actor and are in no one's matrix row):
waiting → prepared (the back office gets ready in advance) → created (the follow-on exists);
waiting/prepared → withdrawn (the applicant or the window drops it) or cancelled (not recognised, or
the recognition application withdrawn, not accepted or deleted); accepted (the recognition itself) →
done once decided, or cancelled when the application ends without a decision.
"""

from dataclasses import dataclass

from gongshang.core.workflow import Workflow, step

# MatterKind values (service.choices).
RECOGNITION = "recognition"
APPRAISAL = "appraisal"
BENEFITS = "benefits"
KINDS = (RECOGNITION, APPRAISAL, BENEFITS)
FOLLOW_ONS = (APPRAISAL, BENEFITS)

# MatterStatus values.
ACCEPTED = "accepted"
WAITING = "waiting"
PREPARED = "prepared"
CREATED = "created"
DONE = "done"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
STATUSES = (ACCEPTED, WAITING, PREPARED, CREATED, DONE, WITHDRAWN, CANCELLED)
OPEN_FOLLOW_ON = (WAITING, PREPARED)

# WindowRequestStatus values.
REQUEST_WAITING = "waiting_recognition"
REQUEST_FOLLOW_ONS = "follow_ons_created"
REQUEST_NOT_RECOGNISED = "not_recognised"
REQUEST_ENDED = "recognition_ended"

MATTER_WORKFLOW = Workflow(kind="window_request", statuses=STATUSES, steps={
    "prepare": step(WAITING, PREPARED),
    "withdraw": step((WAITING, PREPARED), WITHDRAWN),
    "create_follow_on": step((WAITING, PREPARED), CREATED),
    "cancel": step((WAITING, PREPARED), CANCELLED),
    "complete": step(ACCEPTED, DONE),
    "end_recognition": step(ACCEPTED, CANCELLED),
})

REQUEST_WORKFLOW = Workflow(kind="window_request", field="status",
                            statuses=(REQUEST_WAITING, REQUEST_FOLLOW_ONS, REQUEST_NOT_RECOGNISED,
                                      REQUEST_ENDED), steps={
                                "recognised": step(REQUEST_WAITING, REQUEST_FOLLOW_ONS),
                                "not_recognised": step(REQUEST_WAITING, REQUEST_NOT_RECOGNISED),
                                "recognition_ended": step(REQUEST_WAITING, REQUEST_ENDED),
                            })

# Recognition statuses (recognition.rules.workflow) that end the application without a decision: the
# follow-on matters can never start (shown so, and left out of the back office's queue).
RECOGNITION_ENDED = frozenset({"withdrawn", "not_accepted", "deleted"})
ENDED_LABEL = {"withdrawn": "已撤回", "not_accepted": "不予受理", "deleted": "已删除"}

# Decision results of the recognition app (recognition.rules.codes.DECISIONS).
RECOGNISED_RESULTS = frozenset({"recognized", "deemed"})

# The desk that prepares each follow-on matter (StaffRole values).
DESK_OF = {APPRAISAL: "appraisal_admin", BENEFITS: "benefits_reviewer"}
DESK_LABEL = {APPRAISAL: "鉴定管理员", BENEFITS: "待遇审核员"}

# The statutory basis of each matter's date, as told on the receipt and the pages.
RECOGNITION_ACCEPTANCE_BASIS = "《工伤认定办法》第八条：收到申请之日起15日内决定是否受理"
RECOGNITION_DECISION_BASIS = "《工伤保险条例》第二十条：受理之日起60日内作出工伤认定决定"
# 条例 第二十五条第二款: 自收到劳动能力鉴定申请之日起60日内作出鉴定结论.
APPRAISAL_DAYS = 60
APPRAISAL_BASIS = "《工伤保险条例》第二十五条：自收到劳动能力鉴定申请之日起60日内作出鉴定结论（情况复杂的可延长30日）"
APPRAISAL_WAITING_BASIS = "认定为工伤后由平台代为提出鉴定申请；" + APPRAISAL_BASIS
APPRAISAL_UNSTABLE_NOTE = ("伤情尚未相对稳定：待伤情相对稳定或停工留薪期满后再提出鉴定申请"
                           "（《工伤职工劳动能力鉴定管理办法》第七条），已提交的材料无需重复提交。")
# 条例 第三十三条 (停工留薪期: wages paid monthly by the employer), 第三十五至三十七条 (伤残待遇 by grade).
BENEFITS_BASIS = ("《工伤保险条例》第三十三条、第三十五条至第三十七条：停工留薪期内原工资福利待遇由用人单位按月支付；"
                  "伤残待遇在劳动能力鉴定结论作出后按伤残等级核定，法规未另设办结期限")


@dataclass(frozen=True)
class FollowOn:
    """What the decision means for one follow-on matter."""

    action: str      # create_follow_on | cancel | "" (stays waiting)
    note: str = ""


def matters_named(*, wants_appraisal: bool, wants_benefits: bool) -> tuple[str, ...]:
    """The matters of a request, in the order of the receipt (recognition always first)."""
    named = [RECOGNITION]
    if wants_appraisal:
        named.append(APPRAISAL)
    if wants_benefits:
        named.append(BENEFITS)
    return tuple(named)


def is_recognised(decision_result: str) -> bool:
    """工伤 (条例 第十四条) or 视同工伤 (第十五条); 不予认定 (第十六条) is not."""
    return str(decision_result) in RECOGNISED_RESULTS


def follow_on(kind: str, *, recognised: bool, injury_stable: bool) -> FollowOn:
    """What the recognition decision does to an open follow-on matter of `kind`."""
    if not recognised:
        return FollowOn("cancel", "认定结论不是工伤，本事项不再办理。")
    if kind == APPRAISAL and not injury_stable:
        return FollowOn("", APPRAISAL_UNSTABLE_NOTE)
    return FollowOn("create_follow_on")


def ended_note(recognition_status: str) -> str:
    """The sentence of a matter whose recognition application ended without a decision (撤回,
    不予受理 under 认定办法 第八条, 删除): the follow-ons can never start."""
    how = ENDED_LABEL.get(str(recognition_status), "已终止")
    return f"工伤认定申请{how}，本事项不再办理；如需办理，请重新提出工伤认定申请，已提交的材料可继续使用。"


def desk_errors(kind: str, roles) -> str:
    """"" when a staff member with `roles` may prepare a matter of `kind`; else the sentence."""
    if kind not in FOLLOW_ONS:
        return "只有劳动能力鉴定和工伤保险待遇事项需要提前准备，请选择其中一项。"
    if DESK_OF[kind] not in set(roles):
        return f"该事项由{DESK_LABEL[kind]}提前准备，请选择本岗位负责的事项。"
    return ""


def queue_kinds(roles) -> tuple[str, ...]:
    """The follow-on matters a back-office role sees in its queue (the window sees both)."""
    roles = set(roles)
    if "window" in roles:
        return FOLLOW_ONS
    return tuple(k for k in FOLLOW_ONS if DESK_OF[k] in roles)
