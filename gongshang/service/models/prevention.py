"""工伤预防 (工伤预防费使用管理暂行办法, 人社部规〔2017〕13号; 济宁: 联席会议, 县区年度计划市级审批,
专家师资库, 课程预审, 培训评估决定拨付, 影像留存)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import (
    CourseStatus,
    EvaluationKind,
    MediaKind,
    PlanStatus,
    ProjectKind,
    ProjectStatus,
    SessionStatus,
    VenueKind,
)
from ..rules.workflow import PLAN_WORKFLOW, PROJECT_WORKFLOW, SESSION_WORKFLOW

USER = settings.AUTH_USER_MODEL


class PreventionPlan(models.Model):
    """县区年度工伤预防计划: a county's plan for a year with its budget, approved by the city; the
    approved plans of a 统筹区 and year may not exceed the cap together."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    county = models.CharField(_("县区（行政区划代码）"), max_length=6)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=100)
    budget = models.DecimalField(_("预算（元）"), max_digits=14, decimal_places=2)
    priority_industries = models.CharField(_("重点行业"), max_length=300, blank=True)
    summary = models.TextField(_("计划内容"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("报送人"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人"))
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)

    # The city decides on a plan: not the one who submitted it (maker-checker).
    access = Scope(kind="prevention_plan", staff=in_region(), condition=lambda actor, plan, action: (
        action not in ("approve", "return") or plan.submitted_by_id != actor.pk))
    workflow = PLAN_WORKFLOW

    class Meta:
        verbose_name = _("工伤预防年度计划")
        verbose_name_plural = _("工伤预防年度计划")
        constraints = [models.UniqueConstraint(fields=["region", "county", "year"], name="uniq_prevention_plan")]
        ordering = ["-year", "county"]

    def __str__(self):
        return self.title

    @staticmethod
    def access_refusal(action: str) -> str:
        return "本计划由您报送，须由市级其他工伤预防专管员审批或退回。"


class PreventionProject(models.Model):
    """工伤预防项目 of an approved plan: proposal → 立项 → contract → delivery → 验收 → evaluation →
    payment; the evaluation score decides the amount paid."""

    plan = models.ForeignKey(PreventionPlan, on_delete=models.PROTECT, related_name="projects",
                             verbose_name=_("年度计划"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    title = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类别"), max_length=16, choices=ProjectKind.choices)
    industry = models.CharField(_("面向行业"), max_length=100, blank=True)
    budget = models.DecimalField(_("项目预算（元）"), max_digits=14, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=ProjectStatus.choices,
                              default=ProjectStatus.PROPOSED, db_index=True)
    contractor = models.CharField(_("服务机构"), max_length=100, blank=True)
    contract_no = models.CharField(_("合同编号"), max_length=40, blank=True)
    contract_amount = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("验收人"))
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    evaluation_score = models.DecimalField(_("评估得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    payable_amount = models.DecimalField(_("应拨付金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    paid_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("拨付人"))
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报人"))
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    # Payment by someone other than the one who accepted the delivery (maker-checker).
    access = Scope(kind="prevention_project", staff=in_region(), condition=lambda actor, project, action: (
        action != "pay" or project.accepted_by_id != actor.pk))
    workflow = PROJECT_WORKFLOW

    class Meta:
        verbose_name = _("工伤预防项目")
        verbose_name_plural = _("工伤预防项目")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @staticmethod
    def access_refusal(action: str) -> str:
        return "该项目由您验收，须由其他工伤预防专管员办理拨付。"


class Trainer(models.Model):
    """师资库: an expert trainer of the 统筹区's pool."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    mobile = EncryptedTextField(_("手机号"), blank=True)
    organisation = models.CharField(_("工作单位"), max_length=100, blank=True)
    specialty = models.CharField(_("专业领域"), max_length=100, blank=True)
    title = models.CharField(_("职称或资格"), max_length=100, blank=True)
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    access = Scope(kind="prevention_trainer", staff=in_region())

    class Meta:
        verbose_name = _("工伤预防师资")
        verbose_name_plural = _("工伤预防师资")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Course(models.Model):
    """课程: reviewed in advance (课程预审) before any session may use it."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="courses", verbose_name=_("授课师资"))
    title = models.CharField(_("课程名称"), max_length=100)
    outline = models.TextField(_("课程大纲"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    status = models.CharField(_("审核状态"), max_length=16, choices=CourseStatus.choices,
                              default=CourseStatus.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    access = Scope(kind="prevention_trainer", staff=in_region())

    class Meta:
        verbose_name = _("工伤预防课程")
        verbose_name_plural = _("工伤预防课程")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    """培训班次: one training of a project at an enterprise, site, school or hospital, with a sign-in
    code for the phone (QR), attendance, questionnaires and evaluation forms, and its media kept."""

    project = models.ForeignKey(PreventionProject, on_delete=models.PROTECT, related_name="sessions",
                                verbose_name=_("预防项目"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("课程"))
    venue_kind = models.CharField(_("培训场所类别"), max_length=16, choices=VenueKind.choices)
    venue = models.CharField(_("培训地点"), max_length=200)
    industry = models.CharField(_("参训行业"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    expected_trainees = models.PositiveIntegerField(_("计划人数"), default=0)
    sign_in_token = models.CharField(_("签到码"), max_length=32, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED,
                              db_index=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    access = Scope(kind="training_session", staff=in_region())
    workflow = SESSION_WORKFLOW

    class Meta:
        verbose_name = _("工伤预防培训班次")
        verbose_name_plural = _("工伤预防培训班次")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    """签到: one trainee signed in on the phone (one per mobile per session)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("培训班次"))
    name = models.CharField(_("姓名"), max_length=50)
    mobile = EncryptedTextField(_("手机号"))
    mobile_index = BlindIndexField(source="mobile")
    employer_name = models.CharField(_("单位"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    access = Scope(kind="training_session", staff=in_region("session__region"))

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [models.UniqueConstraint(fields=["session", "mobile_index"], name="uniq_attendance_mobile")]
        ordering = ["signed_at", "pk"]

    def __str__(self):
        return f"{self.session_id} {self.name}"


class Evaluation(models.Model):
    """问卷与评估表: a trainee's questionnaire (after signing in) or the organiser's evaluation form;
    the average scores decide the project's payment."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name=_("培训班次"))
    kind = models.CharField(_("类别"), max_length=16, choices=EvaluationKind.choices)
    attendance = models.ForeignKey(Attendance, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="evaluations", verbose_name=_("学员"))
    score = models.DecimalField(_("得分（百分制）"), max_digits=5, decimal_places=2)
    answers = models.JSONField(_("答卷"), default=dict, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("评估人"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    access = Scope(kind="training_session", staff=in_region("session__region"))

    class Meta:
        verbose_name = _("培训问卷与评估")
        verbose_name_plural = _("培训问卷与评估")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.session_id} {self.get_kind_display()} {self.score}"


class SessionMedia(models.Model):
    """培训影像: photos, audio and video of a session, kept unchanged (SHA-256 in the stored file)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="media",
                                verbose_name=_("培训班次"))
    kind = models.CharField(_("类别"), max_length=16, choices=MediaKind.choices)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("文件"))
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    access = Scope(kind="training_session", staff=in_region("session__region"))

    class Meta:
        verbose_name = _("培训影像")
        verbose_name_plural = _("培训影像")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.session_id} {self.get_kind_display()}"
