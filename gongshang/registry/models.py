from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from .choices import EmployerStatus, EnrolmentStatus, Gender, InsuranceType


class Employer(models.Model):
    """参保单位: an employer registered with the social insurance agency, keyed by its USCC."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    region = models.CharField(_("所属统筹区"), max_length=6, db_index=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    legal_rep_name = models.CharField(_("法定代表人姓名"), max_length=50)
    legal_rep_id_number = EncryptedTextField(_("法定代表人身份证号"))
    legal_rep_id_number_index = BlindIndexField(source="legal_rep_id_number")
    reserved_mobile = EncryptedTextField(_("预留手机号"), blank=True)
    reserved_mobile_index = BlindIndexField(source="reserved_mobile")
    status = models.CharField(_("状态"), max_length=16, choices=EmployerStatus.choices,
                              default=EmployerStatus.ACTIVE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("参保单位")
        verbose_name_plural = _("参保单位")

    def __str__(self):
        return f"{self.name}（{self.uscc}）"


class InsuredPerson(models.Model):
    """参保人员: a natural person in the insurance registry, found by ID number (blind index)."""

    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number", unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    mobile = EncryptedTextField(_("手机号"), blank=True)
    mobile_index = BlindIndexField(source="mobile")
    region = models.CharField(_("参保地统筹区"), max_length=6, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("参保人员")
        verbose_name_plural = _("参保人员")

    def __str__(self):
        return self.name


class Enrolment(models.Model):
    """参保关系: a person insured by an employer for one insurance type from a start month."""

    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("参保人员"))
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="enrolments",
                                 verbose_name=_("参保单位"))
    insurance_type = models.CharField(_("险种"), max_length=16, choices=InsuranceType.choices)
    start_month = models.DateField(_("参保开始月份"))
    stop_month = models.DateField(_("停保月份"), null=True, blank=True)
    status = models.CharField(_("参保状态"), max_length=16, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)

    class Meta:
        verbose_name = _("参保关系")
        verbose_name_plural = _("参保关系")
        indexes = [models.Index(fields=["employer", "insurance_type", "status"])]

    def __str__(self):
        return f"{self.person} {self.get_insurance_type_display()} {self.get_status_display()}"


class ContributionRecord(models.Model):
    """缴费记录: one month's contribution wage base (缴费工资) for a person at an employer.

    The 12 months before an injury give the 本人工资 of 工伤保险条例 第六十四条, so bases are exact
    Decimals and each (person, employer, month, insurance type) appears once.
    """

    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="contributions",
                               verbose_name=_("参保人员"))
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contributions",
                                 verbose_name=_("参保单位"))
    insurance_type = models.CharField(_("险种"), max_length=16, choices=InsuranceType.choices,
                                      default=InsuranceType.INJURY)
    month = models.DateField(_("费款所属期"), help_text=_("月份第一天"))
    wage_base = models.DecimalField(_("缴费工资"), max_digits=12, decimal_places=2)
    paid = models.BooleanField(_("已缴费"), default=True)

    class Meta:
        verbose_name = _("缴费记录")
        verbose_name_plural = _("缴费记录")
        constraints = [
            models.UniqueConstraint(fields=["person", "employer", "insurance_type", "month"],
                                    name="uniq_contribution_month"),
        ]
        ordering = ["-month"]

    def __str__(self):
        return f"{self.person} {self.month:%Y-%m} {self.wage_base}"
