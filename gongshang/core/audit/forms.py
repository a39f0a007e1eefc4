from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# The platform has no records outside this range; far-off dates would overflow datetime maths.
MIN_FILTER_DATE, MAX_FILTER_DATE = date(2000, 1, 1), date(2100, 12, 31)
DATE_RANGE_ERROR = _("日期应在 2000 年至 2100 年之间")


class BoundedDateField(forms.DateField):
    """A filter date between 2000-01-01 and 2100-12-31, with one Chinese message either side."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date", "min": MIN_FILTER_DATE.isoformat(),
                                                           "max": MAX_FILTER_DATE.isoformat()}))
        kwargs.setdefault("validators", [MinValueValidator(MIN_FILTER_DATE, message=DATE_RANGE_ERROR),
                                         MaxValueValidator(MAX_FILTER_DATE, message=DATE_RANGE_ERROR)])
        kwargs.setdefault("error_messages", {"invalid": _("日期格式应为 YYYY-MM-DD")})
        super().__init__(**kwargs)


class _DateRangeForm(forms.Form):
    actor = forms.CharField(label=_("操作人用户名"), required=False, max_length=150)
    date_from = BoundedDateField(label=_("起始日期"), required=False)
    date_to = BoundedDateField(label=_("截止日期"), required=False)
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
