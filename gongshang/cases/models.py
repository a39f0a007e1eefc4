from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_employer, of_person
from gongshang.core.models.timeline import AppendOnlyEvent
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from .choices import CaseEventType, CaseSource, CaseStatus
from .rules import GREEN_CHANNEL_DECISION_WORKDAYS, WORKFLOW


class Accident(models.Model):
    """事故: one event at one time and place; it may injure several people (one case each)."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="accidents", verbose_name=_("用人单位"))
    occurred_at = models.DateTimeField(_("事故发生时间"))
    address = models.CharField(_("事故发生地点"), max_length=300, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    description = models.TextField(_("事故经过"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事故")
        verbose_name_plural = _("事故")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.address}"


class CaseCounter(models.Model):
    """案件编号计数器: the last sequence used per (统筹区, year); locked while numbering."""

    region = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="uniq_case_counter")]

    def __str__(self):
        return f"{self.region}-{self.year}: {self.last_value}"


class InjuryCase(models.Model):
    """工伤案件: the hub of the chain — one injured person, one employer, one accident.

    The injured person's identity is kept here as reported (it may be incomplete at the scene)
    and linked to the registry person when the ID number matches.
    """

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    accident = models.ForeignKey(Accident, on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("事故"))
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="injury_cases", verbose_name=_("用人单位"))
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="injury_cases", verbose_name=_("参保人员"))
    injured_name = models.CharField(_("受伤人员姓名"), max_length=50, blank=True)
    injured_id_number = EncryptedTextField(_("受伤人员身份证号"), blank=True)
    injured_id_number_index = BlindIndexField(source="injured_id_number")
    injured_mobile = EncryptedTextField(_("受伤人员手机号"), blank=True)
    injured_mobile_index = BlindIndexField(source="injured_mobile")
    body_part = models.CharField(_("受伤部位"), max_length=50, blank=True)
    injury_type = models.CharField(_("伤害类型"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=CaseSource.choices)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.REPORTED, db_index=True)
    green_channel = models.BooleanField(_("绿色通道"), default=False)
    green_channel_at = models.DateTimeField(_("开通绿色通道时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    access = Scope(kind="case", staff=in_region("region"), employer=of_employer("employer"),
                   individual=of_person("person"))
    workflow = WORKFLOW

    class Meta:
        verbose_name = _("工伤案件")
        verbose_name_plural = _("工伤案件")
        ordering = ["-created_at"]

    def __str__(self):
        return self.number

    def append_timeline(self, *, actor, action, source, target, details):
        """The case timeline entry of a workflow step (core.workflow.transition calls it)."""
        if action == "green_channel":
            event_type, details = CaseEventType.GREEN_CHANNEL, {
                "decision_workdays": GREEN_CHANNEL_DECISION_WORKDAYS, **details}
        else:
            event_type, details = CaseEventType.STATUS_CHANGED, {"from": source, "to": target, **details}
        user = actor if getattr(actor, "pk", None) else None
        CaseEvent.objects.create(case=self, event_type=event_type, actor=user,
                                 actor_label=str(user)[:100] if user else "", details=details)


class CaseEvent(AppendOnlyEvent):
    """案件时间线: append-only — who did what to the case, when. Details may hold personal data
    (corrected names, ID numbers), so they are encrypted."""

    case = models.ForeignKey(InjuryCase, on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(_("事件"), max_length=40, choices=CaseEventType.choices)

    class Meta:
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_event_type_display()}"


from .models_vault import CaseDocument, DocumentSource  # noqa: E402,F401  (材料库, cases/models_vault.py)
