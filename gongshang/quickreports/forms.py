"""Page forms. They only shape input; every rule is checked by the services."""

from django import forms
from django.utils import timezone

from .choices import ReportFlag, ReportStatus

BODY_PARTS = ["", "头部", "眼部", "颈部", "胸背部", "腹部", "上肢", "手部", "下肢", "足部", "多处"]
INJURY_TYPES = ["", "挫伤", "割伤", "骨折", "烧烫伤", "扭伤", "挤压伤", "触电", "中毒", "其他"]
MAX_PERSON_ROWS = 5


def _choices(values):
    return [(v, v or "（可不选）") for v in values]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ReportForm(forms.Form):
    accident_at = forms.DateTimeField(label="工伤发生时间", widget=LocalDateTimeInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                      help_text="默认为当前时间，可在 48 小时内向前修改")
    address = forms.CharField(label="工伤实际发生地", max_length=300, required=False,
                              widget=forms.TextInput(attrs={"placeholder": "正在获取定位……可直接填写或修改"}),
                              help_text="未获取到定位时必须填写")
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)
    accuracy_m = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    description = forms.CharField(label="事故经过（简要）", max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 3, "placeholder": "例如：搬运钢材时被砸伤左脚"}))
    reporter_mobile = forms.CharField(label="快报人手机号", max_length=20, required=False,
                                      help_text="接收快报唯一标志码")
    employer_uscc = forms.CharField(label="受伤人员所在单位统一社会信用代码", max_length=18, required=False,
                                    help_text="知道的话请填写，便于关联参保单位")

    def __init__(self, *args, need_mobile=False, kind="self", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("accident_at", timezone.localtime().replace(second=0, microsecond=0))
        if not need_mobile:
            del self.fields["reporter_mobile"]
        if kind != "other":
            del self.fields["employer_uscc"]


class PersonForm(forms.Form):
    name = forms.CharField(label="受伤人员姓名", max_length=50, required=False)
    id_number = forms.CharField(label="身份证号", max_length=30, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    mobile = forms.CharField(label="手机号", max_length=20, required=False,
                             widget=forms.TextInput(attrs={"type": "tel"}))
    body_part = forms.ChoiceField(label="受伤部位", choices=_choices(BODY_PARTS), required=False)
    injury_type = forms.ChoiceField(label="伤害类型", choices=_choices(INJURY_TYPES), required=False)

    def has_data(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(k) for k in ("name", "id_number", "mobile"))


class SelfInjuryForm(forms.Form):
    body_part = forms.ChoiceField(label="受伤部位", choices=_choices(BODY_PARTS), required=False)
    injury_type = forms.ChoiceField(label="伤害类型", choices=_choices(INJURY_TYPES), required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label="快报唯一标志码", max_length=30,
                           widget=forms.TextInput(attrs={"placeholder": "XXXX-XXXX-XXXX-X", "autocomplete": "off",
                                                         "autocapitalize": "characters"}))
    sms_code = forms.CharField(label="短信验证码", max_length=6, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                               help_text="非快报人本人登录时，需要快报人手机收到的验证码")


class SupplementForm(forms.Form):
    accident_at = forms.DateTimeField(label="工伤发生时间", widget=LocalDateTimeInput(), required=False,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                      help_text="只能在快报提交前 48 小时之内")
    address = forms.CharField(label="工伤实际发生地", max_length=300, required=False)
    note = forms.CharField(label="补充说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + ReportStatus.choices)
    flag = forms.ChoiceField(label="标记", required=False, choices=[("", "全部")] + ReportFlag.choices)
    unread = forms.BooleanField(label="只看未读", required=False)
    q = forms.CharField(label="案件编号", required=False, max_length=32)


class MessageForm(forms.Form):
    text = forms.CharField(label="给快报人的短信留言", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    reason = forms.CharField(label="无效关闭原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
