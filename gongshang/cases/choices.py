from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """Where an injury case stands. Later stages (认定, 鉴定, 待遇) add their own statuses here."""

    REPORTED = "reported", _("已快报")
    OPENED = "opened", _("已立案")
    CLOSED = "closed", _("已关闭")


class CaseSource(models.TextChoices):
    QUICK_REPORT = "quick_report", _("工伤快报")
    APPLICATION = "application", _("认定申请")


class CaseEventType(models.TextChoices):
    CREATED = "case.created", _("建立案件")
    STATUS_CHANGED = "case.status_changed", _("状态变更")
    INJURED_CORRECTED = "case.injured_corrected", _("更正受伤人员信息")
    ACCIDENT_CORRECTED = "case.accident_corrected", _("更正事故时间地点")
    GREEN_CHANNEL = "case.green_channel", _("开通绿色通道")
    NOTE = "case.note", _("补充说明")
    DOCUMENT_ADDED = "case.document_added", _("材料入库")
    DOCUMENT_RETIRED = "case.document_retired", _("移除材料")
