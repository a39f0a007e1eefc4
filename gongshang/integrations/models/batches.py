"""交换批次: one file (or API payload) received from or sent to a partner system."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.pii.fields import EncryptedTextField

from ..choices import BatchKind, BatchStatus, DeadLetterStatus, Direction, Partner
from ..rules.workflow import BATCH_WORKFLOW, DEAD_LETTER_WORKFLOW

USER = settings.AUTH_USER_MODEL


class ExchangeBatch(models.Model):
    """交换批次: one inbound or outbound file of a partner, with its format version and SHA-256.

    Inbound rows are applied set-based and idempotently by the adapter of (partner, kind): the
    same file received again is recorded as a duplicate of the first and changes nothing; a row
    seen before in another file counts as `duplicate`. Row errors are kept like the roster
    import's (row number and a Chinese message) and each failed row goes to the dead-letter list.
    """

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    partner = models.CharField(_("交换方"), max_length=24, choices=Partner.choices)
    kind = models.CharField(_("数据类别"), max_length=24, choices=BatchKind.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.INBOUND)
    format_version = models.CharField(_("格式版本"), max_length=16)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("文件"))
    original_name = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.RECEIVED)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("与之重复的批次"))
    total = models.PositiveIntegerField(_("总行数"), default=0)
    accepted = models.PositiveIntegerField(_("处理行数"), default=0)
    rejected = models.PositiveIntegerField(_("错误行数"), default=0)
    duplicate = models.PositiveIntegerField(_("重复行数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    failure_message = models.CharField(_("失败原因"), max_length=500, blank=True)
    summary = models.JSONField(_("处理结果摘要"), default=dict, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("上传人"))
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始处理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("处理完成"), null=True, blank=True)

    access = Scope(kind="exchange_batch", staff=in_region())
    workflow = BATCH_WORKFLOW

    class Meta:
        verbose_name = _("交换批次")
        verbose_name_plural = _("交换批次")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "partner", "kind", "checksum"], name="exchange_batch_checksum")]

    def __str__(self):
        return f"{self.get_partner_display()} {self.get_kind_display()} #{self.pk}"


class DeadLetter(models.Model):
    """错误行: one row of an inbound batch that could not be applied, kept (encrypted: it may hold
    ID numbers) for staff to correct at the partner or to close with a note."""

    batch = models.ForeignKey(ExchangeBatch, on_delete=models.PROTECT, related_name="dead_letters",
                              verbose_name=_("交换批次"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    row = models.PositiveIntegerField(_("行号"))
    payload = EncryptedTextField(_("原始行"), blank=True)
    message = models.CharField(_("错误原因"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=DeadLetterStatus.choices,
                              default=DeadLetterStatus.OPEN, db_index=True)
    note = models.CharField(_("处理说明"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("处理人"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    access = Scope(kind="dead_letter", staff=in_region())
    workflow = DEAD_LETTER_WORKFLOW

    class Meta:
        verbose_name = _("交换错误行")
        verbose_name_plural = _("交换错误行")
        ordering = ["batch", "row"]

    def __str__(self):
        return f"{self.batch_id}:{self.row}"
