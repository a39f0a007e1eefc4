"""异地就医备案 (工伤保险省内异地就医直接结算)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region, of_person

from ..choices import RemoteReason, RemoteStatus
from ..rules.workflow import REMOTE_WORKFLOW

USER = settings.AUTH_USER_MODEL


class RemoteRegistration(models.Model):
    """One case's registration to be treated in another 统筹区 (`region` is the case's own, the fund
    that pays; `treatment_region` where the worker is treated): valid `remote_valid_months` from the
    start; changeable or cancellable only after the regional lock. 待遇 follow the place of
    treatment; rehabilitation items and the device catalogue follow the province."""

    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="remote_registrations",
                             verbose_name=_("工伤案件"))
    region = models.CharField(_("参保统筹区"), max_length=6, db_index=True)
    treatment_region = models.CharField(_("就医地统筹区"), max_length=6)
    reason = models.CharField(_("备案类型"), max_length=24, choices=RemoteReason.choices)
    start_date = models.DateField(_("开始日期"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=16, choices=RemoteStatus.choices, default=RemoteStatus.ACTIVE,
                              db_index=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by", verbose_name=_("变更前备案"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理人"))
    created_at = models.DateTimeField(_("备案时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("变更或取消时间"), null=True, blank=True)

    access = Scope(kind="remote_registration", staff=in_region(), individual=of_person("case__person"))
    workflow = REMOTE_WORKFLOW

    class Meta:
        verbose_name = _("异地就医备案")
        verbose_name_plural = _("异地就医备案")
        ordering = ["-start_date", "-pk"]

    def __str__(self):
        return f"{self.case} → {self.treatment_region}"

    def is_active_on(self, on) -> bool:
        """The one rule of "active" (eligibility, settlement, the pages): status ACTIVE and
        start_date ≤ on ≤ valid_until; the selector active_registration filters the same way."""
        from ..rules.remote import is_active_on

        return is_active_on(status_active=self.status == RemoteStatus.ACTIVE, start=self.start_date,
                            until=self.valid_until, on=on)
