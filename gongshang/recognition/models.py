from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope
from gongshang.core.models.timeline import AppendOnlyEvent
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from . import permissions
from .choices import (
    ApplicantKind,
    ApplicationStatus,
    Circumstance,
    DecisionResult,
    PeriodStatus,
    RecognitionEventType,
)
from .rules import workflow as workflow_rules


class RecognitionApplication(models.Model):
    """工伤认定申请: one application about one InjuryCase, in the six sections of the form
    (工伤人员信息, 单位信息, 受伤信息, 申请人信息, 附件信息 = the case's 材料库, 经办人信息).

    Its materials live in the case's document vault (cases.CaseDocument), so later stages and a
    new application on the same case reuse them. The due date of what the agency owes next is
    kept in `due_on` (recomputed at every transition, and by the nightly refresh and after a
    change of the holiday calendar) so staff lists sort by urgency in SQL.
    """

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="recognition_applications",
                             verbose_name=_("工伤案件"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    owner_key = models.CharField(_("暂存归属"), max_length=32, help_text=_("employer:<id> 或 user:<id>"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    status = models.CharField(_("状态"), max_length=24, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    from_quick_report = models.BooleanField(_("来自工伤快报"), default=False)
    # 一、工伤人员信息
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("参保人员"))
    injured_name = models.CharField(_("姓名"), max_length=50, blank=True)
    injured_id_number = EncryptedTextField(_("身份证号"), blank=True)
    injured_id_number_index = BlindIndexField(source="injured_id_number")
    injured_mobile = EncryptedTextField(_("联系电话"), blank=True)
    job_title = models.CharField(_("工作岗位（工种）"), max_length=50, blank=True)
    monthly_wage = models.DecimalField(_("本人月缴费工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    enrolment_note = models.CharField(_("参保情况"), max_length=100, blank=True)
    # 二、单位信息
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("用人单位"))
    employer_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    employer_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    employer_address = models.CharField(_("单位地址"), max_length=300, blank=True)
    employer_contact = models.CharField(_("单位联系人"), max_length=50, blank=True)
    employer_phone = EncryptedTextField(_("单位联系电话"), blank=True)
    # 三、受伤信息
    accident_at = models.DateTimeField(_("受伤时间"), null=True, blank=True)
    accident_place = models.CharField(_("受伤地点"), max_length=300, blank=True)
    circumstance = models.CharField(_("认定情形"), max_length=24, choices=Circumstance.choices, blank=True)
    description = models.TextField(_("受伤经过"), blank=True)
    body_part = models.CharField(_("受伤部位"), max_length=100, blank=True)
    diagnosis = models.CharField(_("诊断结论"), max_length=300, blank=True)
    diagnosed_on = models.DateField(_("职业病诊断（鉴定）日期"), null=True, blank=True)
    treatments = models.JSONField(_("治疗方式"), default=list, blank=True)
    died = models.BooleanField(_("死亡"), default=False)
    serious_injury = models.BooleanField(_("重伤"), default=False)
    # 四、申请人信息
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=100, blank=True)
    applicant_id_number = EncryptedTextField(_("申请人证件号码"), blank=True)
    applicant_mobile = EncryptedTextField(_("申请人联系电话"), blank=True)
    applicant_relation = models.CharField(_("与职工关系"), max_length=50, blank=True)
    by_agent = models.BooleanField(_("委托代理人办理"), default=False)
    # 六、经办人信息
    handler_name = models.CharField(_("经办人"), max_length=50, blank=True)
    handler_mobile = EncryptedTextField(_("经办人联系电话"), blank=True)
    handling_region = models.CharField(_("受理地区"), max_length=6, blank=True)
    # Period (条例 第十七条)
    period_status = models.CharField(_("申请时限状态"), max_length=16, blank=True, choices=PeriodStatus.choices,
                                     default=PeriodStatus.NOT_ASSESSED)
    period_due = models.DateField(_("申请时限截止"), null=True, blank=True)
    period_extension_reason = models.CharField(_("申请时限延长理由"), max_length=500, blank=True)
    # Workflow
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("受理员"))
    investigators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                           verbose_name=_("调查员"))
    investigation_report = models.ForeignKey("cases.CaseDocument", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("调查报告"))
    simple_procedure = models.BooleanField(_("事实清楚、权利义务明确（简易程序）"), default=False)
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    suspended_from = models.CharField(_("中止前状态"), max_length=24, blank=True)
    correction_items = models.JSONField(_("补正事项"), default=list, blank=True)
    not_accepted_reason = models.CharField(_("不予受理理由"), max_length=1000, blank=True)
    decision_result = models.CharField(_("认定结论"), max_length=16, choices=DecisionResult.choices, blank=True)
    decision_article = models.CharField(_("法律依据"), max_length=200, blank=True)
    decision_reasoning = models.TextField(_("认定理由"), blank=True)
    due_on = models.DateField(_("下一办理时限"), null=True, blank=True, db_index=True)
    due_label = models.CharField(_("时限事项"), max_length=20, blank=True)
    due_provisional = models.BooleanField(_("时限暂定"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工伤认定申请")
        verbose_name_plural = _("工伤认定申请")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "status", "due_on"]),
            # The open queues and the overdue list: by urgency within a 统筹区, read in index order.
            models.Index(fields=["region", "due_on", "received_on", "id"], name="recog_open_by_due",
                         condition=models.Q(status__in=sorted(workflow_rules.OPEN))),
        ]
        constraints = [
            # Seed 002: 一个员工只能存在一条工伤认定暂存数据 (per employer, or per individual account).
            models.UniqueConstraint(fields=["owner_key", "injured_id_number_index"],
                                    condition=models.Q(status=ApplicationStatus.DRAFT),
                                    name="uniq_recognition_draft_per_employee"),
        ]

    # Who reaches which application (permissions.py has the rules): staff their 统筹区's submitted
    # ones (and drafts refused for the period); an applicant its own and, once submitted, those
    # naming its employer or bound person. Only the owner changes it; acceptance decisions are the
    # allocated 受理员's (or a 审核员's).
    access = Scope(kind="recognition_application", staff=permissions.staff_rows,
                   employer=permissions.employer_rows, individual=permissions.individual_rows,
                   condition=permissions.condition)
    workflow = workflow_rules.WORKFLOW

    def __str__(self):
        return f"工伤认定申请 {self.pk}（{self.injured_name}）"

    @staticmethod
    def access_refusal(action: str) -> str:
        return permissions.refusal(action)

    def append_timeline(self, *, actor, action, source, target, details):
        """The timeline entry of a transition (core.workflow), then the stored next due date."""
        from .services.transition import refresh_due, timeline_append

        timeline_append(application=self, event_type=workflow_rules.timeline_event(action, details, target),
                        actor=actor, details={"from": source, "to": target, **(details or {})})
        refresh_due(self)


class RecognitionSuspension(models.Model):
    """中止 (条例 第二十条 第三款): a period during which the decision clock stops."""

    application = models.ForeignKey(RecognitionApplication, on_delete=models.PROTECT, related_name="suspensions")
    started_on = models.DateField(_("中止日期"))
    ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    reason = models.CharField(_("中止原因"), max_length=500)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("认定中止")
        verbose_name_plural = _("认定中止")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.started_on}–{self.ended_on or '…'}"


class InvestigationNote(models.Model):
    """调查记录: what an investigator found (interviews, site visits). Append-only."""

    application = models.ForeignKey(RecognitionApplication, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("调查记录"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.created_at:%Y-%m-%d}"


class RecognitionDocument(models.Model):
    """A legal document issued for the application (受理通知书, 补正通知书, 决定书…), versioned:
    a re-issue is version n+1 and the earlier one is revoked, never edited."""

    application = models.ForeignKey(RecognitionApplication, on_delete=models.PROTECT, related_name="documents")
    document = models.OneToOneField("core.IssuedDocument", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书类型"), max_length=64)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认定文书")
        verbose_name_plural = _("认定文书")
        ordering = ["issued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "kind", "version"],
                                               name="uniq_recognition_document_version")]

    # The documents of the applications the account reaches (matrix row "recognition_document").
    access = Scope(kind="recognition_document", staff=permissions.via_application("application"),
                   employer=permissions.via_application("application"),
                   individual=permissions.via_application("application"))

    def __str__(self):
        return f"{self.application_id} {self.kind} v{self.version}"


class RecognitionEvent(AppendOnlyEvent):
    """认定时间线: append-only; what the applicant sees as progress (details may hold personal data,
    so they are encrypted)."""

    application = models.ForeignKey(RecognitionApplication, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("事件"), max_length=48, choices=RecognitionEventType.choices)
    status = models.CharField(_("办理后状态"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("认定事件")
        verbose_name_plural = _("认定事件")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.get_event_type_display()}"

class JurisdictionSetting(models.Model):
    """本地承诺时限与材料: a jurisdiction's faster promises (seed 004, 曲阜: 受理3日, 简易案件认定7日)
    and local material additions, valid for a period. Never longer than the statute."""

    region = models.CharField(_("地区代码"), max_length=6, db_index=True)
    name = models.CharField(_("地区名称"), max_length=50)
    acceptance_days = models.PositiveSmallIntegerField(_("受理承诺时限（日）"), null=True, blank=True)
    decision_days = models.PositiveSmallIntegerField(_("一般案件认定承诺时限（日）"), null=True, blank=True)
    simple_decision_days = models.PositiveSmallIntegerField(_("简易案件认定承诺时限（日）"), null=True, blank=True)
    extra_materials = models.JSONField(_("本地增加材料"), default=list, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("本地认定时限设置")
        verbose_name_plural = _("本地认定时限设置")
        ordering = ["region", "-valid_from"]

    def __str__(self):
        return f"{self.name} {self.valid_from}"
