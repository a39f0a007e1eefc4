"""The transition tables of 劳动能力鉴定 (DESIGN convention 4): the application and the batch.

Application:
draft → submitted (收到申请; the completeness check is due in 5 working days, 鉴定办法 第九条)
submitted → correction_requested (一次性告知 all missing materials) → submitted again (补正后提交);
submitted → accepted (complete: the 60-day conclusion clock starts, 条例 第二十五条);
accepted → scheduled (assigned to a batch, or a green-channel visit) → examined (the panel's proposal)
→ concluded (结论书 issued) → delivered (送达, 鉴定办法 第十五条).
scheduled → accepted again after a postponement asked for by the worker or an excused absence;
accepted/scheduled → terminated (无正当理由不参加 or refusing arranged tests, 鉴定办法 第二十三条).
再次鉴定: accepted → referred (the file sent to the provincial committee as one package) → concluded
when the provincial conclusion is imported (final, 条例 第二十六条).
The applicant withdraws before the examination; drafts are deleted.
"""

from gongshang.core.workflow import Workflow, step

DRAFT = "draft"
SUBMITTED = "submitted"
CORRECTION_REQUESTED = "correction_requested"
ACCEPTED = "accepted"
SCHEDULED = "scheduled"
EXAMINED = "examined"
REFERRED = "referred"
CONCLUDED = "concluded"
DELIVERED = "delivered"
TERMINATED = "terminated"
WITHDRAWN = "withdrawn"
DELETED = "deleted"

STATUSES = (DRAFT, SUBMITTED, CORRECTION_REQUESTED, ACCEPTED, SCHEDULED, EXAMINED, REFERRED, CONCLUDED,
            DELIVERED, TERMINATED, WITHDRAWN, DELETED)

# Keyed by the actions of the matrix row "appraisal_application" (accounts/rules/access.py).
STEPS = {
    "edit": step((DRAFT, CORRECTION_REQUESTED), None),        # data, items, materials
    "delete": step(DRAFT, DELETED),
    "submit": step((DRAFT, CORRECTION_REQUESTED), SUBMITTED),
    "withdraw": step((SUBMITTED, CORRECTION_REQUESTED, ACCEPTED, SCHEDULED), WITHDRAWN),
    "request_correction": step(SUBMITTED, CORRECTION_REQUESTED),
    "accept": step(SUBMITTED, ACCEPTED),
    "extend": step((ACCEPTED, SCHEDULED, EXAMINED, REFERRED), None),   # once, with a reason (条例 第二十五条)
    "postpone": step((ACCEPTED, SCHEDULED), ACCEPTED),                 # 顺延 at the worker's request
    "schedule": step(ACCEPTED, SCHEDULED),
    "approve_visit": step((ACCEPTED, SCHEDULED), None),                # 绿色通道: 上门/远程鉴定
    "record_no_show": step(SCHEDULED, ACCEPTED),                       # below the regional limit: next batch
    "terminate": step((ACCEPTED, SCHEDULED), TERMINATED),              # 鉴定办法 第二十三条
    "check_in": step(SCHEDULED, None),
    "opinion": step(SCHEDULED, None),                                  # each expert's signed opinion
    "examine": step(SCHEDULED, EXAMINED),                              # the panel's proposal
    "refer": step(ACCEPTED, REFERRED),                                 # 再次鉴定: the package to the province
    "conclude": step((EXAMINED, REFERRED), CONCLUDED),
    "deliver": step(CONCLUDED, DELIVERED),
    "receive_conclusion": step(CONCLUDED, DELIVERED),                  # the applicant's 下载并签收
    "message": step((DRAFT, SUBMITTED, CORRECTION_REQUESTED, ACCEPTED, SCHEDULED, EXAMINED, REFERRED,
                     CONCLUDED), None),
}

WORKFLOW = Workflow(kind="appraisal_application", steps=STEPS, statuses=STATUSES)

OPEN = frozenset({SUBMITTED, CORRECTION_REQUESTED, ACCEPTED, SCHEDULED, EXAMINED, REFERRED, CONCLUDED})
AWAITING_CONCLUSION = frozenset({ACCEPTED, SCHEDULED, EXAMINED, REFERRED})
TERMINAL = frozenset({DELIVERED, TERMINATED, WITHDRAWN, DELETED})

# Actions only the applicant who owns the application takes.
OWNER_ACTIONS = frozenset({"edit", "delete", "submit", "withdraw", "receive_conclusion"})

MESSAGES = {
    "edit": "只有草稿或待补正的申请可以修改或上传材料。",
    "delete": "只有草稿可以删除。",
    "submit": "只有草稿或待补正的申请可以提交。",
    "withdraw": "该申请已进入鉴定或已办结，不能撤回。",
    "request_correction": "只有已提交、尚未受理的申请可以一次性告知补正。",
    "accept": "只有已提交、尚未受理的申请可以受理。",
    "extend": "只有已受理、尚未作出结论的申请可以延长作出结论的期限。",
    "postpone": "只有已受理或已安排鉴定的申请可以登记顺延。",
    "schedule": "只有已受理、尚未安排的申请可以编入鉴定批次。",
    "approve_visit": "只有已受理或已安排鉴定的申请可以安排上门或远程鉴定。",
    "record_no_show": "只有已安排鉴定的申请可以登记未到场。",
    "terminate": "只有已受理或已安排鉴定的申请可以终止鉴定。",
    "check_in": "只有已安排鉴定的申请可以现场签到。",
    "opinion": "只有已安排鉴定的申请可以填写专家意见。",
    "examine": "只有已安排鉴定的申请可以形成专家组意见。",
    "refer": "只有已受理的再次鉴定申请可以报送省级鉴定委员会。",
    "conclude": "只有专家组已提出意见（或省级鉴定委员会已作出结论）的申请可以作出鉴定结论。",
    "deliver": "只有已作出结论、尚未送达的申请可以登记送达。",
    "receive_conclusion": "只有已作出结论、尚未送达的申请可以签收结论书。",
    "message": "该申请已办结，不能再留言。",
}
STALE = "该申请当前状态不允许此操作，请刷新页面查看最新状态。"


def message_for(action: str) -> str:
    return MESSAGES.get(action, STALE)


TIMELINE_EVENTS = {action: f"appraisal.{action}" for action in STEPS}
TIMELINE_EVENTS.update({"submit": "appraisal.submitted", "accept": "appraisal.accepted",
                        "conclude": "appraisal.concluded", "deliver": "appraisal.delivered",
                        "receive_conclusion": "appraisal.delivered"})


# --- batches -----------------------------------------------------------------------------------------
# planned (accepting assignments until the cut-off; the commitment hash of the draw seed is published)
# → closed (cut-off passed: no more assignments) → drawn (panels drawn, seed revealed)
# → examined (exam day done) → published (conclusions published for the regional period).
PLANNED = "planned"
CLOSED = "closed"
DRAWN = "drawn"
BATCH_EXAMINED = "examined"
PUBLISHED = "published"
BATCH_STATUSES = (PLANNED, CLOSED, DRAWN, BATCH_EXAMINED, PUBLISHED)

BATCH_STEPS = {
    "edit": step(PLANNED, None),
    "close": step(PLANNED, CLOSED),
    "draw": step(CLOSED, DRAWN),
    "finish": step(DRAWN, BATCH_EXAMINED),
    "publish": step(BATCH_EXAMINED, PUBLISHED),
}
BATCH_WORKFLOW = Workflow(kind="appraisal_batch", steps=BATCH_STEPS, statuses=BATCH_STATUSES)
BATCH_MESSAGES = {
    "edit": "只有计划中的批次可以修改或编入申请。",
    "close": "只有计划中的批次可以截止编入。",
    "draw": "只有已截止编入、尚未抽取的批次可以抽取专家组。",
    "finish": "只有已抽取专家组的批次可以结束现场鉴定。",
    "publish": "只有现场鉴定已结束的批次可以公示结论。",
}
