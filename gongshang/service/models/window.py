"""一窗受理 (三事合一, 济宁): one request names every matter; the later ones are prepared in advance and
created from the same materials once the recognition is decided."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_employer, of_person

from ..choices import MatterKind, MatterStatus, WindowChannel, WindowRequestStatus

USER = settings.AUTH_USER_MODEL


class WindowRequest(models.Model):
    """一窗受理登记: a recognition application that may also ask at once for 劳动能力鉴定 (when the
    injury is stable: 条例 第二十一条) and for 待遇. Once the recognition is decided as 工伤 (or 视同工伤)
    the follow-on matters are created from the case's materials without a new application."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="window_requests",
                             verbose_name=_("工伤案件"))
    recognition = models.OneToOneField("recognition.RecognitionApplication", on_delete=models.PROTECT,
                                       related_name="window_request", verbose_name=_("工伤认定申请"))
    channel = models.CharField(_("受理渠道"), max_length=16, choices=WindowChannel.choices)
    wants_appraisal = models.BooleanField(_("同时申请劳动能力鉴定"), default=False)
    injury_stable = models.BooleanField(_("伤情已相对稳定"), default=False)
    wants_benefits = models.BooleanField(_("同时申请工伤保险待遇"), default=False)
    status = models.CharField(_("状态"), max_length=24, choices=WindowRequestStatus.choices,
                              default=WindowRequestStatus.WAITING_RECOGNITION, db_index=True)
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("窗口受理人"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("受理时间"), auto_now_add=True)

    access = Scope(kind="window_request", staff=in_region(), employer=of_employer("case__employer"),
                   individual=of_person("case__person"))

    class Meta:
        verbose_name = _("一窗受理登记")
        verbose_name_plural = _("一窗受理登记")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.case} 一窗受理"


class WindowMatter(models.Model):
    """One matter of a request (认定, 鉴定, 待遇), with the date the law gives for it and what was
    created for it (the appraisal application's id, the entitlements' case)."""

    request = models.ForeignKey(WindowRequest, on_delete=models.CASCADE, related_name="matters",
                                verbose_name=_("一窗受理登记"))
    kind = models.CharField(_("事项"), max_length=16, choices=MatterKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=MatterStatus.choices, db_index=True)
    due_date = models.DateField(_("法定办结日期"), null=True, blank=True)
    due_basis = models.CharField(_("时限依据"), max_length=200, blank=True)
    target_id = models.PositiveBigIntegerField(_("办理记录编号"), null=True, blank=True)
    prepared_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("提前准备人"))
    prepared_at = models.DateTimeField(_("提前准备时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    access = Scope(kind="window_request", staff=in_region("request__region"),
                   employer=of_employer("request__case__employer"), individual=of_person("request__case__person"))

    class Meta:
        verbose_name = _("一窗受理事项")
        verbose_name_plural = _("一窗受理事项")
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="uniq_window_matter_kind")]
        ordering = ["request", "pk"]

    def __str__(self):
        return f"{self.request_id} {self.get_kind_display()}"
