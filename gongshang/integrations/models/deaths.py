"""死亡信息: deaths reported by 民政 (殡葬) or 公安 (户籍注销), and what they stop."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import DeathStatus, Partner, RecoveryStatus
from ..rules.workflow import DEATH_WORKFLOW, RECOVERY_WORKFLOW

USER = settings.AUTH_USER_MODEL


class DeathRecord(models.Model):
    """死亡信息: one person's death as a partner reported it. Matched to the registry by ID number;
    every monthly entitlement of that person is suspended from the month after death, payments not
    yet released are withdrawn, payments already made for later months are flagged for recovery,
    staff are told; 待遇审核员 confirm (stop, and start the dependants' route for an injured
    worker) or refute (resume). One record per person: a second report of the same death adds nothing."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    batch = models.ForeignKey("integrations.ExchangeBatch", on_delete=models.PROTECT, related_name="deaths",
                              verbose_name=_("交换批次"))
    source = models.CharField(_("信息来源"), max_length=24, choices=Partner.choices)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    death_date = models.DateField(_("死亡日期"))
    certificate_number = models.CharField(_("死亡证明/火化证明编号"), max_length=60, blank=True)
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("参保人员"))
    status = models.CharField(_("状态"), max_length=16, choices=DeathStatus.choices, db_index=True)
    effects = models.JSONField(_("处理结果"), default=dict, blank=True)
    note = models.CharField(_("核实说明"), max_length=300, blank=True)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("核实人"))
    handled_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    access = Scope(kind="death_record", staff=in_region())
    workflow = DEATH_WORKFLOW

    class Meta:
        verbose_name = _("死亡信息")
        verbose_name_plural = _("死亡信息")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} {self.death_date}"


class Overpayment(models.Model):
    """多发待遇: a payment made for a month after the beneficiary's death, to be recovered from
    the estate or the bank (or written off with a reason). One per payment."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    death = models.ForeignKey(DeathRecord, on_delete=models.PROTECT, related_name="overpayments",
                              verbose_name=_("死亡信息"))
    payment = models.OneToOneField("benefits.Payment", on_delete=models.PROTECT, related_name="overpayment",
                                   verbose_name=_("支付记录"))
    amount = models.DecimalField(_("应追回金额"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN,
                              db_index=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    handled_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    access = Scope(kind="overpayment", staff=in_region())
    workflow = RECOVERY_WORKFLOW

    class Meta:
        verbose_name = _("多发待遇追回")
        verbose_name_plural = _("多发待遇追回")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.payment_id} {self.amount}"
