"""就诊与费用: an agreement institution's stay or visit of an injured worker, its bill lines, the
flags the audit rules raise, and the staff review (条例 第三十条: the fund pays what passes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_person, of_user

from ..choices import EncounterKind, EncounterStatus, LineCategory
from ..rules.workflow import ENCOUNTER_WORKFLOW

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}


class Encounter(models.Model):
    """一次就诊（住院、门诊或康复）: billed by one institution for one recognised case. `region` is
    the case's 统筹区 (the fund that pays); `treatment_region` where it happened (异地就医 by the
    registration). Settlement totals are written by the settle service, never by hand."""

    institution = models.ForeignKey("medical.AgreementInstitution", on_delete=models.PROTECT,
                                    related_name="encounters", verbose_name=_("协议机构"))
    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="encounters",
                             verbose_name=_("工伤案件"))
    region = models.CharField(_("参保统筹区"), max_length=6, db_index=True)
    treatment_region = models.CharField(_("就医地统筹区"), max_length=6, blank=True)
    remote_registration = models.ForeignKey("medical.RemoteRegistration", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="encounters",
                                            verbose_name=_("异地就医备案"))
    kind = models.CharField(_("就诊类别"), max_length=16, choices=EncounterKind.choices)
    admitted_at = models.DateTimeField(_("入院（就诊）时间"))
    discharged_at = models.DateTimeField(_("出院时间"), null=True, blank=True)
    diagnoses = models.JSONField(_("诊断"), default=list)
    main_diagnosis_code = models.CharField(_("主诊断编码"), max_length=20, blank=True, db_index=True)
    department = models.CharField(_("科室"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=EncounterStatus.choices,
                              default=EncounterStatus.OPEN, db_index=True)
    total = models.DecimalField(_("费用总额"), default=0, **MONEY)
    fund_amount = models.DecimalField(_("基金支付"), default=0, **MONEY)
    self_amount = models.DecimalField(_("不予支付（个人或其他渠道）"), default=0, **MONEY)
    deducted_amount = models.DecimalField(_("审核扣减"), default=0, **MONEY)
    flagged = models.BooleanField(_("有审核提示"), default=False, db_index=True)
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    statement = models.ForeignKey("medical.InstitutionStatement", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="encounters", verbose_name=_("月度结算单"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    access = Scope(kind="medical_encounter", staff=in_region(), institution=of_user("institution__api_clients"),
                   individual=of_person("case__person"), distinct=True)
    workflow = ENCOUNTER_WORKFLOW

    class Meta:
        verbose_name = _("就诊记录")
        verbose_name_plural = _("就诊记录")
        ordering = ["-admitted_at", "-pk"]
        indexes = [models.Index(fields=["region", "status", "settled_at"]),
                   models.Index(fields=["case", "main_diagnosis_code", "discharged_at"])]

    def __str__(self):
        return f"{self.institution} {self.admitted_at:%Y-%m-%d}"


class BillLine(models.Model):
    """费用明细行: replaced by `line_no` while the encounter is open; the settle service writes the
    fund and self amounts (amount = fund + self)."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField(_("明细序号"))
    catalogue_code = models.CharField(_("医保编码"), max_length=50, db_index=True)
    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(_("费用类别"), max_length=16, choices=LineCategory.choices)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("单价"), max_digits=14, decimal_places=4)
    amount = models.DecimalField(_("金额"), **MONEY)
    occurred_at = models.DateTimeField(_("发生时间"))
    order_no = models.CharField(_("医嘱号"), max_length=50, blank=True)
    ordered_code = models.CharField(_("医嘱项目编码"), max_length=50, blank=True)
    fund_amount = models.DecimalField(_("基金支付"), default=0, **MONEY)
    self_amount = models.DecimalField(_("不予支付"), default=0, **MONEY)

    class Meta:
        verbose_name = _("费用明细")
        verbose_name_plural = _("费用明细")
        ordering = ["encounter", "line_no"]
        constraints = [models.UniqueConstraint(fields=["encounter", "line_no"], name="uniq_bill_line_no")]

    def __str__(self):
        return str(f"{self.line_no} {self.name}")


class LineFlag(models.Model):
    """审核提示: one rule's finding on one line (or on the whole encounter, line empty), with the
    amount it withholds and the reason in Chinese. `source`: the settle service or the nightly audit."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="flags")
    line = models.ForeignKey(BillLine, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    rule = models.CharField(_("规则"), max_length=40, db_index=True)
    reason = models.CharField(_("原因"), max_length=500)
    amount = models.DecimalField(_("不予支付金额"), **MONEY)
    source = models.CharField(_("来源"), max_length=16, default="settle")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核提示")
        verbose_name_plural = _("审核提示")
        ordering = ["encounter", "line", "rule"]

    def __str__(self):
        return str(f"{self.rule} {self.amount}")


class Deduction(models.Model):
    """审核扣减 or 追回: an amount the fund withholds from an institution with its reason; taken by
    the month's statement exactly once (`statement`). A recovery of money already paid is a
    deduction with no encounter (an on-site audit finding, say)."""

    institution = models.ForeignKey("medical.AgreementInstitution", on_delete=models.PROTECT,
                                    related_name="deductions", verbose_name=_("协议机构"))
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    encounter = models.ForeignKey(Encounter, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="deductions", verbose_name=_("就诊记录"))
    visit = models.ForeignKey("medical.AuditVisit", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="deductions", verbose_name=_("现场稽核"))
    amount = models.DecimalField(_("金额"), **MONEY)
    reason = models.CharField(_("原因"), max_length=500)
    statement = models.ForeignKey("medical.InstitutionStatement", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="deductions", verbose_name=_("月度结算单"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    access = Scope(kind="medical_statement", staff=in_region(), institution=of_user("institution__api_clients"),
                   distinct=True)

    class Meta:
        verbose_name = _("扣减与追回")
        verbose_name_plural = _("扣减与追回")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(f"{self.institution} {self.amount}")
