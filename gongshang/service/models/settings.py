"""服务地区参数 and the figure the prevention cap is taken from (regional data with validity)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region


def default_payment_bands() -> list[dict]:
    """The platform's regional default of the prevention payment bands: the evaluation score decides
    the share of the contract amount paid; below the lowest band nothing is paid."""
    return [{"min_score": "90", "percent": "100"}, {"min_score": "80", "percent": "90"},
            {"min_score": "70", "percent": "80"}, {"min_score": "60", "percent": "60"}]


class ServiceSetting(models.Model):
    """服务地区参数 with a validity period: how many working days each ticket category has, how long
    a bad rating's follow-up may take, and the prevention cap (工伤预防费使用管理暂行办法 第五条: at most
    3% of the previous year's 工伤保险基金 contribution income, unless the province sets otherwise)."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    consultation_days = models.PositiveSmallIntegerField(_("政策咨询答复时限（工作日）"), default=2)
    complaint_days = models.PositiveSmallIntegerField(_("投诉办结时限（工作日）"), default=5)
    suggestion_days = models.PositiveSmallIntegerField(_("意见建议答复时限（工作日）"), default=5)
    accident_filing_days = models.PositiveSmallIntegerField(_("事故备案转办时限（工作日）"), default=1)
    help_days = models.PositiveSmallIntegerField(_("求助答复时限（工作日）"), default=2)
    rating_follow_up_days = models.PositiveSmallIntegerField(_("差评整改时限（工作日）"), default=5)
    prevention_cap_percent = models.DecimalField(
        _("工伤预防费上限（占上年度基金征缴收入的百分比）"), max_digits=5, decimal_places=2, default=Decimal("3.00"))
    prevention_payment_bands = models.JSONField(
        _("工伤预防项目评估得分与拨付比例"), default=default_payment_bands, blank=True,
        help_text=_("按得分从高到低：得分不低于某值时拨付合同金额的百分比；低于最低一档不予拨付"))
    source = models.CharField(_("依据"), max_length=200, blank=True)

    access = Scope(kind="service_setting", staff=in_region())

    class Meta:
        verbose_name = _("服务地区参数")
        verbose_name_plural = _("服务地区参数")
        ordering = ["region", "-valid_from"]

    def __str__(self):
        return f"{self.region} {self.valid_from}"


class FundIncome(models.Model):
    """上年度工伤保险基金征缴收入 of a 统筹区 (the base of the prevention cap), entered with its source."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    contribution_income = models.DecimalField(_("工伤保险基金征缴收入（元）"), max_digits=16, decimal_places=2)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)

    access = Scope(kind="service_setting", staff=in_region())

    class Meta:
        verbose_name = _("工伤保险基金征缴收入")
        verbose_name_plural = _("工伤保险基金征缴收入")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="uniq_fund_income_year")]
        ordering = ["region", "-year"]

    def __str__(self):
        return f"{self.region} {self.year}"
