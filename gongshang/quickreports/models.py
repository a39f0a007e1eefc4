from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, either, in_region, of_employer, of_person, of_user
from gongshang.accounts.choices import Audience
from gongshang.core.models.timeline import AppendOnlyEvent
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from .choices import MediaKind, ReporterKind, ReportEventType, ReportStatus
from .rules import WORKFLOW


def _scope(prefix: str = "") -> Scope:
    """Staff: their 统筹区. Employers: reports naming them or made by their handler. Individuals:
    their own reports and those of an accident in which they are the injured person."""
    return Scope(kind="quick_report", staff=in_region(f"{prefix}region"),
                 employer=either(of_employer(f"{prefix}employer"), of_user(f"{prefix}reporter")),
                 individual=either(of_user(f"{prefix}reporter"), of_person(f"{prefix}accident__cases__person")),
                 distinct=frozenset({Audience.EMPLOYER, Audience.INDIVIDUAL}))  # staff: one 统筹区, no join


# The timeline entry of each workflow step.
STEP_EVENTS = {"receive": ReportEventType.RECEIVED, "open_case": ReportEventType.CASE_OPENED,
               "close_invalid": ReportEventType.CLOSED_INVALID, "green_channel": ReportEventType.GREEN_CHANNEL}


class QuickReport(models.Model):
    """工伤快报: a report made within 48 hours of an accident, with live evidence.

    The 快报唯一标志码 is a credential: only its keyed hash (`code_index`) is stored, so neither
    staff nor a database dump can read it back (a browser session holds it only encrypted, and
    only until it has been shown or used). The accident and one InjuryCase per injured
    person are created with the report.
    """

    code_index = models.CharField(max_length=64, unique=True)
    accident = models.OneToOneField("cases.Accident", on_delete=models.PROTECT, related_name="quick_report",
                                    verbose_name=_("事故"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="quick_reports", verbose_name=_("用人单位"))
    reporter_kind = models.CharField(_("快报人类型"), max_length=16, choices=ReporterKind.choices)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="quick_reports", verbose_name=_("快报人账户"))
    reporter_name = models.CharField(_("快报人"), max_length=100, blank=True)
    reporter_mobile = EncryptedTextField(_("快报人手机号"), blank=True)
    reporter_mobile_index = BlindIndexField(source="reporter_mobile")
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices,
                              default=ReportStatus.NEW, db_index=True)
    flags = models.JSONField(_("标记"), default=list, blank=True)
    # The same flags as ",a,b,": filtering by flag in SQL on SQLite and PostgreSQL alike.
    flag_index = models.CharField(_("标记索引"), max_length=400, blank=True, default="", editable=False)
    pledge_version = models.CharField(_("承诺书版本"), max_length=20)
    pledge_accepted_at = models.DateTimeField(_("接受承诺书时间"))
    submitted_at = models.DateTimeField(_("提交时间（服务器）"), db_index=True)
    submit_ip = models.GenericIPAddressField(_("提交 IP"), null=True, blank=True)
    first_viewed_at = models.DateTimeField(_("经办首次查看"), null=True, blank=True)
    closed_reason = models.CharField(_("关闭原因"), max_length=500, blank=True)

    access = _scope()
    workflow = WORKFLOW

    class Meta:
        verbose_name = _("工伤快报")
        verbose_name_plural = _("工伤快报")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["region", "status", "submitted_at"]),
            # The inbox, newest first, and its unread count (selectors.quick_report_list).
            models.Index(fields=["region", "-submitted_at", "-id"], name="qr_inbox_newest"),
            models.Index(fields=["region", "-submitted_at", "-id"], name="qr_inbox_unread",
                         condition=models.Q(first_viewed_at__isnull=True)),
        ]

    def __str__(self):
        return f"快报 {self.pk} {self.submitted_at:%Y-%m-%d %H:%M}"

    def append_timeline(self, *, actor, action, source, target, details):
        """The timeline entry of a workflow step (core.workflow.transition calls it)."""
        if source != target:
            details = {"from": source, "to": target, **details}
        user = actor if getattr(actor, "pk", None) else None
        QuickReportEvent.objects.create(report=self, event_type=STEP_EVENTS[action], actor=user,
                                        actor_label=str(user)[:100] if user else "", details=details)


class QuickReportMedia(models.Model):
    """现场影像: an original (unchanged, with SHA-256 in StoredFile) and its watermarked copy.

    Replaced media stay, with `replaced_by` pointing to the newer one: nothing is deleted.
    """

    report = models.ForeignKey(QuickReport, on_delete=models.PROTECT, related_name="media")
    kind = models.CharField(_("类型"), max_length=8, choices=MediaKind.choices)
    original = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    watermarked = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    capture_source = models.CharField(_("拍摄时间来源"), max_length=32, blank=True)
    duration_seconds = models.DecimalField(_("时长（秒）"), max_digits=8, decimal_places=2, null=True, blank=True)
    flags = models.JSONField(_("标记"), default=list, blank=True)
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    access = _scope("report__")

    class Meta:
        verbose_name = _("快报影像")
        verbose_name_plural = _("快报影像")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} ({self.report_id})"

    @property
    def is_current(self) -> bool:
        return self.replaced_by_id is None


class QuickReportEvent(AppendOnlyEvent):
    """快报时间线: append-only; each submission and supplement keeps the full version (encrypted,
    it holds names, ID numbers and mobiles)."""

    report = models.ForeignKey(QuickReport, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("事件"), max_length=40, choices=ReportEventType.choices)
    revision = models.PositiveSmallIntegerField(_("版本"), null=True, blank=True)

    class Meta:
        verbose_name = _("快报事件")
        verbose_name_plural = _("快报事件")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.get_event_type_display()}"
