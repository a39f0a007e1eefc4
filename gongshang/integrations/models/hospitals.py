"""入出院通知: admissions and discharges reported by 卫健 / hospitals, linked to open cases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import HospitalNoticeKind, HospitalNoticeStatus
from ..rules.workflow import HOSPITAL_NOTICE_WORKFLOW

USER = settings.AUTH_USER_MODEL


class HospitalNotice(models.Model):
    """入出院通知: one admission or discharge of a person at a hospital. When the person has an open
    injury case it is linked to it (a worker admitted for the recognised injury) and the case's
    staff see it on the case; otherwise it stays in the list for comparison (hospital stays also
    feed the yearly eligibility check). One notice per (hospital, notice number)."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    batch = models.ForeignKey("integrations.ExchangeBatch", on_delete=models.PROTECT, related_name="hospital_notices",
                              verbose_name=_("交换批次"))
    hospital_code = models.CharField(_("医疗机构代码"), max_length=40)
    hospital_name = models.CharField(_("医疗机构名称"), max_length=100)
    institution = models.ForeignKey("medical.AgreementInstitution", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("协议机构"))
    notice_number = models.CharField(_("通知编号"), max_length=60)
    kind = models.CharField(_("类别"), max_length=16, choices=HospitalNoticeKind.choices)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number")
    name = models.CharField(_("姓名"), max_length=50)
    event_date = models.DateField(_("入院/出院日期"))
    diagnosis = models.CharField(_("诊断"), max_length=200, blank=True)
    diagnosis_code = models.CharField(_("诊断编码（ICD-10）"), max_length=16, blank=True)
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("参保人员"))
    case = models.ForeignKey("cases.InjuryCase", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="hospital_notices", verbose_name=_("关联工伤案件"))
    status = models.CharField(_("状态"), max_length=16, choices=HospitalNoticeStatus.choices, db_index=True)
    note = models.CharField(_("核查说明"), max_length=300, blank=True)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("核查人"))
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    access = Scope(kind="hospital_notice", staff=in_region())
    workflow = HOSPITAL_NOTICE_WORKFLOW

    class Meta:
        verbose_name = _("入出院通知")
        verbose_name_plural = _("入出院通知")
        ordering = ["-event_date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["hospital_code", "notice_number"],
                                               name="uniq_hospital_notice")]

    def __str__(self):
        return f"{self.hospital_name} {self.get_kind_display()} {self.event_date}"
