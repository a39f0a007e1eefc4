"""Forms of the 工伤医疗 pages (协议机构, 地区参数, 目录导入与查询); services validate again."""

from django import forms

from .choices import AgreementStatus, CatalogueKind, InstitutionKind
from .services.institutions import county_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label="名称或编码", required=False, max_length=50)
    kind = forms.ChoiceField(label="机构类别", required=False, choices=[("", "全部")] + InstitutionKind.choices)
    status = forms.ChoiceField(label="协议状态", required=False, choices=[("", "全部")] + AgreementStatus.choices)
    county = forms.ChoiceField(label="所在区县", required=False)
    ending = forms.BooleanField(label="60 日内协议到期", required=False)

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "全部")] + county_choices(region)


class InstitutionForm(forms.Form):
    code = forms.CharField(label="机构编码", max_length=20, help_text="医保定点编码，如 H37020200001")
    name = forms.CharField(label="机构名称", max_length=100)
    kind = forms.ChoiceField(label="机构类别", choices=InstitutionKind.choices)
    level = forms.CharField(label="机构等级", max_length=20, required=False, help_text="如 三级甲等；康复机构、辅具机构可不填")
    county = forms.ChoiceField(label="所在区县")
    agreement_no = forms.CharField(label="协议编号", max_length=40)
    agreement_from = forms.DateField(label="协议起始日期", widget=DATE)
    agreement_to = forms.DateField(label="协议终止日期", widget=DATE)
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    webhook_url = forms.URLField(label="结果推送地址", required=False, assume_scheme="https", help_text="机构接收工伤认定结果、审核结果的 HTTPS 地址")
    bank_name = forms.CharField(label="开户银行", max_length=100, required=False)
    bank_account = forms.CharField(label="银行账号", max_length=40, required=False)

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "请选择")] + county_choices(region)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ClientForm(forms.Form):
    client_id = forms.CharField(label="接入账户（客户端编号）", max_length=150, help_text="如 inst-demo-qdfy")


class SettingForm(forms.Form):
    valid_from = forms.DateField(label="生效日期", widget=DATE)
    readmission_days = forms.IntegerField(label="分解住院判定天数", min_value=1, max_value=90, initial=15)
    idle_stay_hours = forms.IntegerField(label="挂床判定时长（小时）", min_value=1, max_value=240, initial=48)
    remote_valid_months = forms.IntegerField(label="异地就医备案有效期（月）", min_value=1, max_value=60, initial=12)
    remote_lock_months = forms.IntegerField(label="备案变更或取消的最短期限（月）", min_value=0, max_value=6, initial=3)
    review_working_days = forms.IntegerField(label="费用审核时限（工作日）", min_value=1, max_value=90, initial=20)
    rectify_days = forms.IntegerField(label="整改期限（日）", min_value=1, max_value=365, initial=30)
    source = forms.CharField(label="依据", max_length=200, help_text="文件名称和文号")


class CatalogueImportForm(forms.Form):
    kind = forms.ChoiceField(label="目录类别", choices=CatalogueKind.choices)
    national = forms.BooleanField(label="全国药品目录（不勾选为本统筹区目录）", required=False)
    file = forms.FileField(label="目录文件", help_text="Excel 工作簿（.xlsx）或 CSV（UTF-8 或 GBK 编码）")


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label="医保编码或名称", required=False, max_length=100)
    kind = forms.ChoiceField(label="目录类别", required=False, choices=[("", "全部")] + CatalogueKind.choices)
    on = forms.DateField(label="有效日期", required=False, widget=DATE, help_text="默认今天")
