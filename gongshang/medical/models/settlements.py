"""月度结算: an agreement institution's month, paid once to its bank account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_user

from ..choices import StatementStatus
from ..rules.workflow import STATEMENT_WORKFLOW

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 16, "decimal_places": 2}


def _two_people(actor, statement, action) -> bool:
    """Maker ≠ checker ≠ releaser: the approver did not compute it, the releaser did not approve it
    (the maker may release what another approved: two people suffice, as in the payroll)."""
    if action == "approve":
        return statement.created_by_id != actor.pk
    if action == "release":
        return statement.approved_by_id != actor.pk
    return True


class InstitutionStatement(models.Model):
    """机构月度结算单: every reviewed encounter of one institution not yet in a statement, less the
    open deductions; at most one per institution and month. Computed by one person, approved by
    another, released (bank file) by someone other than the approver."""

    institution = models.ForeignKey("medical.AgreementInstitution", on_delete=models.PROTECT,
                                    related_name="statements", verbose_name=_("协议机构"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    period = models.DateField(_("结算月份"))
    status = models.CharField(_("状态"), max_length=16, choices=StatementStatus.choices,
                              default=StatementStatus.COMPUTED, db_index=True)
    encounter_count = models.PositiveIntegerField(_("就诊人次"), default=0)
    total = models.DecimalField(_("费用总额"), default=0, **MONEY)
    fund_amount = models.DecimalField(_("基金应付"), default=0, **MONEY)
    deducted_amount = models.DecimalField(_("扣减与追回"), default=0, **MONEY)
    payable = models.DecimalField(_("实际拨付"), default=0, **MONEY)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("复核人"))
    released_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("拨付人"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    approved_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("到账时间"), null=True, blank=True)

    access = Scope(kind="medical_statement", staff=in_region(), institution=of_user("institution__api_clients"),
                   condition=_two_people, distinct=True)
    workflow = STATEMENT_WORKFLOW

    class Meta:
        verbose_name = _("机构月度结算单")
        verbose_name_plural = _("机构月度结算单")
        ordering = ["-period", "institution"]
        constraints = [models.UniqueConstraint(fields=["institution", "period"], name="uniq_statement_month")]

    def __str__(self):
        return f"{self.institution} {self.period:%Y-%m}"

    @staticmethod
    def access_refusal(action: str) -> str:
        if action == "release":
            return "复核人不能同时拨付，请由另一名经办人员办理。"
        return "结算单须由生成人以外的经办人员复核。"
