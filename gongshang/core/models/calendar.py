from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    """节假日调整: a day whose kind an administrator has set (holiday, or 调休 make-up workday).

    Consulted before the chinese-calendar package, so it both corrects the package and covers
    years the package does not know yet (it has no data for 2027).
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如：春节、国庆节调休上班"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'工作日' if self.is_workday else '休息日'} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement (国务院办公厅通知) has been fully entered by hand.

    For such a year, days not in HolidayOverride are ordinary weekdays/weekends and results
    are final; for an unknown year that is not complete, results are marked provisional.
    """

    year = models.PositiveIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("全年安排已录入"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("例如：国办发明电〔2026〕X号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
