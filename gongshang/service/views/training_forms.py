"""Forms of the 工伤预防培训 pages; the services validate again (the API calls them without forms)."""

from django import forms

from ..choices import CourseStatus, SessionStatus, VenueKind
from ..rules import training as rules

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PHONE = {"inputmode": "tel", "autocomplete": "tel"}


class FilterForm(forms.Form):
    """A list's GET filter: its own ids, so that a form on the same page never shares one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)


class TrainerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    specialty = forms.CharField(label="专业领域", max_length=100, help_text="如 危化品安全、建筑施工、职业病防治")
    organisation = forms.CharField(label="工作单位", max_length=100, required=False)
    title = forms.CharField(label="职称或资格", max_length=100, required=False, help_text="如 注册安全工程师")
    mobile = forms.CharField(label="手机号", max_length=20, required=False, widget=forms.TextInput(attrs=PHONE),
                             help_text="加密保存，列表中只显示前三位和后四位")


class TrainerFilterForm(FilterForm):
    q = forms.CharField(label="姓名、专业或单位", max_length=50, required=False)
    active = forms.ChoiceField(label="在库状态", required=False,
                               choices=[("", "全部"), ("1", "在库"), ("0", "已移出")])


class CourseForm(forms.Form):
    trainer = forms.ChoiceField(label="授课师资")
    title = forms.CharField(label="课程名称", max_length=100)
    outline = forms.CharField(label="课程大纲", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    hours = forms.DecimalField(label="学时", max_digits=4, decimal_places=1, min_value=0.5, max_value=100)

    def __init__(self, *args, trainers=(), **kwargs):
        kwargs.setdefault("auto_id", "course_%s")  # beside the trainer form on one page: no shared ids
        super().__init__(*args, **kwargs)
        self.fields["trainer"].choices = [("", "请选择")] + [(t.pk, f"{t.name}（{t.specialty}）") for t in trainers]


class CourseEditForm(forms.Form):
    title = forms.CharField(label="课程名称", max_length=100)
    outline = forms.CharField(label="课程大纲", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    hours = forms.DecimalField(label="学时", max_digits=4, decimal_places=1, min_value=0.5, max_value=100)


class CourseFilterForm(FilterForm):
    status = forms.ChoiceField(label="审核状态", required=False, choices=[("", "全部")] + CourseStatus.choices)


class CourseReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", widget=forms.RadioSelect,
                                 choices=[("approve", "审核通过"), ("reject", "不通过，退回修改")])
    note = forms.CharField(label="审核意见", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="不通过时必填：说明需要修改的内容")


class SessionForm(forms.Form):
    project = forms.ChoiceField(label="工伤预防项目", help_text="只列已立项或已签订合同的项目")
    course = forms.ChoiceField(label="课程", help_text="只列审核通过的课程")
    venue_kind = forms.ChoiceField(label="培训场所类别", choices=VenueKind.choices)
    venue = forms.CharField(label="培训地点", max_length=200)
    industry = forms.CharField(label="参训行业", max_length=100, required=False)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    expected_trainees = forms.IntegerField(label="计划人数", min_value=0, max_value=10000, initial=0)

    def __init__(self, *args, projects=(), courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "请选择")] + [(p.pk, p.title) for p in projects]
        self.fields["course"].choices = [("", "请选择")] + [(c.pk, f"{c.title}（{c.trainer.name}）") for c in courses]


class SessionFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + SessionStatus.choices)
    venue_kind = forms.ChoiceField(label="场所类别", required=False, choices=[("", "全部")] + VenueKind.choices)


class EvaluationForm(forms.Form):
    """评估表: one 0–10 mark per item of rules.FORM_ITEMS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in rules.FORM_ITEMS:
            self.fields[item.code] = forms.IntegerField(
                label=f"{item.text}（权重 {item.weight}）", min_value=0, max_value=rules.FORM_ITEM_MAX,
                help_text=f"0～{rules.FORM_ITEM_MAX} 分", widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.fields["note"] = forms.CharField(label="评估意见", max_length=1000, required=False,
                                              widget=forms.Textarea(attrs={"rows": 3}))

    def marks(self) -> dict:
        return {item.code: self.cleaned_data[item.code] for item in rules.FORM_ITEMS}


class MediaForm(forms.Form):
    file = forms.FileField(label="照片、音频或视频", help_text="照片 20 MB 以内；音频 200 MB 以内；视频 1 GB 以内")


class SignInForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    mobile = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs=PHONE))
    employer_name = forms.CharField(label="工作单位", max_length=100, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "organization"}))


class QuestionnaireForm(forms.Form):
    """The trainee's five questions, each 1 (很不同意) to 5 (非常同意)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, f"{value} {label}") for value, label in rules.ANSWER_LABELS.items()]
        for n, question in enumerate(rules.QUESTIONS, start=1):
            self.fields[question.code] = forms.TypedChoiceField(
                label=f"{n}. {question.text}", choices=choices, coerce=int, widget=forms.RadioSelect)

    def answers(self) -> dict:
        return {q.code: self.cleaned_data[q.code] for q in rules.QUESTIONS}
