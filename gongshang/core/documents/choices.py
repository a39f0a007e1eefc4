from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentEvent(models.TextChoices):
    ISSUED = "document.issued", _("出具文书")
    REVOKED = "document.revoked", _("作废文书")
    VERIFY_RATE_LIMITED = "document.verify_rate_limited", _("核验过于频繁")


class VerifyStatus(models.TextChoices):
    GENUINE = "genuine", _("真实有效")
    REVOKED = "revoked", _("已作废")
    UNKNOWN = "unknown", _("未找到")


class DocumentErrorCode(models.TextChoices):
    RENDER_FAILED = "document_render_failed", _("文书生成失败，请稍后重试；如多次失败请拨打 12333。")
    ALREADY_REVOKED = "document_already_revoked", _("该文书已作废，无需重复作废。")
    REASON_REQUIRED = "document_reason_required", _("请填写作废原因。")
