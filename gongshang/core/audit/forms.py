from django import forms
from django.utils.translation import gettext_lazy as _


class _DateRangeForm(forms.Form):
    actor = forms.CharField(label=_("操作人用户名"), required=False, max_length=150)
    date_from = forms.DateField(label=_("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    target_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    target_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def filters(self) -> dict:
        """Valid filters only: a bad field is reported on the page and ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {key: value for key, value in getattr(self, "cleaned_data", {}).items() if value}
        if self.non_field_errors():  # an inverted date range: ignore the dates
            data.pop("date_from", None)
            data.pop("date_to", None)
        return data


class AuditFilterForm(_DateRangeForm):
    event_type = forms.CharField(label=_("事件类型"), required=False, max_length=64,
                                 widget=forms.TextInput(attrs={"list": "audit-event-types"}),
                                 help_text=_("如 auth.login；以“.”结尾按前缀匹配，如 auth."))
    field_order = ["event_type", "actor", "date_from", "date_to", "target_type", "target_id"]


class PiiAccessFilterForm(_DateRangeForm):
    field = forms.CharField(label=_("字段"), required=False, max_length=64)
