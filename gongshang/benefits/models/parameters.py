from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope

from ..choices import ParameterKind, ParameterStatus
from ..permissions import PARAMETER_REFUSAL, own_region_and_national, parameter_condition
from ..rules.workflows import PARAMETER_WORKFLOW


class Parameter(models.Model):
    """待遇参数: one value of a regional (统筹区) or national parameter in force over a period.

    Rows are never edited in place: a new year's value closes the open period of the previous one
    (its valid_to is set); a mistake is corrected by a new row that supersedes the old one, so the
    history says which value any past calculation used. National values (region "000000") carry
    the statistical year they describe (`data_year`); the death subsidy uses the previous year's.
    Month tables by grade are kept in `table` ({"5": 22, …}).
    """

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    kind = models.CharField(_("参数"), max_length=40, choices=ParameterKind.choices)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2, null=True, blank=True)
    table = models.JSONField(_("按伤残等级的月数"), default=dict, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    data_year = models.PositiveSmallIntegerField(_("统计年度"), null=True, blank=True)
    source = models.CharField(_("依据文件"), max_length=300)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=ParameterStatus.choices,
                              default=ParameterStatus.ACTIVE)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="corrections", verbose_name=_("更正的记录"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待遇参数")
        verbose_name_plural = _("待遇参数")
        ordering = ["region", "kind", "-valid_from", "-pk"]
        indexes = [models.Index(fields=["region", "kind", "status", "valid_from"])]

    # Staff reach their own 统筹区's figures and the national ones; who may add or correct a row
    # depends on its 统筹区 (national figures: the home region's 系统管理员). The public calculator
    # reads figures through selectors.parameter_in_force, which is not actor-scoped.
    access = Scope(kind="parameter", staff=own_region_and_national(), condition=parameter_condition)
    workflow = PARAMETER_WORKFLOW

    def __str__(self):
        return f"{self.region} {self.get_kind_display()} {self.valid_from}"

    @staticmethod
    def access_refusal(action: str) -> str:
        return PARAMETER_REFUSAL

    @property
    def display_value(self) -> str:
        if self.table:
            return "、".join(f"{k}级 {v} 个月" for k, v in sorted(self.table.items(), key=lambda kv: int(kv[0])))
        return f"{self.value:,.2f}" if self.value is not None else ""
