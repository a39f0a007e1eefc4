from django.db import models
from django.utils.translation import gettext_lazy as _


class RecognitionErrorCode(models.TextChoices):
    TRANSITION_NOT_ALLOWED = "recognition_transition_not_allowed", _("该申请当前状态不允许此操作，请刷新页面查看最新状态。")
    MATERIALS_MISSING = "materials_missing", _("材料不齐全，请按清单一次性补齐后再提交。")
    PERIOD_EXPIRED = "application_period_expired", _("已超过申请时限，不予受理。")
    DRAFT_EXISTS = "draft_exists", _("该职工已有一份暂存的工伤认定申请；继续保存将删除该职工的其他暂存数据，请确认后重试。")
    NOT_EDITABLE = "application_not_editable", _("只有草稿或待补正的申请可以修改、删除。")
    CASE_HAS_APPLICATION = "case_has_application", _("该案件已有进行中的工伤认定申请，请在“我的认定申请”中继续办理。")
    INVESTIGATION_REQUIRED = "investigation_required", _("死亡或重伤案件须由两名调查员调查核实并上传调查报告后，才能作出认定决定。")
    ASSIGNEE_INVALID = "assignee_invalid", _("受理人须为本统筹区的受理员，请重新选择。")
    NOT_ASSIGNEE = "not_assignee", _("该申请已分配给其他受理员，请联系分配人或刷新页面。")
    CONFLICT = "recognition_conflict", _("另一位经办人员正在办理该申请，请刷新页面查看最新状态后再操作。")
    CASE_APPLIED_BY_OTHER = "case_applied_by_other", _(
        "该案件已有其他申请人提交的工伤认定申请正在办理或已作出决定，无需重复申请；可在“我的认定申请”中查看办理进度。")
    REGION_MISMATCH = "handling_region_mismatch", _("受理地区应为参保地统筹区。")
