from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, in_region_or_platform


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """审计事件: an append-only record of who did what, when (login, lockout, every state change).

    Rows are never updated; deletion is only by the retention command, after
    settings.AUDIT_RETENTION_DAYS (at least 183 days).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150, blank=True)
    event_type = models.CharField(_("事件类型"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region = models.CharField(_("统筹区"), max_length=6, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    # The auditors of the 统筹区; events without a region belong to the home region's auditors.
    access = Scope(kind="audit_event", staff=in_region_or_platform("region"))

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # 按操作人: each part of the actor filter read newest first (core/audit/selectors._by_actor).
            models.Index(fields=["actor", "-at", "-id"], name="audit_actor_newest"),
            models.Index(Upper("actor_label"), F("at").desc(), F("id").desc(), name="audit_label_newest",
                         condition=models.Q(actor__isnull=True)),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event_type} {self.actor_label}"

    def save(self, *args, **kwargs):
        # Invariant, not business logic: an audit trail that can be edited proves nothing.
        if self.pk is not None:
            raise AppendOnlyError("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计事件只能由保留期清理任务删除")



class PiiAccessLog(models.Model):
    """个人信息查阅记录: each time a staff member views an unmasked personal value."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("查阅人"), on_delete=models.PROTECT,
                              related_name="+")
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    field = models.CharField(_("字段"), max_length=64)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)

    # Views by staff of the auditor's own 统筹区.
    access = Scope(kind="pii_access_log", staff=in_region("actor__jurisdiction"))

    class Meta:
        verbose_name = _("个人信息查阅记录")
        verbose_name_plural = _("个人信息查阅记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.target_type}.{self.field}"
