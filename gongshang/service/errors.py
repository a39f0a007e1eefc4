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
    # 合作经办 (part F).
    COOPERATOR_INVALID = "cooperator_invalid", _("请选择本统筹区的合作经办人员。")
    ASSIST_NOT_INVESTIGATING = "assist_not_investigating", _("只有调查核实中的申请可以安排合作经办人员协助调查。")
