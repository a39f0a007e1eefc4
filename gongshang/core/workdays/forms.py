"""Forms of the holiday calendar page."""

from django import forms

from .rules import MAX_LENGTH, UNIT_LABELS
from .services import MAX_YEAR, MIN_YEAR

DAY_KIND_CHOICES = [("holiday", "休息日（放假）"), ("workday", "工作日（调休上班）")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OverrideForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput(),
                           error_messages={"required": "请选择日期", "invalid": "日期格式应为 YYYY-MM-DD"})
    kind = forms.ChoiceField(label="当天为", choices=DAY_KIND_CHOICES,
                             error_messages={"required": "请选择工作日或休息日"})
    name = forms.CharField(label="名称", max_length=50, required=False,
                           help_text="例如：春节、国庆节调休上班",
                           error_messages={"max_length": "名称不能超过 50 个字"})

    @property
    def is_workday(self) -> bool:
        return self.cleaned_data["kind"] == "workday"


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=MIN_YEAR, max_value=MAX_YEAR,
                              error_messages={"required": "请填写年份", "invalid": "年份应为数字",
                                              "min_value": f"年份不能早于 {MIN_YEAR}",
                                              "max_value": f"年份不能晚于 {MAX_YEAR}"})
    complete = forms.BooleanField(label="全年节假日安排已全部录入", required=False,
                                  help_text="勾选后，该年度未调整的日期：法定节假日休息，其余按周一至周五上班计算，"
                                            "不再推定补假，结果不再标为暂定")
    source = forms.CharField(label="依据", max_length=200, required=False,
                             help_text="例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
                             error_messages={"max_length": "依据不能超过 200 个字"})


class TryForm(forms.Form):
    """试算: what due date would the engine give?"""

    start = forms.DateField(label="起算日期（事件发生日）", widget=DateInput(),
                            error_messages={"required": "请选择起算日期", "invalid": "日期格式应为 YYYY-MM-DD"})
    length = forms.IntegerField(label="期限天数", min_value=0, max_value=MAX_LENGTH,
                                error_messages={"required": "请填写期限天数",
                                                "invalid": f"期限天数应为 0 到 {MAX_LENGTH} 之间的整数",
                                                "min_value": f"期限天数应为 0 到 {MAX_LENGTH} 之间的整数",
                                                "max_value": f"期限天数应为 0 到 {MAX_LENGTH} 之间的整数"})
    unit = forms.ChoiceField(label="单位", choices=list(UNIT_LABELS.items()), initial="natural",
                             error_messages={"required": "请选择单位", "invalid_choice": "请选择自然日或工作日"})
