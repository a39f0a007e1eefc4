"""案件留言 (青岛: 申请人与经办人员在线实时互动): one thread per case between the applicant side and
the staff working on it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_employer, of_person
from gongshang.core.pii.fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class CaseMessage(models.Model):
    """One message of a case's thread. `from_staff` says the side; `read_at` is when the other side
    first read it (unread counts: the other side's messages without it). An attachment is a material
    of the case's vault (uploaded once, reused by every stage). Staff may turn an applicant's message
    into a 补正 request of the recognition application (`correction_for`) or of the appraisal
    application (`correction_appraisal`); a message is turned once."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="messages",
                             verbose_name=_("工伤案件"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("留言人"))
    author_label = models.CharField(_("留言人称呼"), max_length=100, blank=True)
    from_staff = models.BooleanField(_("经办人员发出"), default=False, db_index=True)
    text = EncryptedTextField(_("内容"), blank=True)
    attachment = models.ForeignKey("cases.CaseDocument", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("附件"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("对方已读时间"), null=True, blank=True)
    correction_for = models.ForeignKey("recognition.RecognitionApplication", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("已转为补正通知的认定申请"))
    correction_appraisal = models.ForeignKey("appraisal.AppraisalApplication", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("已转为补正通知的鉴定申请"))

    access = Scope(kind="case_message", staff=in_region("case__region"), employer=of_employer("case__employer"),
                   individual=of_person("case__person"))

    class Meta:
        verbose_name = _("案件留言")
        verbose_name_plural = _("案件留言")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "from_staff", "read_at"], name="case_message_unread")]

    def __str__(self):
        return f"{self.case} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def turned_into_correction(self) -> bool:
        return bool(self.correction_for_id or self.correction_appraisal_id)
