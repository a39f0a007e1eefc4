from django import forms
from django.utils.translation import gettext_lazy as _

from gongshang.registry.validation import parse_month


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("身份证号或姓名"), max_length=50,
        help_text=_("只能查询本单位的参保人员；输入完整身份证号或姓名中的字"),
        widget=forms.TextInput(attrs={"id": "person-query", "autocomplete": "off"}),
    )


class MonthField(forms.CharField):
    """A month typed as 2026-01 (the browser's month picker) or 2026年1月."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value[:20])
        if month is None:
            raise forms.ValidationError(_("月份格式应为 2026-01（年-月），请重新选择"))
        return month


class ChangeReportForm(forms.Form):
    start_month = MonthField(label=_("起始月份"), widget=forms.TextInput(attrs={"id": "report-start", "type": "month"}))
    end_month = MonthField(label=_("截止月份"), widget=forms.TextInput(attrs={"id": "report-end", "type": "month"}))
