from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region_or_platform
from gongshang.core.pii.fields import EncryptedJSONField, EncryptedTextField
from gongshang.core.rules.outbox import OUTBOX_WORKFLOW


class OutboxChannel(models.TextChoices):
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信模板消息")
    WEBHOOK = "webhook", _("机构接口推送")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    RETRYING = "retrying", _("重试中")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    """通知发件箱: a message written in the business transaction, sent after commit by a task.

    Retried with exponential backoff up to settings.NOTIFY_MAX_ATTEMPTS; staff see the status.
    Recipient, params and body are encrypted at rest: they carry mobiles and one-time codes.
    A message with `expires_at` (login/reset codes) is never sent after that time.
    """

    channel = models.CharField(_("渠道"), max_length=16, choices=OutboxChannel.choices)
    recipient = EncryptedTextField(_("接收方"))
    template = models.CharField(_("模板"), max_length=64)
    params = EncryptedJSONField(_("参数"), default=dict, blank=True)
    body = EncryptedTextField(_("内容"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OutboxStatus.choices,
                              default=OutboxStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    region = models.CharField(_("统筹区"), max_length=6, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True,
                                      help_text=_("过了这个时间仍未发出的消息不再发送（如验证码）"))

    # The 系统管理员 of the 统筹区; platform-wide messages (no region: login codes and other account
    # messages) only that of the home region (settings.DEFAULT_POOLING_REGION), not every region's.
    access = Scope(kind="outbox_message", staff=in_region_or_platform("region"),
                   condition=lambda actor, message, action: action != "retry" or not message.is_expired())
    workflow = OUTBOX_WORKFLOW

    class Meta:
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.template} {self.get_status_display()}"

    @staticmethod
    def access_refusal(action: str) -> str:
        # The only per-row condition: an expired one-time code is useless, sending it again too.
        return "该消息（如验证码）已过有效期，重新发送也无效；请让用户重新获取。"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
