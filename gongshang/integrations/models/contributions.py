"""缴费比对差异: what the tax bureau's contribution file and the roster disagree on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import MismatchKind, MismatchStatus
from ..rules.workflow import MISMATCH_WORKFLOW

USER = settings.AUTH_USER_MODEL


class ContributionMismatch(models.Model):
    """缴费比对差异: paid for someone not enrolled at that employer, enrolled but unpaid for the
    month, or an employer the registry does not know. One open row per (employer code, person,
    month, kind): a file received again adds nothing."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    batch = models.ForeignKey("integrations.ExchangeBatch", on_delete=models.PROTECT, related_name="mismatches",
                              verbose_name=_("交换批次"))
    kind = models.CharField(_("差异类型"), max_length=24, choices=MismatchKind.choices)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("参保单位"))
    employer_code = models.CharField(_("统一社会信用代码"), max_length=18)
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("参保人员"))
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number")
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    month = models.DateField(_("费款所属期"))
    wage_base = models.DecimalField(_("缴费工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=MismatchStatus.choices, default=MismatchStatus.OPEN,
                              db_index=True)
    note = models.CharField(_("核查说明"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("核查人"))
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    access = Scope(kind="contribution_mismatch", staff=in_region())
    workflow = MISMATCH_WORKFLOW

    class Meta:
        verbose_name = _("缴费比对差异")
        verbose_name_plural = _("缴费比对差异")
        ordering = ["-month", "employer_code", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["region", "employer_code", "id_number_index", "month", "kind"],
            condition=Q(status="open"), name="uniq_open_contribution_mismatch")]

    def __str__(self):
        return f"{self.employer_code} {self.month:%Y-%m} {self.get_kind_display()}"
