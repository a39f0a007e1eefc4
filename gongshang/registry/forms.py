"""Employer hall and staff roster forms. Values are cleaned by registry/validation.py in the
services, so these forms only shape the page."""

from django import forms

from gongshang.registry.choices import (
    ADD_KINDS,
    REDUCE_KINDS,
    ChangeDirection,
    ChangeKind,
    ChangeStatus,
    EnrolmentStatus,
    HouseholdType,
    InsuranceType,
    InsuredIdentity,
    PaymentStatus,
)

ANY = [("", "全部")]


class RosterFilterForm(forms.Form):
    insurance_type = forms.ChoiceField(label="险种", choices=ANY + InsuranceType.choices, required=False,
                                       initial=InsuranceType.INJURY)
    status = forms.ChoiceField(label="个人参保状态", choices=ANY + EnrolmentStatus.choices, required=False)
    payment = forms.ChoiceField(label="个人缴费状态", choices=ANY + PaymentStatus.choices, required=False)
    identity = forms.ChoiceField(label="参保身份", choices=ANY + InsuredIdentity.choices, required=False)
    q = forms.CharField(label="身份证号或姓名", max_length=50, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"insurance_type": InsuranceType.INJURY}
        data = self.cleaned_data
        return {"insurance_type": data["insurance_type"] if "insurance_type" in self.data else InsuranceType.INJURY,
                "status": data["status"], "payment": data["payment"], "identity": data["identity"],
                "query": data["q"]}


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="身份证号或姓名", max_length=50,
                        help_text="身份证号精确查询；姓名从第一个字起输入，可只输入姓名的开头。只能查询本单位参保过的人员。")


class ChangeFilterForm(forms.Form):
    direction = forms.ChoiceField(label="异动方向", choices=ANY + ChangeDirection.choices, required=False)
    status = forms.ChoiceField(label="状态", choices=ANY + ChangeStatus.choices, required=False)
    q = forms.CharField(label="身份证号、姓名或单位", max_length=50, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"direction": self.cleaned_data["direction"], "status": self.cleaned_data["status"],
                "query": self.cleaned_data["q"]}


class StaffChangeFilterForm(ChangeFilterForm):
    status = forms.ChoiceField(label="状态", choices=ANY + ChangeStatus.choices, required=False,
                               initial=ChangeStatus.PENDING)

    def filters(self) -> dict:
        filters = super().filters()
        if "status" not in self.data:
            filters["status"] = ChangeStatus.PENDING
        return filters


def _kind_choices(direction):
    kinds = ADD_KINDS if direction == ChangeDirection.ADD else REDUCE_KINDS
    return [(value, label) for value, label in ChangeKind.choices if value in kinds]


class ChangeForm(forms.Form):
    """One person's 增员 or 减员 declaration; on creation, for one or several insurance types."""

    kind = forms.ChoiceField(label="异动类型")
    insurance_types = forms.MultipleChoiceField(
        label="险种", choices=InsuranceType.choices, widget=forms.CheckboxSelectMultiple,
        initial=[InsuranceType.INJURY], help_text="每个险种生成一条申报，分别确认。")
    effective_month = forms.CharField(label="生效月份", max_length=7,
                                      widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}))
    id_number = forms.CharField(label="身份证号", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=11, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    household_type = forms.ChoiceField(label="户口性质", choices=[("", "—")] + HouseholdType.choices, required=False)
    identity = forms.ChoiceField(label="参保身份", choices=InsuredIdentity.choices, required=False,
                                 initial=InsuredIdentity.EMPLOYEE)
    declared_wage = forms.CharField(label="申报缴费工资（元/月）", max_length=14, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, direction: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        self.fields["kind"].choices = _kind_choices(direction)
        if editing:  # an existing request is for exactly one insurance type
            self.fields["insurance_types"] = forms.ChoiceField(label="险种", choices=InsuranceType.choices)
        if direction == ChangeDirection.REDUCE:
            for name in ("household_type", "identity", "declared_wage", "mobile"):
                del self.fields[name]

    def service_data(self) -> tuple[dict, list[str]]:
        """The raw values for the service and the chosen insurance types."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "insurance_types"}
        types = self.cleaned_data["insurance_types"]
        return data, ([types] if isinstance(types, str) else list(types))


class RejectForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="单位将看到这段说明，请写明需要如何修改。")
