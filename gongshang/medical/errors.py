"""Error codes of 工伤医疗 (one error shape: core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MedicalErrorCode(models.TextChoices):
    NO_AGREEMENT = "institution_no_agreement", _("该机构没有有效的工伤保险服务协议，不能直接结算。")
    NOT_ELIGIBLE = "medical_not_eligible", _("该人员没有已认定的工伤，不能按工伤医疗结算。")
    ENCOUNTER_SETTLED = "encounter_already_settled", _("该次就诊已结算，不能再修改费用明细。")
    LINES_INVALID = "bill_lines_invalid", _("费用明细有误，请按提示修改后重新上传。")
    IMPORT_INVALID = "catalogue_import_invalid", _("目录文件有错误，请按错误明细修改后重新导入。")
    REMOTE_LOCKED = "remote_registration_locked", _("异地就医备案满3个月后才能变更或取消。")
    REMOTE_ACTIVE = "remote_registration_exists", _("该案件已有有效的异地就医备案，请变更原备案。")
    REPLACEMENT_TOO_EARLY = "referral_replacement_too_early", _("辅助器具尚未达到最低使用年限，暂不能更换。")
    ITEM_NOT_IN_CATALOGUE = "referral_item_not_in_catalogue", _(
        "该辅助器具不在当日有效的辅助器具配置目录内，不能按目录限额结算，请联系经办机构核对。")
    CROSS_COUNTY = "audit_team_own_county", _("稽核组成员不能检查本区县的协议机构。")
    INVALID_TRANSITION = "medical_invalid_transition", _("当前状态不允许此操作，请刷新页面查看最新状态。")
    STATEMENT_EXISTS = "statement_already_exists", _("该机构该月份的结算单已生成，不能重复结算。")
