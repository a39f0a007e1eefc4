"""Forms of the batch planner, exam day, the expert pool and the expert's opinion (limits as the API)."""

from django import forms

from ..choices import ConflictKind, SelfCareLevel, VisitMode
from ..rules.categories import CATEGORIES, LABELS
from ..services.experts import TITLES

DATE = forms.DateInput(attrs={"type": "date"})


class BatchForm(forms.Form):
    exam_on = forms.DateField(label="鉴定日期", widget=DATE)
    exam_time = forms.CharField(label="报到时间", max_length=50, initial="08:30")
    site = forms.ModelChoiceField(label="鉴定场所", queryset=None, empty_label=None)
    capacity = forms.IntegerField(label="容量（人）", min_value=1, max_value=10000)
    cutoff_on = forms.DateField(label="截止编入日期（不填按地区设置）", required=False, widget=DATE)
    bring_note = forms.CharField(label="需携带的材料（不填用默认）", max_length=500, required=False)

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class CheckInForm(forms.Form):
    photo = forms.ImageField(label="现场照片")
    verified = forms.TypedChoiceField(label="人证核验", choices=[("1", "一致"), ("0", "不一致")], coerce=lambda v: v == "1",
                                      widget=forms.RadioSelect)
    note = forms.CharField(label="核验说明", max_length=300, required=False)


GRADES = [("", "—")] + [(str(g), f"{g} 级") for g in range(1, 11)] + [("0", "未达级")]


class ProposalForm(forms.Form):
    grade = forms.TypedChoiceField(label="建议伤残等级", choices=GRADES, coerce=int, empty_value=None, required=False)
    self_care = forms.ChoiceField(label="生活自理障碍", choices=[("", "无")] + list(SelfCareLevel.choices),
                                  required=False)
    text = forms.CharField(label="专家组意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(ProposalForm):
    standard_items = forms.CharField(label="依据的标准条款（以逗号分隔，如 5.8.2.1）", max_length=400, required=False)
    text = forms.CharField(label="鉴定意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, required=False)


class RecordingForm(forms.Form):
    file = forms.FileField(label="录音录像文件")


class VisitForm(forms.Form):
    mode = forms.ChoiceField(label="方式", choices=VisitMode.choices)
    scheduled_at = forms.DateTimeField(label="预约时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    address = forms.CharField(label="上门地址", max_length=300, required=False)
    batch = forms.ModelChoiceField(label="编入批次（专家组由该批次抽取）", queryset=None,
                                   error_messages={"required": "请选择编入的计划中批次：专家组随该批次抽取",
                                                   "invalid_choice": "只能编入本统筹区计划中的批次"})

    def __init__(self, *args, batches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches
        self.fields["batch"].label_from_instance = lambda b: f"{b.number}（{b.exam_on:%Y-%m-%d}）"


class ExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    categories = forms.MultipleChoiceField(label="可鉴定门类", choices=[(c, LABELS[c]) for c in CATEGORIES],
                                           widget=forms.CheckboxSelectMultiple)
    title = forms.ChoiceField(label="职称", choices=[(t, t) for t in TITLES])
    workplace = forms.CharField(label="工作单位（医疗机构）", max_length=200)
    employer_uscc = forms.CharField(label="工作单位统一社会信用代码（参保单位，用于同单位回避；可不填）", max_length=18,
                                    required=False)
    mobile = forms.CharField(label="手机号码", max_length=20, required=False)
    available = forms.BooleanField(label="可参加抽取", required=False, initial=True)
    unavailable_until = forms.DateField(label="暂停至（可不填）", required=False, widget=DATE)


class ConflictForm(forms.Form):
    id_number = forms.CharField(label="需回避的工伤职工身份证号", max_length=18)
    kind = forms.ChoiceField(label="回避事由", choices=ConflictKind.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label="登录用户名", max_length=40)
    mobile = forms.CharField(label="专家手机号码（接收激活链接）", max_length=20, required=False)
