"""Error codes of the application part of 劳动能力鉴定 ({"code", "message", "details"}, core.errors)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationErrorCode(models.TextChoices):
    MATERIALS_MISSING = "materials_missing", _("材料不齐全，请按清单一次性补齐后再提交。")
    TRANSITION_NOT_ALLOWED = "appraisal_transition_not_allowed", _("该申请当前状态不允许此操作，请刷新页面查看最新状态。")
    OPEN_APPLICATION_EXISTS = "appraisal_open_application_exists", _(
        "该案件已有同一类别正在办理的劳动能力鉴定申请，请在原申请中继续办理或先撤回原申请。")
    NOT_RECOGNISED = "case_not_recognised", _("该案件尚未认定为工伤（或视同工伤），不能申请劳动能力鉴定。")
    ALREADY_EXTENDED = "conclusion_already_extended", _(
        "作出鉴定结论的期限已经延长过一次，依照条例第二十五条只能延长一次。")
    NOT_EDITABLE = "appraisal_not_editable", _("只有草稿或待补正的申请可以上传材料。")
