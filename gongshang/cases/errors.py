from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseErrorCode(models.TextChoices):
    TRANSITION_NOT_ALLOWED = "case_transition_not_allowed", _("案件当前状态不允许此操作，请刷新后查看最新状态。")
    GREEN_CHANNEL_CLOSED = "case_green_channel_closed", _("已关闭的案件不能开通绿色通道。")
    DOCUMENT_RETIRED = "case_document_retired", _("该材料已移除，请刷新页面查看最新材料。")
