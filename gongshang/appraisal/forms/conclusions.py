"""Page forms of 鉴定结论, 送达, 公示异议 and 省级结论."""

from django import forms

from ..choices import DeliveryMethod
from ..rules import codes
from ..rules.conclusions import MAX_LEAVE_EXTENSION_MONTHS

GRADE_CHOICES = [("", "请选择")] + [(str(g), f"{g} 级") for g in range(1, 11)] + [("0", "未达级")]
SELF_CARE_CHOICES = [("", "无生活自理障碍")] + list(codes.SELF_CARE_LEVELS.items())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("；", "\n").splitlines() if line.strip()]


class GradingForm(forms.Form):
    grade = forms.TypedChoiceField(label="伤残等级", choices=GRADE_CHOICES, coerce=int, empty_value=None)
    self_care = forms.ChoiceField(label="生活自理障碍程度", choices=SELF_CARE_CHOICES, required=False)
    standard_items = forms.CharField(label="依据的 GB/T 16180-2014 条款（每行一条）", required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    rule = forms.CharField(label="晋级原则（多处伤残时）", required=False, max_length=300)
    reason = forms.CharField(label="与专家组意见不一致的理由", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {"grade": d["grade"], "self_care": d["self_care"] or "", "reason": d["reason"],
                "basis": {"standard_items": _lines(d["standard_items"]), "rule": d["rule"]}}


class ConfirmationForm(forms.Form):
    confirmed = forms.TypedChoiceField(label="确认结论", choices=[("yes", "确认成立"), ("no", "不予确认")],
                                       coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    leave_extension_months = forms.IntegerField(label="停工留薪期延长（月）", required=False, min_value=1,
                                                max_value=MAX_LEAVE_EXTENSION_MONTHS)
    confirmation_detail = forms.CharField(label="确认内容（辅助器具、康复项目等）", required=False, max_length=500)

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if kind != codes.LEAVE_EXTENSION:
            del self.fields["leave_extension_months"]
        if kind not in (codes.DEVICE, codes.REHABILITATION):
            del self.fields["confirmation_detail"]

    def data_for_service(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value is not None}


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=DeliveryMethod.choices)
    tracking_number = forms.CharField(label="邮寄单号（邮寄送达必填）", required=False, max_length=40)


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(label="异议人", max_length=100)
    contact = forms.CharField(label="联系方式", required=False, max_length=100)
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ProvincialForm(forms.Form):
    number = forms.CharField(label="省级结论书文号", max_length=40)
    concluded_on = forms.DateField(label="省级结论日期", widget=forms.DateInput(attrs={"type": "date"}))
    grade = forms.TypedChoiceField(label="伤残等级", choices=GRADE_CHOICES, coerce=int, empty_value=None)
    self_care = forms.ChoiceField(label="生活自理障碍程度", choices=SELF_CARE_CHOICES, required=False)
    standard_items = forms.CharField(label="依据条款（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="省级结论书（PDF 或图片）")

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {"number": d["number"], "concluded_on": d["concluded_on"], "grade": d["grade"],
                "self_care": d["self_care"] or "", "standard_items": _lines(d["standard_items"])}


class PublicSearchForm(forms.Form):
    region = forms.CharField(label="统筹区代码", required=False, max_length=6)
    batch = forms.CharField(label="批次号", required=False, max_length=20)
