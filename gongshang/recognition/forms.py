"""Page forms of 工伤认定: the six-section application form, materials, staff actions."""

from django import forms

from gongshang.core.regions import pooling_region_choices

from .choices import ApplicantKind, Circumstance, DecisionResult, MaterialKind, Treatment

SECTIONS = [
    ("一、工伤人员信息", ["injured_id_number", "injured_name", "injured_mobile", "job_title", "monthly_wage"]),
    ("二、单位信息", ["employer_name", "employer_uscc", "employer_address", "employer_contact", "employer_phone"]),
    ("三、受伤信息", ["accident_at", "accident_place", "circumstance", "description", "body_part", "diagnosis",
                  "diagnosed_on", "treatments", "died", "serious_injury"]),
    ("四、申请人信息", ["applicant_kind", "applicant_name", "applicant_id_number", "applicant_mobile",
                  "applicant_relation", "by_agent"]),
    ("五、附件信息（材料清单）", None),  # the live checklist: materials are uploaded after saving
    ("六、经办人信息", ["handler_name", "handler_mobile", "handling_region"]),
]
REQUIRED_MARK = {"injured_name", "injured_id_number", "employer_name", "employer_uscc", "accident_at",
                 "accident_place", "circumstance", "description", "body_part", "diagnosis", "treatments",
                 "applicant_name", "applicant_mobile", "handler_name", "handler_mobile", "handling_region"}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ApplicationForm(forms.Form):
    injured_id_number = forms.CharField(label="身份证号", max_length=30, required=False)
    injured_name = forms.CharField(label="姓名", max_length=50, required=False)
    injured_mobile = forms.CharField(label="联系电话", max_length=20, required=False)
    job_title = forms.CharField(label="工作岗位（工种）", max_length=50, required=False)
    monthly_wage = forms.DecimalField(label="本人月缴费工资（元）", required=False, min_value=0, max_digits=10,
                                      decimal_places=2, error_messages={"invalid": "请填写金额，例如 6500.00"})
    employer_name = forms.CharField(label="单位名称", max_length=200, required=False)
    employer_uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    employer_address = forms.CharField(label="单位地址", max_length=300, required=False)
    employer_contact = forms.CharField(label="单位联系人", max_length=50, required=False)
    employer_phone = forms.CharField(label="单位联系电话", max_length=20, required=False)
    accident_at = forms.DateTimeField(label="受伤时间", required=False, widget=DateTimeInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                      error_messages={"invalid": "受伤时间格式应为 YYYY-MM-DD HH:MM"})
    accident_place = forms.CharField(label="受伤地点", max_length=300, required=False)
    circumstance = forms.ChoiceField(label="认定情形", required=False,
                                     choices=[("", "请选择")] + list(Circumstance.choices))
    description = forms.CharField(label="受伤经过", max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    body_part = forms.CharField(label="受伤部位", max_length=100, required=False,
                                help_text="应与诊断书的诊断结果一致")
    diagnosis = forms.CharField(label="诊断结论", max_length=300, required=False)
    diagnosed_on = forms.DateField(label="职业病诊断（鉴定）日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="仅职业病填写：申请时限自该日起算")
    treatments = forms.MultipleChoiceField(label="治疗方式", required=False, choices=Treatment.choices,
                                           widget=forms.CheckboxSelectMultiple)
    died = forms.BooleanField(label="职工已死亡", required=False)
    serious_injury = forms.BooleanField(label="重伤", required=False)
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices, required=False)
    applicant_name = forms.CharField(label="申请人", max_length=100, required=False)
    applicant_id_number = forms.CharField(label="申请人证件号码", max_length=30, required=False)
    applicant_mobile = forms.CharField(label="申请人联系电话", max_length=20, required=False)
    applicant_relation = forms.CharField(label="与职工关系", max_length=50, required=False,
                                         help_text="近亲属或工会申请时填写")
    by_agent = forms.BooleanField(label="委托代理人办理", required=False)
    handler_name = forms.CharField(label="经办人", max_length=50, required=False)
    handler_mobile = forms.CharField(label="经办人联系电话", max_length=20, required=False)
    handling_region = forms.ChoiceField(label="受理地区", required=False,
                                        help_text="选择实际受理工伤的统筹区（如在青岛申报选青岛市）")
    replace_draft = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, is_employer=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_region"].choices = [("", "请选择")] + pooling_region_choices(["370000", "220000"])
        for name in REQUIRED_MARK:
            self.fields[name].widget.attrs["data-required"] = "1"
        if is_employer:
            self.fields["applicant_kind"].widget = forms.HiddenInput()
        for name in ("circumstance", "treatments", "died", "applicant_kind", "by_agent"):
            self.fields[name].widget.attrs["data-checklist"] = "1"

    def sections(self):
        """(title, bound fields) in the order of the paper form; fields None for the checklist."""
        return [(title, None if names is None else [self[name] for name in names]) for title, names in SECTIONS]

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "replace_draft"}
        if not data.get("applicant_kind"):
            data.pop("applicant_kind", None)
        return data


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=MaterialKind.choices)
    file = forms.FileField(label="文件（JPG、PNG 或 PDF，不超过 20 MB）",
                           error_messages={"required": "请选择要上传的文件"})


class CheckForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=30, error_messages={"required": "请填写身份证号"})
    name = forms.CharField(label="姓名", max_length=50, required=False)


# Staff action forms: the same limits as the API (schemas.py) and the services; errors beside the field.
class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写理由"})


class SuspendForm(ReasonForm):
    reason = forms.CharField(label="中止原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写中止原因（如等待司法机关或有关行政主管部门的结论）"})


class ExtensionForm(ReasonForm):
    reason = forms.CharField(label="准予延长申请时限的理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写准予延长的理由（如不可抗力、经批准延长）"})


class AllocateForm(forms.Form):
    assignee = forms.IntegerField(label="受理员", min_value=1, max_value=2**31 - 1,
                                  error_messages={"required": "请选择受理员", "invalid": "请选择受理员"})


class AcceptForm(forms.Form):
    simple = forms.BooleanField(label="事实清楚、权利义务明确（简易程序）", required=False)


class CorrectionForm(forms.Form):
    items = forms.MultipleChoiceField(label="需补正的材料", required=False, choices=MaterialKind.choices,
                                      widget=forms.CheckboxSelectMultiple)
    other = forms.CharField(label="其他需补正事项（每行一项，每项不超过 200 字）", required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        lines = [x.strip() for x in (data.get("other") or "").splitlines() if x.strip()]
        if any(len(x) > 200 for x in lines):
            self.add_error("other", "每项补正事项不能超过 200 个字，请拆分或精简")
        if len(lines) + len(data.get("items") or []) > 30:
            self.add_error("other", "补正事项最多 30 项")
        data["all_items"] = list(data.get("items") or []) + lines
        return data


class DecideForm(forms.Form):
    result = forms.ChoiceField(label="认定结论", choices=[("", "请选择")] + list(DecisionResult.choices),
                               error_messages={"required": "请选择认定结论"})
    # No default: the officer types the basis that fits the result (checked by rules.decisions).
    article = forms.CharField(label="法律依据", max_length=200, error_messages={"required": "请填写法律依据"},
                              help_text="如“《工伤保险条例》第十四条第（一）项”；视同工伤写第十五条的项；"
                                        "不予认定写第十六条或“不符合第十四条、第十五条规定”")
    reasoning = forms.CharField(label="认定理由", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": "请填写认定理由"})


class NoteForm(forms.Form):
    text = forms.CharField(label="调查记录", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写调查记录"})


TWO_INVESTIGATORS = "调查核实须由两名以上工作人员共同进行（《工伤认定办法》第十条），请至少选择两名本统筹区的调查员。"


class InvestigateForm(forms.Form):
    """工伤认定办法 第十条: every investigation, of any case type, is made by two or more staff (death and
    serious injury only make the investigation itself obligatory)."""

    investigators = forms.TypedMultipleChoiceField(
        label="调查员（至少两名）", coerce=int, choices=(), widget=forms.CheckboxSelectMultiple,
        help_text="调查核实须由两名以上工作人员共同进行（《工伤认定办法》第十条），各类案件相同。",
        error_messages={"required": TWO_INVESTIGATORS})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigators"].choices = [(u.pk, str(u)) for u in choices]

    def clean_investigators(self):
        chosen = self.cleaned_data["investigators"]
        if len(set(chosen)) < 2:
            raise forms.ValidationError(TWO_INVESTIGATORS)
        return chosen


class ReportForm(forms.Form):
    file = forms.FileField(label="调查报告", error_messages={"required": "请选择调查报告文件（PDF 或图片）"})


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=[("in_person", "直接送达"), ("mail", "邮寄送达"),
                                                       ("portal", "平台电子送达")])
