"""Page forms. The calculator form only collects text; services.calculator validates it (the same
checks as the API), and its field errors are placed beside these fields."""

from django import forms

from .choices import NursingLevel, ParameterKind
from .rules.death import RELATIONS

DEPENDANT_ROWS = 6
# 供养亲属关系 as a person writes it (配偶, 外祖父母…) or as a code (spouse…).
RELATION_CODES = {**{code: code for code in RELATIONS}, **{name: code for code, name in RELATIONS.items()},
                  "祖父母": "grandparent", "外祖父母": "grandparent", "其他": "other"}
RELATION_CODES_SHOWN = ("配偶", "子女", "父母", "祖父母", "外祖父母", "兄弟姐妹", "其他供养亲属")
GRADE_CHOICES = [("", "—")] + [(str(g), f"{g} 级") for g in range(1, 11)]


PARAMETER_FIELDS = [
    ("avg_monthly_wage", "统筹区上年度职工月平均工资（元/月）", ""),
    ("province_avg_monthly_wage", "上年度全省职工月平均工资（元/月）",
     "以全省平均工资为基数计发一次性工伤医疗、伤残就业补助金的省份（如浙江）解除劳动关系时填写"),
    ("min_wage", "最低工资标准（元/月）", ""),
    ("national_disposable_income", "上一年度全国城镇居民人均可支配收入（元/年）", ""),
    ("medical_subsidy_months", "一次性工伤医疗补助金月数（五至十级）", "按五、六、七、八、九、十级顺序填 6 个数，用逗号分隔"),
    ("employment_subsidy_months", "一次性伤残就业补助金月数（五至十级）", "按五至十级顺序填 6 个数，用逗号分隔"),
    ("occupational_disease_bonus", "职业病一次性工伤医疗补助金加发比例（%）", ""),
    ("death_subsidy_months", "一次性工亡补助金月数（2004-2010 年因工死亡，48-60）", ""),
]
TABLE_FIELDS = ("medical_subsidy_months", "employment_subsidy_months")


class CalculatorForm(forms.Form):
    region = forms.CharField(label="统筹区代码", initial="370200", max_length=6,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    injury_date = forms.CharField(label="受伤（死亡）日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="情形", choices=[("disability", "伤残"), ("death", "因工死亡")],
                             widget=forms.RadioSelect, initial="disability")
    disability_grade = forms.ChoiceField(label="伤残等级", choices=GRADE_CHOICES, required=False,
                                         help_text="工亡时不填；一至四级伤残职工停工留薪期满后死亡的填原等级")
    nursing_level = forms.ChoiceField(label="生活自理障碍", required=False,
                                      choices=[("", "无")] + list(NursingLevel.choices))
    monthly_wages = forms.CharField(label="受伤前 12 个月缴费工资", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3, "placeholder": "每月一个金额，用逗号或换行分隔"}),
                                    help_text="不足 12 个月的，填实际月份")
    own_wage = forms.CharField(label="或：本人工资（元/月）", required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    terminate_employment = forms.BooleanField(label="五至十级：解除或终止劳动关系", required=False)
    occupational_disease = forms.BooleanField(label="职业病", required=False)
    veteran_recurrence = forms.BooleanField(label="旧伤复发（革命伤残军人，条例第十五条第一款第（三）项）", required=False)
    appraisal_date = forms.CharField(label="鉴定结论日期（可不填）", required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="生活护理费、伤残津贴最低工资按此日期的参数；不填按受伤日期")
    death_date = forms.CharField(label="死亡日期（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="丧葬补助金、一次性工亡补助金按死亡年度的参数；不填按受伤日期")
    termination_date = forms.CharField(label="解除或终止劳动关系日期（可不填）", required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    birth_date = forms.CharField(label="出生日期（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="与性别一起计算法定退休年龄：已达到的不支付一次性工伤医疗、伤残就业补助金")
    sex = forms.ChoiceField(label="性别", required=False, choices=[("", "—"), ("male", "男"), ("female", "女")])
    original_retirement_age = forms.ChoiceField(
        label="原法定退休年龄", required=False,
        choices=[("", "按性别（男 60，女 50）"), ("60", "60 岁（男职工）"), ("50", "50 岁（女工人）"), ("55", "55 岁（女干部）")])
    leave_months = forms.CharField(label="停工留薪期（月，可不填）", required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}), help_text="一般不超过 12 个月")
    leave_extension_months = forms.CharField(label="经确认延长（月）", required=False,
                                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    leave_extension_confirmed = forms.BooleanField(label="延长已经设区的市级劳动能力鉴定委员会确认", required=False)
    original_wage = forms.CharField(label="停工留薪期原工资（元/月，可不填）", required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                    help_text="不填按受伤前平均工资")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Figures of a 统筹区 with nothing stored (the API's `parameters`); named as the API names
        # them so that an error lands beside its field.
        for name, label, help_text in PARAMETER_FIELDS:
            self.fields[f"parameters.{name}"] = forms.CharField(label=label, required=False, help_text=help_text)
        for i in range(DEPENDANT_ROWS):
            self.fields[f"dep_relation_{i}"] = forms.ChoiceField(
                label=f"供养亲属 {i + 1}", required=False, choices=[("", "—")] + list(RELATIONS.items()))
            self.fields[f"dep_lonely_{i}"] = forms.BooleanField(label="孤寡老人或孤儿", required=False)

    def dependant_rows(self):
        return [(self[f"dep_relation_{i}"], self[f"dep_lonely_{i}"]) for i in range(DEPENDANT_ROWS)]

    def main_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith(("dep_", "parameters."))]

    def parameter_fields(self):
        return [self[f"parameters.{name}"] for name, *_ in PARAMETER_FIELDS]

    def parameters(self) -> dict:
        """The figures typed in, as the API takes them; a month list of 6 becomes a grade table
        (anything else is passed on as typed and refused by the service, naming the field)."""
        result = {}
        for name, *_ in PARAMETER_FIELDS:
            value = (self.cleaned_data.get(f"parameters.{name}") or "").strip()
            if not value:
                continue
            if name in TABLE_FIELDS:
                parts = [p.strip() for p in value.replace("，", ",").replace("、", ",").split(",") if p.strip()]
                result[name] = dict(zip(map(str, range(5, 11)), parts, strict=True)) if len(parts) == 6 else value
            else:
                result[name] = value
        return result

    def as_request(self) -> dict:
        d = self.cleaned_data
        wages = [w for w in (d["monthly_wages"] or "").replace("，", ",").replace("\n", ",").split(",") if w.strip()]
        dependants = [{"relation": d[f"dep_relation_{i}"], "orphan_or_lonely_elderly": d[f"dep_lonely_{i}"]}
                      for i in range(DEPENDANT_ROWS) if d[f"dep_relation_{i}"]]
        return {"region": d["region"].strip(), "injury_date": d["injury_date"], "kind": d["kind"],
                "disability_grade": d["disability_grade"] or None, "nursing_level": d["nursing_level"] or None,
                "monthly_wages": [w.strip() for w in wages] or None, "own_wage": d["own_wage"].strip() or None,
                "terminate_employment": d["terminate_employment"], "occupational_disease": d["occupational_disease"],
                "veteran_recurrence": d["veteran_recurrence"], "dependants": dependants,
                **{f: d[f] or None for f in ("appraisal_date", "death_date", "termination_date", "birth_date", "sex",
                                             "original_retirement_age", "leave_months", "leave_extension_months")},
                "original_wage": (d["original_wage"] or "").strip() or None,
                "leave_extension_confirmed": d["leave_extension_confirmed"], "parameters": self.parameters() or None}


class ParameterForm(forms.Form):
    region = forms.CharField(label="统筹区代码", max_length=6, help_text="全国参数填 000000")
    kind = forms.ChoiceField(label="参数", choices=ParameterKind.choices)
    valid_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label="数值", required=False, max_digits=14, decimal_places=2,
                               help_text="月数表类参数不填此项")
    data_year = forms.IntegerField(label="统计年度", required=False, min_value=2000, max_value=2100,
                                   help_text="全国城镇居民人均可支配收入必填")
    source = forms.CharField(label="依据文件", max_length=300)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for grade in range(5, 11):
            self.fields[f"months_{grade}"] = forms.DecimalField(
                label=f"{grade} 级（月）", required=False, max_digits=5, decimal_places=1, min_value=0)

    def table(self) -> dict:
        return {str(g): self.cleaned_data.get(f"months_{g}") for g in range(5, 11)
                if self.cleaned_data.get(f"months_{g}") is not None}


class ParameterCorrectForm(forms.Form):
    value = forms.DecimalField(label="更正后的数值", required=False, max_digits=14, decimal_places=2)
    source = forms.CharField(label="依据文件", max_length=300)
    note = forms.CharField(label="更正原因", max_length=300)

    def __init__(self, *args, table_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        if table_kind:
            del self.fields["value"]
            for grade in range(5, 11):
                self.fields[f"months_{grade}"] = forms.DecimalField(label=f"{grade} 级（月）", max_digits=5,
                                                                    decimal_places=1, min_value=0)

    def table(self) -> dict:
        return {str(g): self.cleaned_data.get(f"months_{g}") for g in range(5, 11)
                if self.cleaned_data.get(f"months_{g}") is not None}


class ParameterFilterForm(forms.Form):
    region = forms.CharField(label="统筹区代码", max_length=6, required=False)
    kind = forms.ChoiceField(label="参数", required=False, choices=[("", "全部")] + list(ParameterKind.choices))


class ConclusionForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("disability", "伤残"), ("death", "因工死亡")])
    recognition_number = forms.CharField(label="认定决定书文号（仅纸质决定）", max_length=60, required=False,
                                         help_text="系统中已有认定申请的，按系统中的认定决定办理，无需填写")
    recognised_on = forms.DateField(label="认定日期（仅纸质决定）", required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    conclusion_number = forms.CharField(label="鉴定结论书文号/死亡证明编号", max_length=60)
    concluded_on = forms.DateField(label="结论（死亡）日期", widget=forms.DateInput(attrs={"type": "date"}))
    disability_grade = forms.TypedChoiceField(label="伤残等级", choices=GRADE_CHOICES, required=False, coerce=int,
                                              empty_value=None)
    nursing_level = forms.ChoiceField(label="生活自理障碍", required=False,
                                      choices=[("", "无")] + list(NursingLevel.choices))
    occupational_disease = forms.BooleanField(label="职业病", required=False)
    veteran_recurrence = forms.BooleanField(label="视同工伤：革命伤残军人旧伤复发（条例第十五条第一款第（三）项，仅纸质决定）",
                                            required=False)
    document = forms.FileField(label="结论文书（PDF 或图片）", required=False)


class CreateEntitlementsForm(forms.Form):
    terminate_employment = forms.BooleanField(label="五至十级：解除或终止劳动关系", required=False)
    termination_date = forms.DateField(label="解除或终止劳动关系日期", required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}),
                                       help_text="补助金的月数、基数和临近退休递减按此日期；不填按鉴定结论日期")
    original_retirement_age = forms.TypedChoiceField(
        label="原法定退休年龄", required=False, coerce=int, empty_value=None,
        choices=[("", "按性别（女职工须选择）"), ("60", "60 岁（男职工）"), ("50", "50 岁（女工人）"), ("55", "55 岁（女干部）")],
        help_text="出生日期和性别取自参保登记，用于判断解除劳动关系时是否已达到或临近法定退休年龄")
    bank_name = forms.CharField(label="开户银行", max_length=100, required=False)
    bank_account = forms.CharField(label="银行账号", max_length=40, required=False)
    next_of_kin = forms.CharField(label="工亡：领取一次性待遇的近亲属", max_length=50, required=False)
    next_of_kin_id_number = forms.CharField(label="近亲属身份证号", max_length=18, required=False,
                                            help_text="填写后，近亲属实名登录个人门户即可查看待遇和发放记录")
    dependants = forms.CharField(label="工亡：供养亲属", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="每行一人：姓名,关系（配偶/子女/父母/祖父母/外祖父母/兄弟姐妹/其他供养亲属）,"
                                           "是否孤寡或孤儿（是/否）,身份证号（可不填）")

    def clean_dependants(self):
        from .services.entitlements import Beneficiary

        rows = []
        for number, line in enumerate((self.cleaned_data["dependants"] or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            relation = RELATION_CODES.get(parts[1]) if len(parts) > 1 else None
            if relation is None:
                raise forms.ValidationError(f"第 {number} 行格式不正确：应为“姓名,关系,是否孤寡或孤儿,身份证号”，"
                                            f"关系填{'、'.join(RELATION_CODES_SHOWN)}之一")
            rows.append(Beneficiary(parts[0], relation, len(parts) > 2 and parts[2] in ("是", "true", "1"),
                                    id_number=parts[3] if len(parts) > 3 else ""))
        return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300)


class StopForm(forms.Form):
    reason = forms.ChoiceField(label="终止原因", choices=[("death", "死亡"), ("retirement", "退休"),
                                                      ("reappraisal", "再次鉴定/复查鉴定"), ("other", "其他")])
    last_month = forms.DateField(label="最后发放月份", widget=forms.DateInput(attrs={"type": "date"}))


class RunForm(forms.Form):
    period = forms.CharField(label="发放月份", max_length=7, widget=forms.TextInput(attrs={"type": "month"}))


class BankReturnForm(forms.Form):
    file = forms.FileField(label="银行回盘文件（CSV 或 xlsx）")


class AdjustmentForm(forms.Form):
    benefit_type = forms.ChoiceField(label="待遇项目", choices=[
        ("disability_allowance", "伤残津贴"), ("nursing_allowance", "生活护理费"),
        ("dependant_pension", "供养亲属抚恤金"), ("retirement_allowance_difference", "伤残津贴与基本养老金差额")])
    method = forms.ChoiceField(label="调整方式", choices=[("percent", "按比例（%）"), ("fixed", "定额（元）")])
    value = forms.DecimalField(label="比例或金额", max_digits=10, decimal_places=2)
    effective_month = forms.DateField(label="执行月份（该月 1 日）", widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label="调整依据文件", max_length=300, required=False)
