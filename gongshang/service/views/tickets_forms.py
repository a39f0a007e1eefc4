"""Page forms of 12333 工单, the knowledge base and 服务参数. They only shape input; the services check."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from ..choices import TicketCategory, TicketChannel, TicketStatus
from ..selectors.tickets import VIEWS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LookupForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=30, required=False)
    mobile = forms.CharField(label="手机号", max_length=20, required=False,
                             help_text="填写其一即可；结果均已脱敏")


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label="知识库检索", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"placeholder": "例如：上下班 交通事故"}))
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + TicketCategory.choices)


class TicketForm(forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=TicketChannel.choices, initial=TicketChannel.PHONE)
    category = forms.ChoiceField(label="类别", choices=TicketCategory.choices)
    caller_name = forms.CharField(label="来电人姓名", max_length=50, required=False)
    caller_mobile = forms.CharField(label="来电号码", max_length=20, required=False,
                                    help_text="投诉和电话报工伤必填；电话报工伤时快报唯一标志码发送到此手机号")
    caller_id_number = forms.CharField(label="来电人身份证号", max_length=30, required=False)
    case_number = forms.CharField(label="关联案件编号", max_length=32, required=False, help_text="本统筹区的案件，可不填")
    summary = forms.CharField(label="来电内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label="当场答复（填写后直接办结）", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="政策咨询、求助、建议当场答复的，填写告知来电人的内容；需转办的请留空")
    # 电话报工伤 (category accident_filing): the quick report's fields.
    accident_at = forms.DateTimeField(label="事故发生时间", widget=LocalDateTimeInput(), required=False,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                      help_text="须在 48 小时之内")
    address = forms.CharField(label="事故发生地点", max_length=300, required=False)
    description = forms.CharField(label="事故经过", max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    injured_name = forms.CharField(label="受伤人员姓名", max_length=50, required=False)
    injured_id_number = forms.CharField(label="受伤人员身份证号", max_length=30, required=False)
    injured_mobile = forms.CharField(label="受伤人员手机号", max_length=20, required=False)
    employer_uscc = forms.CharField(label="用人单位统一社会信用代码", max_length=18, required=False,
                                    help_text="不清楚可不填，按参保库匹配")
    body_part = forms.CharField(label="受伤部位", max_length=50, required=False)
    injury_type = forms.CharField(label="伤害类型", max_length=50, required=False)
    pledge_read = forms.BooleanField(label="已向来电人宣读《工伤快报承诺书》，来电人同意", required=False)

    ACCIDENT_FIELDS = ("accident_at", "address", "description", "injured_name", "injured_id_number",
                       "injured_mobile", "employer_uscc", "body_part", "injury_type", "pledge_read")

    def __init__(self, *args, may_close: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("accident_at", timezone.localtime().replace(second=0, microsecond=0))
        if not may_close:  # only the hotline closes tickets: others register them for it
            del self.fields["answer"]

    def caller_fields(self):
        return [self[name] for name in self.fields if name not in self.ACCIDENT_FIELDS]

    def accident_fields(self):
        return [self[name] for name in self.ACCIDENT_FIELDS]


class TicketFilterForm(forms.Form):
    view = forms.ChoiceField(label="范围", required=False, choices=list(VIEWS.items()))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + TicketStatus.choices)
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + TicketCategory.choices)
    number = forms.CharField(label="工单编号", max_length=32, required=False)


class TransferForm(forms.Form):
    """The ticket page holds three forms: each its own ids (`auto_id`), the same field names."""

    desk = forms.ChoiceField(label="转办科室（岗位）", choices=())
    note = forms.CharField(label="转办说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, desks=(), **kwargs):
        kwargs.setdefault("auto_id", "transfer_%s")
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = [("", "请选择")] + list(desks)


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    note = forms.CharField(label="办结说明（已告知来电人的内容）", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)


class ArticleForm(forms.Form):
    question = forms.CharField(label="问题", max_length=200)
    answer = forms.CharField(label="答复口径", max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    basis = forms.CharField(label="政策依据（条款）", max_length=300, help_text="例如：《工伤保险条例》第十四条")
    keywords = forms.CharField(label="关键词", max_length=200, required=False, help_text="空格分隔，便于检索")
    category = forms.ChoiceField(label="类别", choices=TicketCategory.choices)
    published = forms.BooleanField(label="发布（坐席可检索）", required=False, initial=True)


class SettingForm(forms.Form):
    valid_from = forms.DateField(label="生效日期", widget=DATE)
    consultation_days = forms.IntegerField(label="政策咨询答复时限（工作日）", min_value=1, max_value=60, initial=2)
    complaint_days = forms.IntegerField(label="投诉办结时限（工作日）", min_value=1, max_value=60, initial=5)
    suggestion_days = forms.IntegerField(label="意见建议答复时限（工作日）", min_value=1, max_value=60, initial=5)
    accident_filing_days = forms.IntegerField(label="事故备案转办时限（工作日）", min_value=1, max_value=60, initial=1)
    help_days = forms.IntegerField(label="求助答复时限（工作日）", min_value=1, max_value=60, initial=2)
    rating_follow_up_days = forms.IntegerField(label="差评整改时限（工作日）", min_value=1, max_value=60, initial=5)
    prevention_cap_percent = forms.DecimalField(label="工伤预防费上限（占上年度基金征缴收入的百分比）", max_digits=5,
                                                decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("10"),
                                                initial=Decimal("3.00"))
    source = forms.CharField(label="依据", max_length=200, help_text="文件名称和文号")
