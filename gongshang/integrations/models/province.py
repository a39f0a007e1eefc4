"""省级交换: case packages (再次鉴定, 跨统筹区转移), transfers received, monthly statistics."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshang.accounts.access import Scope, in_region
from gongshang.core.pii.fields import BlindIndexField, EncryptedTextField

from ..choices import PackagePurpose, PackageStatus, TransferStatus
from ..rules.workflow import PACKAGE_WORKFLOW, TRANSFER_WORKFLOW

USER = settings.AUTH_USER_MODEL


class CasePackage(models.Model):
    """案卷包: one case file as a zip (manifest.json with each file's SHA-256, plus the files) sent
    to the province, for 再次鉴定 or for a transfer to another 统筹区 (the worker moves city and keeps
    their entitlements). The province's answer (conclusion or transfer receipt) comes back by batch."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    case = models.ForeignKey("cases.InjuryCase", on_delete=models.PROTECT, related_name="packages",
                             verbose_name=_("工伤案件"))
    purpose = models.CharField(_("用途"), max_length=16, choices=PackagePurpose.choices)
    target_region = models.CharField(_("转入统筹区"), max_length=6, blank=True)
    reference = models.CharField(_("报送编号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=PackageStatus.choices, default=PackageStatus.EXPORTED)
    batch = models.ForeignKey("integrations.ExchangeBatch", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("发送批次"))
    manifest = models.JSONField(_("清单"), default=dict)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("案卷包"))
    answer = models.JSONField(_("省级反馈"), default=dict, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    access = Scope(kind="case_package", staff=in_region())
    workflow = PACKAGE_WORKFLOW

    class Meta:
        verbose_name = _("案卷包")
        verbose_name_plural = _("案卷包")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.reference


class TransferIn(models.Model):
    """转入: a worker's entitlements transferred from another 统筹区 through the province, to be
    continued here from a month once a 待遇审核员 has checked them."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    batch = models.ForeignKey("integrations.ExchangeBatch", on_delete=models.PROTECT, related_name="transfers",
                              verbose_name=_("交换批次"))
    reference = models.CharField(_("转移编号"), max_length=40, unique=True)
    from_region = models.CharField(_("转出统筹区"), max_length=6)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = BlindIndexField(source="id_number")
    name = models.CharField(_("姓名"), max_length=50)
    person = models.ForeignKey("registry.InsuredPerson", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("参保人员"))
    case = models.ForeignKey("cases.InjuryCase", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("本地工伤案件"))
    payload = models.JSONField(_("转移内容"), default=dict)
    start_month = models.DateField(_("本地接续月份"))
    status = models.CharField(_("状态"), max_length=16, choices=TransferStatus.choices,
                              default=TransferStatus.RECEIVED)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    handled_at = models.DateTimeField(_("接续时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    access = Scope(kind="case_package", staff=in_region())
    workflow = TRANSFER_WORKFLOW

    class Meta:
        verbose_name = _("跨统筹区转入")
        verbose_name_plural = _("跨统筹区转入")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.reference


class StatisticsReport(models.Model):
    """月度统计报表: the month's figures (cases, decisions, appraisals, benefits, fund spend) as the
    province asks for them, as xlsx; generated again only as a new version."""

    region = models.CharField(_("统筹区"), max_length=6, db_index=True)
    month = models.DateField(_("统计月份"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    figures = models.JSONField(_("统计数据"), default=dict)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("报表"))
    batch = models.ForeignKey("integrations.ExchangeBatch", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("发送批次"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("生成人"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    access = Scope(kind="statistics_report", staff=in_region())

    class Meta:
        verbose_name = _("月度统计报表")
        verbose_name_plural = _("月度统计报表")
        ordering = ["-month", "-version"]
        constraints = [models.UniqueConstraint(fields=["region", "month", "version"], name="uniq_report_version")]

    def __str__(self):
        return f"{self.region} {self.month:%Y-%m} v{self.version}"
