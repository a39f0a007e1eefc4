from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_employer
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import (
    AdjustmentMethod,
    AdjustmentStatus,
    BenefitType,
    ConclusionKind,
    EntitlementStatus,
    EventType,
    NursingLevel,
    Payer,
    PeriodKind,
    StopReason,
)
from ..permissions import SECOND_PERSON, not_the_maker, own_beneficiary
from ..rules.workflows import ADJUSTMENT_WORKFLOW, ENTITLEMENT_WORKFLOW

USER = settings.AUTH_USER_MODEL


class CaseConclusion(models.Model):
    """认定决定与鉴定结论登记: until the recognition and appraisal modules exist, staff record on the
    case the decided recognition and the appraisal conclusion (grade, 生活自理障碍 level) or the
    death, with the scanned document. Versioned: a re-appraisal adds a row that supersedes."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="benefit_conclusions",
                             verbose_name=_("工伤案件"))
    kind = models.CharField(_("类别"), max_length=16, choices=ConclusionKind.choices)
    recognition_number = models.CharField(_("认定决定书文号"), max_length=60)
    recognised_on = models.DateField(_("认定日期"))
    conclusion_number = models.CharField(_("鉴定结论书文号/死亡证明编号"), max_length=60)
    concluded_on = models.DateField(_("结论日期"))
    disability_grade = models.PositiveSmallIntegerField(_("伤残等级"), null=True, blank=True)
    nursing_level = models.CharField(_("生活自理障碍等级"), max_length=16, choices=NursingLevel.choices, blank=True)
    occupational_disease = models.BooleanField(_("职业病"), default=False)
    veteran_recurrence = models.BooleanField(_("旧伤复发（条例第十五条第一款第（三）项）"), default=False)
    recognition = models.ForeignKey("recognition.RecognitionApplication", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", verbose_name=_("工伤认定申请"))
    paper_recognition = models.BooleanField(_("纸质认定决定（系统中无认定申请）"), default=False)
    document = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("结论文书"))
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认定与鉴定结论")
        verbose_name_plural = _("认定与鉴定结论")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} {self.conclusion_number}"


class Entitlement(models.Model):
    """待遇核定: one benefit item owed to one beneficiary of a case, one-time or monthly from its
    start month, with the article, the formula and the parameters it was computed from. Created by
    one 待遇审核员, approved by another; suspension and stop are transitions."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="entitlements",
                             verbose_name=_("工伤案件"))
    conclusion = models.ForeignKey(CaseConclusion, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="entitlements", verbose_name=_("依据结论"))
    region = models.CharField(_("统筹区"), max_length=6)
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="entitlements", verbose_name=_("受领人（参保人员）"))
    beneficiary_name = models.CharField(_("受领人"), max_length=50)
    beneficiary_relation = models.CharField(_("与职工关系"), max_length=30, default="本人")
    beneficiary_id_number = EncryptedTextField(_("受领人身份证号"), blank=True)
    beneficiary_id_index = BlindIndexField(source="beneficiary_id_number")
    benefit_type = models.CharField(_("待遇项目"), max_length=40, choices=BenefitType.choices)
    period_kind = models.CharField(_("支付方式"), max_length=8, choices=PeriodKind.choices)
    payer = models.CharField(_("支付方"), max_length=8, choices=Payer.choices)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    own_wage = models.DecimalField(_("本人工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    pension_cap = models.DecimalField(
        _("供养亲属抚恤金合计上限（因工死亡职工生前的工资）"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("条例第三十九条第一款第（二）项：核定时所用的上限；待遇调整后按它再次核减"))
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("终止月份"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=EntitlementStatus.choices,
                              default=EntitlementStatus.PENDING)
    basis = models.TextField(_("依据"))
    formula = models.TextField(_("计算过程"))
    parameters_used = models.JSONField(_("使用的参数"), default=list, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = EncryptedTextField(_("银行账号"), blank=True)
    stop_reason = models.CharField(_("终止原因"), max_length=16, choices=StopReason.choices, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("复核人"))
    approved_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("核定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待遇核定")
        verbose_name_plural = _("待遇核定")
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["region", "status", "period_kind"], name="benefits_ent_due"),
            # 待遇列表 (selectors.entitlement_list): newest first, with or without a status.
            models.Index(fields=["region", "-created_at", "id"], name="benefits_ent_list"),
            models.Index(fields=["region", "status", "-created_at", "id"], name="benefits_ent_list_status"),
        ]

    # The employer pays 停工留薪期工资 and 一次性伤残就业补助金 itself: it sees its cases' items.
    access = Scope(kind="entitlement", staff=in_region("region"), employer=of_employer("case__employer"),
                   individual=own_beneficiary(), condition=not_the_maker("created_by_id", ("approve", "reject")))
    workflow = ENTITLEMENT_WORKFLOW
    EVENTS = {"approve": EventType.ENTITLEMENT_APPROVED, "reject": EventType.ENTITLEMENT_REJECTED,
              "suspend": EventType.ENTITLEMENT_SUSPENDED, "resume": EventType.ENTITLEMENT_RESUMED,
              "stop": EventType.ENTITLEMENT_STOPPED}

    def __str__(self):
        return f"{self.beneficiary_name} {self.get_benefit_type_display()} {self.amount}"

    @staticmethod
    def access_refusal(action: str) -> str:
        return SECOND_PERSON

    def append_timeline(self, *, actor, action, source, target, details) -> None:
        """The case's timeline tells the benefits step (a NOTE entry naming the benefits event)."""
        from gongshang.cases.choices import CaseEventType
        from gongshang.cases.services import case_event_append

        case_event_append(case=self.case, event_type=CaseEventType.NOTE, actor=actor, details={
            "benefits": str(self.EVENTS.get(action, action)), "entitlement": self.pk, "from": source, "to": target,
            **details})


class Adjustment(models.Model):
    """待遇调整: raise one monthly benefit type in a 统筹区 by a percentage or a fixed amount from a
    month; previewed, approved by a second reviewer, then applied to every affected entitlement."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    benefit_type = models.CharField(_("待遇项目"), max_length=40, choices=BenefitType.choices)
    method = models.CharField(_("调整方式"), max_length=8, choices=AdjustmentMethod.choices)
    value = models.DecimalField(_("比例（%）或金额（元）"), max_digits=10, decimal_places=2)
    effective_month = models.DateField(_("执行月份"))
    source = models.CharField(_("调整文件"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=AdjustmentStatus.choices,
                              default=AdjustmentStatus.PENDING)
    affected = models.PositiveIntegerField(_("影响人数"), default=0)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("复核人"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待遇调整")
        verbose_name_plural = _("待遇调整")
        ordering = ["-created_at", "-pk"]

    access = Scope(kind="adjustment", staff=in_region("region"),
                   condition=not_the_maker("created_by_id", ("approve", "reject")))
    workflow = ADJUSTMENT_WORKFLOW

    def __str__(self):
        return f"{self.get_benefit_type_display()} {self.effective_month:%Y-%m}"

    @staticmethod
    def access_refusal(action: str) -> str:
        return SECOND_PERSON


class EntitlementAmountChange(models.Model):
    """The history of a monthly amount: what it was before a change and from which month the new
    amount applies. Payroll for an earlier month uses the old amount."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="amount_changes")
    adjustment = models.ForeignKey(Adjustment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="changes")
    effective_month = models.DateField(_("执行月份"))
    old_amount = models.DecimalField(_("调整前"), max_digits=12, decimal_places=2)
    new_amount = models.DecimalField(_("调整后"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待遇金额变动")
        verbose_name_plural = _("待遇金额变动")
        indexes = [models.Index(fields=["entitlement", "effective_month"])]

    def __str__(self):
        return f"{self.entitlement_id} {self.effective_month:%Y-%m} {self.old_amount}→{self.new_amount}"
