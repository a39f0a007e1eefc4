"""Error codes of 服务 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceErrorCode(models.TextChoices):
    INVALID_TRANSITION = "service_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    NOT_RECOGNISED = "window_not_recognised", _("认定结论不是工伤，劳动能力鉴定和待遇事项不再办理。")
    # 一窗受理
    WINDOW_EXISTS = "window_request_exists", _("该工伤认定申请已登记一窗受理，请在“一窗受理”中查看各事项。")
    WINDOW_STAGE = "window_request_stage", _("该工伤认定申请当前的办理阶段不能再登记一窗受理。")
    WINDOW_MATTER_MISSING = "window_matter_missing", _("本次一窗受理没有申请该事项。")
    WINDOW_MATTER_STATE = "window_matter_state", _("该事项当前状态不允许此操作，请刷新页面查看最新状态。")
    TICKET_CLOSED = "ticket_closed", _("该工单已办结，不能再办理。")
    CASE_NOT_FOUND = "ticket_case_not_found", _("没有找到该案件编号，请核对后重新填写，或留空。")
    MESSAGE_EMPTY = "message_empty", _("请填写留言内容或添加附件。")
    # 案件留言
    MESSAGE_NOT_APPLICANT = "message_not_applicant", _("只有申请人一方的留言可以转为补正通知。")
    MESSAGE_ALREADY_CORRECTION = "message_already_correction", _("该留言已转为补正通知，无需重复办理。")
    MESSAGE_NO_APPLICATION = "message_no_application", _("本案件没有正在受理环节的申请，不能转为补正通知。")
    MESSAGE_CORRECTION_REFUSED = "message_correction_refused", _("申请当前状态不允许要求补正，请刷新页面查看最新状态。")
    ALREADY_RATED = "already_rated", _("该事项您已评价过，不能重复评价。")
    NOT_FINISHED = "matter_not_finished", _("该事项尚未办结，办结后才能评价。")
    # 好差评
    FOLLOW_UP_CLOSED = "rating_follow_up_closed", _("该差评已整改并答复评价人，不能重复办结。")
    CALLBACK_NOT_CLOSED = "ticket_callback_not_closed", _("工单办结后才能回访，请先办结工单。")
    BUDGET_OVER_CAP = "prevention_budget_over_cap", _("工伤预防计划预算超过上限，请调减后重新提交。")
    INCOME_MISSING = "prevention_income_missing", _("尚未录入上年度工伤保险基金征缴收入，无法核定工伤预防费上限。")
    # 工伤预防 plans and projects
    PLAN_NOT_APPROVED = "prevention_plan_not_approved", _("年度计划尚未批准，批准后才能申报项目。")
    PROJECT_OVER_PLAN = "prevention_project_over_plan", _("项目预算超过年度计划的剩余预算，请调减后重新提交。")
    NO_EVALUATIONS = "prevention_no_evaluations", _("该项目的培训班次还没有评估表，无法评估。")
    SESSIONS_OPEN = "prevention_sessions_open", _("该项目还有培训班次尚未结班，结班后才能评估。")
    SIGN_IN_CLOSED = "training_sign_in_closed", _("该培训班次不在签到时间内，请联系培训组织方。")
    ALREADY_SIGNED_IN = "training_already_signed_in", _("该手机号已签到，无需重复签到。")
    COURSE_NOT_APPROVED = "course_not_approved", _("该课程尚未审核通过，不能开班。")
    # 12333 工单 and the knowledge base
    TICKET_NOT_TRANSFERABLE = "ticket_desk_invalid", _("请选择转办的科室（岗位）。")
    TICKET_REPLY_EMPTY = "ticket_reply_empty", _("请填写答复内容。")
    TICKET_NOTE_EMPTY = "ticket_close_note_empty", _("请填写告知来电人的办结说明。")
    TICKET_ACCIDENT_MISSING = "ticket_accident_missing", _("电话报工伤须填写事故信息（事故时间、地点、经过和受伤人员）。")
    LOOKUP_EMPTY = "ticket_lookup_empty", _("请填写来电人的身份证号或手机号。")
    ARTICLE_NATIONAL = "knowledge_article_national", _("全国通用的答复口径不能在本统筹区修改；如需本地口径，请新增一条。")
    # 工伤预防培训
    PROJECT_NOT_OPEN = "training_project_not_open", _("该预防项目尚未立项或已交付，不能再登记培训班次；请选择已立项或已签订合同的项目。")
    TRAINER_INACTIVE = "training_trainer_inactive", _("该师资已移出师资库，请先恢复入库或选择其他师资。")
    COURSE_NOT_PENDING = "course_not_pending", _("该课程不是待审核状态，不能再审核；请刷新页面查看审核结果。")
    COURSE_LOCKED = "course_locked", _("该课程已审核通过，不能修改；如需调整请另行提交新课程。")
    SESSION_NOT_HELD = "training_session_not_held", _("培训尚未开班，开班后才能填写评估表。")
    SESSION_CLOSED = "training_session_closed", _("该培训班次已结班，不能再登记签到、评估或上传影像。")
    SESSION_EMPTY = "training_session_empty", _("该培训班次还没有学员签到，不能结班；如培训取消，请联系工伤预防专管员。")
    ALREADY_ANSWERED = "training_already_answered", _("您已提交过本次培训的问卷，感谢参与。")
    QUESTIONNAIRE_EXPIRED = "training_questionnaire_expired", _("问卷链接已失效，请重新扫描培训现场的二维码，打开签到页面后再填写问卷。")
    # 合作经办
    COOPERATOR_INVALID = "cooperator_invalid", _("请选择本统筹区的合作经办人员。")
    ASSIST_NOT_INVESTIGATING = "assist_not_investigating", _("只有调查核实中的申请可以安排合作经办人员协助调查。")
