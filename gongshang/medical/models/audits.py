"""现场稽核: a campaign over the agreement institutions by cross-county teams (济宁: 91 institutions,
teams of other counties), a checklist per institution kind, findings, rectification notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region

from ..choices import CampaignStatus, FraudPattern, VisitStatus
from ..rules.workflow import CAMPAIGN_WORKFLOW, VISIT_WORKFLOW

USER = settings.AUTH_USER_MODEL
NOTICE_STATUSES = (VisitStatus.NOTIFIED, VisitStatus.RECTIFIED, VisitStatus.CLOSED)


def _institution_after_notice(actor):
    """An institution reaches its own visits once the notice is issued: an on-site audit is not
    announced, and the findings being recorded are the team's working notes until then."""
    return Q(institution__api_clients=actor.pk) & Q(status__in=NOTICE_STATUSES) & ~Q(notice_text="")


_institution_after_notice.describe = "本机构（已下达整改通知的稽核）"


def _staff_visits(actor):
    """Staff: their 统筹区's visits; 合作经办 without the 稽核员 role (an insurer's staff member embedded
    in the agency, 济宁): only the visits of the teams it sits on."""
    from gongshang.accounts.choices import StaffRole

    if not actor.jurisdiction:
        return None
    where = Q(campaign__region=actor.jurisdiction)
    if actor.has_role(StaffRole.COOPERATOR) and not actor.has_role(StaffRole.INSPECTOR):
        where &= Q(team__members__user=actor.pk)
    return where


_staff_visits.describe = "统筹区（campaign__region）；合作经办人员仅本人所在稽核组的检查"


class AuditCampaign(models.Model):
    """稽核计划: which institutions, which teams, when."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=16, choices=CampaignStatus.choices,
                              default=CampaignStatus.PLANNING, db_index=True)
    report = models.TextField(_("稽核报告"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access = Scope(kind="medical_audit_campaign", staff=in_region())
    workflow = CAMPAIGN_WORKFLOW

    class Meta:
        verbose_name = _("稽核计划")
        verbose_name_plural = _("稽核计划")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.name


class AuditTeam(models.Model):
    """稽核组: staff members, each with their own 区县 (a member never checks an institution of
    their own county)."""

    campaign = models.ForeignKey(AuditCampaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("组名"), max_length=50)

    class Meta:
        verbose_name = _("稽核组")
        verbose_name_plural = _("稽核组")
        ordering = ["campaign", "name"]

    def __str__(self):
        return self.name


class AuditTeamMember(models.Model):
    team = models.ForeignKey(AuditTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("稽核人员"))
    county = models.CharField(_("所属区县（行政区划代码）"), max_length=6)
    leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="uniq_audit_team_member")]

    def __str__(self):
        return f"{self.team} {self.county}"


class AuditVisit(models.Model):
    """一家机构的现场稽核: the team assigned, the checklist answers (item code → {ok, note}), the
    findings, the rectification notice and its follow-up."""

    campaign = models.ForeignKey(AuditCampaign, on_delete=models.CASCADE, related_name="visits")
    institution = models.ForeignKey("medical.AgreementInstitution", on_delete=models.PROTECT,
                                    related_name="audit_visits", verbose_name=_("协议机构"))
    team = models.ForeignKey(AuditTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="visits",
                             verbose_name=_("稽核组"))
    status = models.CharField(_("状态"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED,
                              db_index=True)
    visited_on = models.DateField(_("检查日期"), null=True, blank=True)
    checklist = models.JSONField(_("检查表"), default=dict)
    notice_text = models.TextField(_("整改通知"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectification = models.TextField(_("整改报告"), blank=True)
    follow_up = models.TextField(_("复查意见"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    access = Scope(kind="medical_audit_visit", staff=_staff_visits,
                   institution=_institution_after_notice, distinct=True)
    workflow = VISIT_WORKFLOW

    class Meta:
        verbose_name = _("现场稽核")
        verbose_name_plural = _("现场稽核")
        ordering = ["campaign", "institution"]
        constraints = [models.UniqueConstraint(fields=["campaign", "institution"], name="uniq_visit_institution")]

    def __str__(self):
        return str(f"{self.campaign} {self.institution}")


class AuditFinding(models.Model):
    """A finding of a visit: the pattern, what was seen, the amount to recover; documents and photos
    in `files` (stored through core/files)."""

    visit = models.ForeignKey(AuditVisit, on_delete=models.CASCADE, related_name="findings")
    pattern = models.CharField(_("问题类型"), max_length=24, choices=FraudPattern.choices)
    checklist_item = models.CharField(_("检查项"), max_length=20, blank=True)
    description = models.TextField(_("问题描述"))
    amount = models.DecimalField(_("追回金额"), max_digits=14, decimal_places=2, default=0)
    files = models.ManyToManyField("core.StoredFile", blank=True, related_name="+", verbose_name=_("照片与文件"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("稽核发现")
        verbose_name_plural = _("稽核发现")
        ordering = ["visit", "pk"]

    def __str__(self):
        return str(self.get_pattern_display())
