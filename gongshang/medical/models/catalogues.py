"""目录: drugs, treatment items, materials, 住院服务标准, devices and rehabilitation items, each row
valid for a period; imported from the agency's xlsx/CSV files (national 医保 codes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, everything, in_region

from ..choices import CatalogueKind, ImportStatus

USER = settings.AUTH_USER_MODEL


class CatalogueImport(models.Model):
    """One imported catalogue file: all its rows or none; row errors kept for the report."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    kind = models.CharField(_("目录类别"), max_length=16, choices=CatalogueKind.choices)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    accepted = models.PositiveIntegerField(_("导入行数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    access = Scope(kind="medical_catalogue", staff=in_region())

    class Meta:
        verbose_name = _("目录导入")
        verbose_name_plural = _("目录导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(self.file_name)


class CatalogueItem(models.Model):
    """A catalogue entry. `region` empty: the national list (药品目录); a 统筹区's row carries its
    price cap. 工伤 makes no 甲/乙 distinction; `work_injury_only` marks 工伤-only drugs.
    `price_class` groups items whose prices are comparable (串换 check); `frequency_limit` is the
    most units allowed per `frequency_days` days; devices carry `service_life_months`."""

    region = models.CharField(_("统筹区（空为全国目录）"), max_length=6, blank=True, db_index=True)
    kind = models.CharField(_("目录类别"), max_length=16, choices=CatalogueKind.choices)
    code = models.CharField(_("医保编码"), max_length=50)
    name = models.CharField(_("名称"), max_length=200)
    specification = models.CharField(_("规格/剂型"), max_length=200, blank=True)
    unit = models.CharField(_("计价单位"), max_length=20, blank=True)
    price_cap = models.DecimalField(_("最高限价（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    price_class = models.CharField(_("价格类别"), max_length=50, blank=True)
    work_injury_only = models.BooleanField(_("工伤保险专用"), default=False)
    frequency_limit = models.DecimalField(_("限用数量"), max_digits=10, decimal_places=2, null=True, blank=True)
    frequency_days = models.PositiveSmallIntegerField(_("限用周期（日）"), default=1)
    service_life_months = models.PositiveSmallIntegerField(_("最低使用年限（月）"), null=True, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source_import = models.ForeignKey(CatalogueImport, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="items", verbose_name=_("导入批次"))

    access = Scope(kind="medical_catalogue", staff=everything(), institution=everything(),
                   individual=everything(), employer=everything())

    class Meta:
        verbose_name = _("目录条目")
        verbose_name_plural = _("目录条目")
        ordering = ["kind", "code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "code", "valid_from"],
                                               name="uniq_catalogue_item_version")]
        indexes = [models.Index(fields=["code", "valid_from"])]

    def __str__(self):
        return f"{self.code} {self.name}"
