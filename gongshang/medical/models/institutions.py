"""协议机构 and the regional medical settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_user
from gongshang.core.pii.fields import EncryptedTextField

from ..choices import AgreementStatus, InstitutionKind
from ..rules.workflow import INSTITUTION_WORKFLOW

USER = settings.AUTH_USER_MODEL


class AgreementInstitution(models.Model):
    """协议机构: a medical, rehabilitation or assistive-device institution that has signed the 工伤保险
    service agreement with the agency of a 统筹区 (条例 第三十条: treatment at agreement institutions).
    Only an institution whose agreement is in force on the day may settle. Its API clients are the
    institution accounts (定点机构接入凭证) that act for it."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    county = models.CharField(_("所在区县（行政区划代码）"), max_length=6, db_index=True)
    code = models.CharField(_("机构编码（医保定点编码）"), max_length=20, unique=True)
    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类别"), max_length=16, choices=InstitutionKind.choices)
    level = models.CharField(_("机构等级"), max_length=20, blank=True)
    agreement_no = models.CharField(_("协议编号"), max_length=40)
    agreement_from = models.DateField(_("协议起始日期"))
    agreement_to = models.DateField(_("协议终止日期"))
    status = models.CharField(_("协议状态"), max_length=16, choices=AgreementStatus.choices,
                              default=AgreementStatus.IN_FORCE, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    webhook_url = models.URLField(_("结果推送地址"), blank=True,
                                  help_text=_("工伤认定结果、审核结果通过该地址推送给机构"))
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = EncryptedTextField(_("银行账号"), blank=True)
    api_clients = models.ManyToManyField(USER, blank=True, related_name="medical_institutions",
                                         verbose_name=_("接口账户"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    access = Scope(kind="medical_institution", staff=in_region(), institution=of_user("api_clients"),
                   distinct=True)
    workflow = INSTITUTION_WORKFLOW

    class Meta:
        verbose_name = _("协议机构")
        verbose_name_plural = _("协议机构")
        ordering = ["region", "code"]

    def __str__(self):
        return self.name

    def agreement_in_force(self, on) -> bool:
        return self.status == AgreementStatus.IN_FORCE and self.agreement_from <= on <= self.agreement_to


class MedicalSetting(models.Model):
    """工伤医疗地区参数 with a validity period (regional figures, never constants in code)."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    readmission_days = models.PositiveSmallIntegerField(
        _("分解住院判定天数"), default=15, help_text=_("出院后该天数内以相同主诊断再次入院的，提示分解住院"))
    idle_stay_hours = models.PositiveSmallIntegerField(
        _("挂床判定时长（小时）"), default=48, help_text=_("入院后该时长内只有床位费、伙食费的，提示挂床住院"))
    remote_valid_months = models.PositiveSmallIntegerField(_("异地就医备案有效期（月）"), default=12)
    remote_lock_months = models.PositiveSmallIntegerField(_("异地就医备案变更或取消的最短期限（月）"), default=3)
    review_working_days = models.PositiveSmallIntegerField(_("费用审核时限（工作日）"), default=20)
    rectify_days = models.PositiveSmallIntegerField(_("整改期限（日）"), default=30)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    access = Scope(kind="medical_setting", staff=in_region())

    class Meta:
        verbose_name = _("工伤医疗地区参数")
        verbose_name_plural = _("工伤医疗地区参数")
        ordering = ["region", "-valid_from"]

    def __str__(self):
        return f"{self.region} {self.valid_from}"
