"""辅助器具配置与工伤康复: after appraisal's 配置辅助器具确认 / 工伤康复确认 the worker chooses an agreement
supplier or rehabilitation institution; settled within the catalogue's cap; a device is replaced
no sooner than its minimum service life."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_person, of_user

from ..choices import ReferralKind, ReferralStatus
from ..rules.workflow import REFERRAL_WORKFLOW

USER = settings.AUTH_USER_MODEL


class Referral(models.Model):
    """One confirmed device or rehabilitation of a case; `item_code` is the catalogue item
    (辅助器具目录 / 康复项目) and `replace_due_on` the day a replacement may be made."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="medical_referrals",
                             verbose_name=_("工伤案件"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=ReferralKind.choices)
    item_code = models.CharField(_("目录编码"), max_length=50)
    item_name = models.CharField(_("项目名称"), max_length=200)
    confirmed_on = models.DateField(_("确认日期"))
    appraisal = models.ForeignKey("appraisal.AppraisalApplication", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", verbose_name=_("确认依据（鉴定）"))
    institution = models.ForeignKey("medical.AgreementInstitution", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="referrals",
                                    verbose_name=_("选定机构"))
    status = models.CharField(_("状态"), max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.CONFIRMED, db_index=True)
    amount = models.DecimalField(_("结算金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    fund_amount = models.DecimalField(_("基金支付"), max_digits=14, decimal_places=2, null=True, blank=True)
    settled_on = models.DateField(_("结算日期"), null=True, blank=True)
    replace_due_on = models.DateField(_("可更换日期"), null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("更换前配置"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access = Scope(kind="medical_referral", staff=in_region(), individual=of_person("case__person"),
                   institution=of_user("institution__api_clients"), distinct=True)
    workflow = REFERRAL_WORKFLOW

    class Meta:
        verbose_name = _("辅助器具与康复")
        verbose_name_plural = _("辅助器具与康复")
        ordering = ["-confirmed_on", "-pk"]

    def __str__(self):
        return str(self.item_name)
