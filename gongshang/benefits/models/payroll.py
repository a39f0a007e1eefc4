from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region

from ..choices import BenefitType, Payer, PaymentStatus, RunStatus
from ..permissions import RELEASER, SECOND_PERSON, own_beneficiary
from ..rules.workflows import PAYMENT_WORKFLOW, PAYROLL_RUN_WORKFLOW

USER = settings.AUTH_USER_MODEL


class PayrollRun(models.Model):
    """月度发放批次: every recurring payment due for one 统筹区 and month (plus approved one-time
    items and failed payments re-issued). Computed by one person, approved by another, released
    (bank file) by someone other than the approver. `cursor` is the last entitlement id computed:
    a run interrupted mid-way resumes from it."""

    region = models.CharField(_("统筹区"), max_length=6)
    period = models.DateField(_("发放月份"))
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.COMPUTING)
    cursor = models.BigIntegerField(default=0)
    max_entitlement = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("复核人"))
    released_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("发放人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算完成"), null=True, blank=True)
    approved_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("发放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月度发放批次")
        verbose_name_plural = _("月度发放批次")
        ordering = ["-period", "-pk"]
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="uniq_run_region_period")]

    access = Scope(kind="payroll_run", staff=in_region("region"), condition=lambda actor, run, action: (
        (action != "approve" or run.created_by_id != actor.pk)          # the checker is not the maker
        and (action != "release" or run.approved_by_id != actor.pk)))  # the releaser is not the checker
    workflow = PAYROLL_RUN_WORKFLOW

    def __str__(self):
        return f"{self.region} {self.period:%Y-%m}"

    @staticmethod
    def access_refusal(action: str) -> str:
        return RELEASER if action == "release" else SECOND_PERSON


class Payment(models.Model):
    """支付记录: one entitlement's payment for one month — at most one original, ever (partial
    unique constraint); a one-time item at most once whatever the month. A payment of a released
    run is never rewritten: the bank's outcome is recorded on it (paid or failed, it stays in its
    run's totals), and a failure is re-issued as a NEW row in a later run that points to it
    (`reissue_of`, one re-issue per failure, `attempt` counting up)."""

    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="payments")
    entitlement = models.ForeignKey("benefits.Entitlement", on_delete=models.PROTECT, related_name="payments")
    period = models.DateField(_("所属月份"))
    region = models.CharField(_("统筹区"), max_length=6)
    benefit_type = models.CharField(_("待遇项目"), max_length=40, choices=BenefitType.choices)
    payer = models.CharField(_("支付方"), max_length=8, choices=Payer.choices)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    period_kind = models.CharField(_("支付方式"), max_length=8, default="monthly")
    status = models.CharField(_("状态"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("第几次发放"), default=1)
    reissue_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissues",
                                   verbose_name=_("重发的失败支付"))
    failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True)
    paid_on = models.DateField(_("到账日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("支付记录")
        verbose_name_plural = _("支付记录")
        ordering = ["pk"]
        constraints = [
            # Exactly once: one original payment per entitlement and month …
            models.UniqueConstraint(fields=["entitlement", "period"], condition=Q(reissue_of__isnull=True),
                                    name="uniq_payment_period"),
            # … a one-time item once whatever the month (two runs of different periods) …
            models.UniqueConstraint(fields=["entitlement"], condition=Q(period_kind="once", reissue_of__isnull=True),
                                    name="uniq_payment_once"),
            # … and each failure re-issued at most once, attempts numbered.
            models.UniqueConstraint(fields=["reissue_of"], name="uniq_payment_reissue"),
            models.UniqueConstraint(fields=["entitlement", "period", "attempts"], name="uniq_payment_attempt"),
        ]
        # the failures still to re-issue, found without scanning every payment
        indexes = [models.Index(fields=["region"], condition=Q(status="failed"), name="benefits_payment_failed")]

    access = Scope(kind="payment", staff=in_region("region"), individual=own_beneficiary("entitlement__"))
    # Changed only in bulk with its run (release, bank return); those writes check this table.
    workflow = PAYMENT_WORKFLOW

    def __str__(self):
        return f"{self.entitlement_id} {self.period:%Y-%m} {self.amount}"


class BankReturn(models.Model):
    """银行回盘: one return file imported for a run, with what it reconciled."""

    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="bank_returns")
    original_name = models.CharField(_("文件名"), max_length=255)
    paid_count = models.PositiveIntegerField(default=0)
    paid_total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    failed_count = models.PositiveIntegerField(default=0)
    failed_total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    rejected = models.JSONField(_("未能对账的行"), default=list, blank=True)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("银行回盘")
        verbose_name_plural = _("银行回盘")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.original_name


class BankReturnLine(models.Model):
    """One reconciled line: the payment's real outcome as the bank reported it."""

    bank_return = models.ForeignKey(BankReturn, on_delete=models.CASCADE, related_name="lines")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="bank_lines")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    succeeded = models.BooleanField()
    reason = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.payment_id} {'成功' if self.succeeded else '失败'} {self.amount}"
