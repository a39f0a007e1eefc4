"""待遇领取资格认证: each monthly beneficiary confirmed alive and entitled once a year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_user
from gongshang.benefits.permissions import own_beneficiary
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import CertificationMethod, CertificationStatus
from ..rules.workflow import CERTIFICATION_WORKFLOW

USER = settings.AUTH_USER_MODEL


class Certification(models.Model):
    """待遇领取资格认证: one beneficiary's confirmation for one year, due on the anniversary of their
    first monthly benefit. Data comparison (deaths, hospital stays, other benefits) confirms first;
    otherwise the beneficiary certifies on the phone (a live photo that staff compare with the
    registry photo) or a designated institution confirms. Reminders go before the due date; past
    it, every monthly entitlement of the beneficiary is suspended, and resumed on confirmation
    (the next payroll pays the months missed: benefits/services/payroll_sql.insert_arrears)."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField(_("认证年度"))
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("参保人员"))
    beneficiary_name = models.CharField(_("受领人"), max_length=50)
    beneficiary_id_number = EncryptedTextField(_("受领人身份证号"))
    beneficiary_id_index = BlindIndexField(source="beneficiary_id_number")
    due_on = models.DateField(_("认证截止日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=CertificationStatus.choices,
                              default=CertificationStatus.DUE, db_index=True)
    method = models.CharField(_("认证方式"), max_length=16, choices=CertificationMethod.choices, blank=True)
    photo = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("现场照片"))
    institution = models.ForeignKey("medical.AgreementInstitution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("协助认证的定点机构"))
    evidence = models.JSONField(_("比对依据"), default=dict, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    reminders = models.JSONField(_("提醒记录"), default=list, blank=True,
                                 help_text=_("每次提醒：提前天数、日期、短信接收号码（脱敏）或无手机号"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("认证通过时间"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("逾期暂停时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("审核人"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    suspended_entitlements = models.JSONField(_("因逾期暂停的待遇"), default=list, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    # A designated institution never browses: it finds a beneficiary present in person by ID number
    # and name (services/eligibility.py) and reaches afterwards only the certifications it confirmed.
    access = Scope(kind="benefit_certification", staff=in_region(), individual=own_beneficiary(),
                   institution=of_user("institution__api_clients"))
    workflow = CERTIFICATION_WORKFLOW

    class Meta:
        verbose_name = _("待遇领取资格认证")
        verbose_name_plural = _("待遇领取资格认证")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["region", "beneficiary_id_index", "year"],
                                               name="uniq_certification_year")]

    def __str__(self):
        return f"{self.beneficiary_name} {self.year}"
