"""劳动能力鉴定: the middle link of the one case (DESIGN: InjuryCase → RecognitionApplication →
AppraisalApplication → Entitlements). Materials live in the case's document vault; the recognition
decision is taken from the case, never uploaded again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.models.timeline import AppendOnlyEvent
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from . import permissions
from .choices import (
    ApplicantKind,
    ApplicationStatus,
    AppraisalKind,
    BatchStatus,
    ConflictKind,
    DeliveryMethod,
    SelfCareLevel,
    VisitMode,
)
from .rules import workflow as workflow_rules

USER = settings.AUTH_USER_MODEL


class AppraisalSetting(models.Model):
    """鉴定地区设置: a 统筹区's appraisal practice, valid for a period (潍坊: a batch every
    30 days instead of 60). Regional figures, never hard-coded."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    batch_interval_days = models.PositiveSmallIntegerField(_("鉴定批次间隔（日）"), default=30)
    cutoff_days = models.PositiveSmallIntegerField(_("批次截止编入（鉴定日前若干日）"), default=7)
    panel_size = models.PositiveSmallIntegerField(_("专家组人数（3或5）"), default=3)
    no_show_limit = models.PositiveSmallIntegerField(
        _("无正当理由未到场终止鉴定的次数"), default=1,
        help_text=_("鉴定办法第二十三条：无正当理由不参加现场鉴定的，终止鉴定"))
    publication_days = models.PositiveSmallIntegerField(_("结论公示期（日）"), default=7)
    committee_name = models.CharField(_("劳动能力鉴定委员会名称"), max_length=100)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    access = Scope(kind="appraisal_setting", staff=in_region())

    class Meta:
        verbose_name = _("鉴定地区设置")
        verbose_name_plural = _("鉴定地区设置")
        ordering = ["region", "-valid_from"]

    def __str__(self):
        return f"{self.committee_name} {self.valid_from}"


class AppraisalSite(models.Model):
    """鉴定场所: where a batch is examined, with the capacity of one exam day."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    name = models.CharField(_("场所名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=300)
    capacity = models.PositiveIntegerField(_("单日可鉴定人数"), default=60)
    active = models.BooleanField(_("启用"), default=True)

    access = Scope(kind="appraisal_setting", staff=in_region())

    class Meta:
        verbose_name = _("鉴定场所")
        verbose_name_plural = _("鉴定场所")
        ordering = ["region", "name"]

    def __str__(self):
        return self.name


class AppraisalBatch(models.Model):
    """鉴定批次: one exam day of a 统筹区 at one site. Applications accepted before the cut-off are
    assigned; the commitment hash of the draw seed is published before the draw (the draw is
    reproducible and auditable)."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    number = models.CharField(_("批次号"), max_length=20, unique=True)
    exam_on = models.DateField(_("鉴定日期"))
    exam_time = models.CharField(_("报到时间"), max_length=50, default="08:30")
    cutoff_on = models.DateField(_("截止编入日期"))
    site = models.ForeignKey(AppraisalSite, on_delete=models.PROTECT, related_name="batches", verbose_name=_("鉴定场所"))
    capacity = models.PositiveIntegerField(_("容量"))
    status = models.CharField(_("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PLANNED,
                              db_index=True)
    bring_note = models.CharField(_("鉴定须知（需携带的材料）"), max_length=500, blank=True)
    seed_commitment = models.CharField(_("抽取种子承诺值（SHA-256）"), max_length=64, blank=True)
    # The seed itself stays secret (encrypted) until the draw reveals it in PanelDraw.seed.
    seed_secret = EncryptedTextField(_("抽取种子（抽取前保密）"), blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    publication_until = models.DateField(_("公示截止"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access = Scope(kind="appraisal_batch", staff=permissions.expert_batches, distinct=True)
    workflow = workflow_rules.BATCH_WORKFLOW

    class Meta:
        verbose_name = _("鉴定批次")
        verbose_name_plural = _("鉴定批次")
        ordering = ["-exam_on", "-pk"]
        indexes = [models.Index(fields=["region", "status", "exam_on"])]

    def __str__(self):
        return f"{self.number}（{self.exam_on}）"

    @staticmethod
    def access_refusal(action: str) -> str:
        return workflow_rules.BATCH_MESSAGES.get(action, "您不能对该批次办理此业务。")


class Expert(models.Model):
    """鉴定专家库: a medical expert of the pool (潍坊 has 130+), with the 门类 of
    GB/T 16180-2014 they may examine, title, employer (for recusal) and availability; an expert with
    a login (user) sees the applications of their panels and signs opinions."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_number_index = BlindIndexField(source="id_number")
    mobile = EncryptedTextField(_("手机号码"), blank=True)
    categories = models.JSONField(_("可鉴定门类"), default=list)
    title = models.CharField(_("职称"), max_length=50)
    workplace = models.CharField(_("工作单位（医疗机构）"), max_length=200)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("工作单位（参保单位）"),
                                 help_text=_("与工伤职工同一用人单位的须回避（条例第二十七条）"))
    user = models.OneToOneField(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="expert",
                                verbose_name=_("登录账户"))
    available = models.BooleanField(_("可参加抽取"), default=True)
    unavailable_until = models.DateField(_("暂停至"), null=True, blank=True)
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True)

    access = Scope(kind="appraisal_expert", staff=in_region())

    class Meta:
        verbose_name = _("鉴定专家")
        verbose_name_plural = _("鉴定专家")
        ordering = ["region", "name", "pk"]
        indexes = [models.Index(fields=["region", "available"])]

    def __str__(self):
        return f"{self.name}（{self.title}）"


class ExpertConflict(models.Model):
    """A declared conflict of an expert with a person (回避, 条例 第二十七条): a relative, the
    treating doctor, another interest. Checked at every draw."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    person = models.ForeignKey("registry.InsuredPerson", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("工伤职工"))
    kind = models.CharField(_("回避事由"), max_length=16, choices=ConflictKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    access = Scope(kind="appraisal_expert", staff=in_region("expert__region"))

    class Meta:
        verbose_name = _("专家回避登记")
        verbose_name_plural = _("专家回避登记")
        constraints = [models.UniqueConstraint(fields=["expert", "person", "kind"], name="uniq_expert_conflict")]

    def __str__(self):
        return f"{self.expert_id} {self.get_kind_display()}"


class AppraisalApplication(models.Model):
    """劳动能力鉴定申请: one matter (初次, 再次, 复查, or a confirmation) about one InjuryCase, through
    one form. Several matters of a case are accepted together, examined in the same batch and
    delivered at the same time, as 潍坊 does. Deadlines are stored on the row (`due_on`) so the staff
    queue sorts by urgency in SQL."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="appraisal_applications",
                             verbose_name=_("工伤案件"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    kind = models.CharField(_("鉴定类别"), max_length=20, choices=AppraisalKind.choices)
    items = models.JSONField(_("申请鉴定事项"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    owner_key = models.CharField(_("申请归属"), max_length=32)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=100, blank=True)
    applicant_relation = models.CharField(_("与职工关系"), max_length=30, blank=True)
    applicant_mobile = EncryptedTextField(_("申请人联系电话"), blank=True)
    mailing_address = EncryptedTextField(_("结论书邮寄地址"), blank=True)
    # 供养亲属劳动能力鉴定: the relative examined.
    dependant_name = models.CharField(_("供养亲属姓名"), max_length=50, blank=True)
    dependant_id_number = EncryptedTextField(_("供养亲属身份证号"), blank=True)
    dependant_id_index = BlindIndexField(source="dependant_id_number")
    # 再次/复查: the conclusion it re-examines.
    previous_conclusion = models.ForeignKey("AppraisalConclusion", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name=_("原鉴定结论"))
    reason = models.TextField(_("申请理由（病情变化、对结论的异议等）"), blank=True)
    green_channel = models.BooleanField(_("绿色通道（重度伤残，申请上门或远程鉴定）"), default=False)
    # Deadlines (stored; refreshed at every transition and nightly).
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    completeness_due = models.DateField(_("审核材料时限"), null=True, blank=True)
    correction_items = models.JSONField(_("一次性告知补正事项"), default=list, blank=True)
    correction_notified_on = models.DateField(_("告知补正日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理（材料齐全）日期"), null=True, blank=True)
    conclusion_due = models.DateField(_("作出结论时限"), null=True, blank=True)
    extended_on = models.DateField(_("延长日期"), null=True, blank=True)
    extension_reason = models.CharField(_("延长理由"), max_length=500, blank=True)
    postponed_days = models.PositiveSmallIntegerField(_("顺延天数"), default=0)
    no_show_count = models.PositiveSmallIntegerField(_("未到场次数"), default=0)
    termination_reason = models.CharField(_("终止理由"), max_length=500, blank=True)
    batch = models.ForeignKey(AppraisalBatch, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="applications", verbose_name=_("鉴定批次"))
    concluded_on = models.DateField(_("结论日期"), null=True, blank=True)
    delivery_due = models.DateField(_("送达时限"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    due_on = models.DateField(_("下一办理时限"), null=True, blank=True, db_index=True)
    due_label = models.CharField(_("时限事项"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    access = Scope(kind="appraisal_application", staff=permissions.staff_rows,
                   employer=permissions.employer_rows, individual=permissions.individual_rows,
                   condition=permissions.condition, distinct=True)
    workflow = workflow_rules.WORKFLOW

    class Meta:
        verbose_name = _("劳动能力鉴定申请")
        verbose_name_plural = _("劳动能力鉴定申请")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "status", "due_on"])]

    def __str__(self):
        return f"劳动能力鉴定申请 {self.pk}（{self.get_kind_display()}）"

    @staticmethod
    def access_refusal(action: str) -> str:
        return permissions.refusal(action)

    def append_timeline(self, *, actor, action, source, target, details):
        """The timeline entry of a transition (core.workflow); the stored deadlines are refreshed by
        the service that made the change."""
        user = actor if getattr(actor, "pk", None) else None
        AppraisalEvent.objects.create(
            application=self, event_type=workflow_rules.TIMELINE_EVENTS.get(action, f"appraisal.{action}"),
            status=target, actor=user, actor_label=str(actor)[:100] if user else "",
            details={"from": source, "to": target, **(details or {})})


class AppraisalPostponement(models.Model):
    """顺延: the worker asked to postpone (illness, hospital stay): the conclusion deadline moves by
    the same number of days."""

    application = models.ForeignKey(AppraisalApplication, on_delete=models.PROTECT, related_name="postponements")
    days = models.PositiveSmallIntegerField(_("顺延天数"))
    reason = models.CharField(_("顺延理由"), max_length=500)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    access = Scope(kind="appraisal_application", staff=permissions.via_application("application"))

    class Meta:
        verbose_name = _("鉴定顺延")
        verbose_name_plural = _("鉴定顺延")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.application_id} +{self.days}"


class PanelDraw(models.Model):
    """抽取记录: the draw of a batch's panels, reproducible and auditable: the snapshot of the pool,
    the seed (whose SHA-256 was published as the batch's commitment before the draw) and the result."""

    batch = models.ForeignKey(AppraisalBatch, on_delete=models.PROTECT, related_name="draws")
    seed = models.CharField(_("抽取种子"), max_length=64)
    pool_snapshot = models.JSONField(_("专家库快照"), default=list)
    pool_sha256 = models.CharField(_("专家库快照 SHA-256"), max_length=64)
    result = models.JSONField(_("抽取结果"), default=dict)
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    access = Scope(kind="appraisal_batch", staff=in_region("batch__region"))

    class Meta:
        verbose_name = _("专家组抽取记录")
        verbose_name_plural = _("专家组抽取记录")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"{self.batch_id} {self.drawn_at:%Y-%m-%d}"


class PanelMember(models.Model):
    """One expert on one application's panel (3 or 5, 条例 第二十五条), from one draw."""

    application = models.ForeignKey(AppraisalApplication, on_delete=models.PROTECT, related_name="panel_members")
    draw = models.ForeignKey(PanelDraw, on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="panel_seats")
    category = models.CharField(_("门类"), max_length=16)
    is_chair = models.BooleanField(_("组长"), default=False)

    access = Scope(kind="appraisal_application", staff=permissions.via_application("application"))

    class Meta:
        verbose_name = _("专家组成员")
        verbose_name_plural = _("专家组成员")
        constraints = [models.UniqueConstraint(fields=["application", "draw", "expert"], name="uniq_panel_seat")]

    def __str__(self):
        return f"{self.application_id} {self.expert_id}"


class ExamRecord(models.Model):
    """现场鉴定记录: check-in with identity verification (the live photo beside the registry photo,
    decided by staff and recorded), the recording of the session, and the panel's proposal."""

    application = models.OneToOneField(AppraisalApplication, on_delete=models.PROTECT, related_name="exam")
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    live_photo = models.ForeignKey("cases.CaseDocument", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("现场照片"))
    identity_verified = models.BooleanField(_("身份核验一致"), null=True)
    identity_note = models.CharField(_("核验说明"), max_length=300, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recording = models.ForeignKey("cases.CaseDocument", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("鉴定过程录音录像"))
    proposed_grade = models.PositiveSmallIntegerField(_("专家组建议等级（0为未达级）"), null=True, blank=True)
    proposed_self_care = models.CharField(_("专家组建议生活自理障碍程度"), max_length=16,
                                          choices=SelfCareLevel.choices, blank=True)
    proposal = models.JSONField(_("专家组意见"), default=dict, blank=True)
    examined_at = models.DateTimeField(_("鉴定时间"), null=True, blank=True)

    access = Scope(kind="appraisal_application", staff=permissions.via_application("application"))

    class Meta:
        verbose_name = _("现场鉴定记录")
        verbose_name_plural = _("现场鉴定记录")

    def __str__(self):
        return f"{self.application_id}"


class ExpertOpinion(models.Model):
    """专家意见: one expert's signed opinion on one application (the grading aid helps; it never
    replaces their judgement). Signed = the SHA-256 of the opinion's content, with time and account."""

    application = models.ForeignKey(AppraisalApplication, on_delete=models.PROTECT, related_name="opinions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="opinions")
    grade = models.PositiveSmallIntegerField(_("伤残等级（0为未达级）"), null=True, blank=True)
    self_care = models.CharField(_("生活自理障碍程度"), max_length=16, choices=SelfCareLevel.choices, blank=True)
    standard_items = models.JSONField(_("依据标准条款"), default=list, blank=True)
    confirmations = models.JSONField(_("确认事项意见"), default=dict, blank=True)
    text = EncryptedTextField(_("意见"))
    signature = models.CharField(_("签名摘要"), max_length=64)
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)

    access = Scope(kind="appraisal_application", staff=permissions.via_application("application"))

    class Meta:
        verbose_name = _("专家意见")
        verbose_name_plural = _("专家意见")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="uniq_expert_opinion")]

    def __str__(self):
        return f"{self.application_id} {self.expert_id}"


class HomeVisit(models.Model):
    """绿色通道: a home or remote visit for a gravely injured worker (the application carries a
    short video of daily life), approved by staff and scheduled like a batch slot, as 潍坊 does."""

    application = models.ForeignKey(AppraisalApplication, on_delete=models.PROTECT, related_name="visits")
    mode = models.CharField(_("方式"), max_length=8, choices=VisitMode.choices)
    scheduled_at = models.DateTimeField(_("预约时间"))
    address = EncryptedTextField(_("上门地址"), blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    access = Scope(kind="appraisal_application", staff=permissions.via_application("application"))

    class Meta:
        verbose_name = _("上门/远程鉴定")
        verbose_name_plural = _("上门/远程鉴定")
        ordering = ["scheduled_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.get_mode_display()}"


class AppraisalConclusion(models.Model):
    """鉴定结论: grade 1–10 or 未达级 (0), 生活自理障碍 level, the confirmations (停工留薪期 extension,
    device, rehabilitation, relapse, a dependant's incapacity), the basis in GB/T 16180-2014, signed by
    the committee. Versioned: a 再次/复查 conclusion supersedes the earlier; a provincial conclusion is
    final (条例 第二十六条). Pushed to benefits as the case's conclusion."""

    application = models.OneToOneField(AppraisalApplication, on_delete=models.PROTECT, related_name="conclusion")
    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="appraisal_conclusions")
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    number = models.CharField(_("结论书文号"), max_length=40, unique=True)
    grade = models.PositiveSmallIntegerField(_("伤残等级（0为未达级）"), null=True, blank=True)
    self_care = models.CharField(_("生活自理障碍程度"), max_length=16, choices=SelfCareLevel.choices, blank=True)
    leave_extension_months = models.PositiveSmallIntegerField(_("停工留薪期延长（月）"), null=True, blank=True)
    confirmed = models.BooleanField(_("确认事项成立"), null=True)
    confirmation_detail = models.CharField(_("确认内容（辅助器具、康复项目等）"), max_length=500, blank=True)
    basis = models.JSONField(_("依据（GB/T 16180-2014 条款与晋级规则）"), default=dict, blank=True)
    concluded_on = models.DateField(_("结论日期"))
    provincial = models.BooleanField(_("省级鉴定委员会结论（最终结论）"), default=False)
    document = models.OneToOneField("core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("鉴定结论书"))
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("取代的结论"))
    delivery_method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryMethod.choices, blank=True)
    tracking_number = models.CharField(_("邮寄单号"), max_length=40, blank=True)
    received_on = models.DateField(_("申请人收到日期"), null=True, blank=True,
                                   help_text=_("再次鉴定申请期限自此日起算（条例第二十六条：15日）"))
    concluded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    access = Scope(kind="appraisal_conclusion", staff=in_region(),
                   employer=permissions.via_application("application"),
                   individual=permissions.via_application("application"))

    class Meta:
        verbose_name = _("鉴定结论")
        verbose_name_plural = _("鉴定结论")
        ordering = ["-concluded_on", "-pk"]

    def __str__(self):
        return self.number


class PublishedConclusion(models.Model):
    """鉴定结论公示: one published line of a batch (as 潍坊 publishes them): the masked name (张*伟), the
    employer's name, the grade, for the regional period. Denormalised so the public page is one
    indexed query."""

    conclusion = models.OneToOneField(AppraisalConclusion, on_delete=models.PROTECT, related_name="publication")
    batch = models.ForeignKey(AppraisalBatch, on_delete=models.PROTECT, related_name="publications")
    region = models.CharField(_("统筹区"), max_length=6)
    masked_name = models.CharField(_("姓名（脱敏）"), max_length=20)
    employer_name = models.CharField(_("用人单位"), max_length=200)
    kind_label = models.CharField(_("鉴定类别"), max_length=40)
    result_label = models.CharField(_("鉴定结论"), max_length=100)
    published_on = models.DateField(_("公示日期"))
    visible_until = models.DateField(_("公示截止"))

    access = Scope(kind="appraisal_publication", staff=in_region())

    class Meta:
        verbose_name = _("鉴定结论公示")
        verbose_name_plural = _("鉴定结论公示")
        ordering = ["-published_on", "pk"]
        indexes = [models.Index(fields=["region", "visible_until", "published_on"]),
                   models.Index(fields=["visible_until", "published_on"])]

    def __str__(self):
        return f"{self.masked_name} {self.result_label}"


class PublicationObjection(models.Model):
    """公示异议: an objection to a published conclusion, recorded by staff with who raised it."""

    publication = models.ForeignKey(PublishedConclusion, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.CharField(_("异议人"), max_length=100)
    contact = EncryptedTextField(_("联系方式"), blank=True)
    text = EncryptedTextField(_("异议内容"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(_("处理结果"), max_length=500, blank=True)

    access = Scope(kind="appraisal_publication", staff=in_region("publication__region"))

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.publication_id} {self.raised_by}"


class AppraisalMessage(models.Model):
    """申请人与经办人员的留言 inside the application (潍坊: 实时互动)."""

    application = models.ForeignKey(AppraisalApplication, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(_("经办人员发出"), default=False)
    text = EncryptedTextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    access = Scope(kind="appraisal_application", staff=permissions.via_application("application"),
                   employer=permissions.via_application("application"),
                   individual=permissions.via_application("application"))

    class Meta:
        verbose_name = _("鉴定留言")
        verbose_name_plural = _("鉴定留言")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.created_at:%Y-%m-%d %H:%M}"


class AppraisalEvent(AppendOnlyEvent):
    """鉴定时间线: append-only; what the applicant sees as progress."""

    application = models.ForeignKey(AppraisalApplication, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("事件"), max_length=48)
    status = models.CharField(_("办理后状态"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("鉴定事件")
        verbose_name_plural = _("鉴定事件")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.event_type}"

