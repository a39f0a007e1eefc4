"""Error codes of 服务 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceErrorCode(models.TextChoices):
    INVALID_TRANSITION = "service_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    NOT_RECOGNISED = "window_not_recognised", _("认定结论不是工伤，劳动能力鉴定和待遇事项不再办理。")
    TICKET_CLOSED = "ticket_closed", _("该工单已办结，不能再办理。")
    CASE_NOT_FOUND = "ticket_case_not_found", _("没有找到该案件编号，请核对后重新填写，或留空。")
    MESSAGE_EMPTY = "message_empty", _("请填写留言内容或添加附件。")
    ALREADY_RATED = "already_rated", _("该事项您已评价过，不能重复评价。")
    NOT_FINISHED = "matter_not_finished", _("该事项尚未办结，办结后才能评价。")
    BUDGET_OVER_CAP = "prevention_budget_over_cap", _("工伤预防计划预算超过上限，请调减后重新提交。")
    INCOME_MISSING = "prevention_income_missing", _("尚未录入上年度工伤保险基金征缴收入，无法核定工伤预防费上限。")
    SIGN_IN_CLOSED = "training_sign_in_closed", _("该培训班次不在签到时间内，请联系培训组织方。")
    ALREADY_SIGNED_IN = "training_already_signed_in", _("该手机号已签到，无需重复签到。")
    COURSE_NOT_APPROVED = "course_not_approved", _("该课程尚未审核通过，不能开班。")
    # 工伤预防培训 (part T)
    PROJECT_NOT_OPEN = "training_project_not_open", _("该预防项目尚未立项或已交付，不能再登记培训班次；请选择已立项或已签订合同的项目。")
    TRAINER_INACTIVE = "training_trainer_inactive", _("该师资已移出师资库，请先恢复入库或选择其他师资。")
    COURSE_NOT_PENDING = "course_not_pending", _("该课程不是待审核状态，不能再审核；请刷新页面查看审核结果。")
    COURSE_LOCKED = "course_locked", _("该课程已审核通过，不能修改；如需调整请另行提交新课程。")
    SESSION_NOT_HELD = "training_session_not_held", _("培训尚未开班，开班后才能填写评估表。")
    SESSION_CLOSED = "training_session_closed", _("该培训班次已结班，不能再登记签到、评估或上传影像。")
    SESSION_EMPTY = "training_session_empty", _("该培训班次还没有学员签到，不能结班；如培训取消，请联系工伤预防专管员。")
    ALREADY_ANSWERED = "training_already_answered", _("您已提交过本次培训的问卷，感谢参与。")
    QUESTIONNAIRE_EXPIRED = "training_questionnaire_expired", _("问卷链接已失效，请重新扫描培训现场的二维码，打开签到页面后再填写问卷。")
