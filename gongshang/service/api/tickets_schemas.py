"""API shapes of 12333 工单, the caller lookup and the knowledge base (request bodies refuse unknown fields)."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text, mobile_field
from gongshang.appraisal.schemas.choice import choice

from ..choices import TicketCategory, TicketChannel

Channel = choice({c: str(label) for c, label in TicketChannel.choices}, "来源渠道")
Category = choice({c: str(label) for c, label in TicketCategory.choices}, "类别")
CategoryFilter = choice({c: str(label) for c, label in TicketCategory.choices}, "类别", blank="全部")


class TicketErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class AccidentIn(ApiSchema):
    accident_at: datetime = Field(..., description="事故发生时间（须在登记前 48 小时之内）")
    address: str = Field(..., max_length=300, description="事故发生地点")
    description: str = Field(..., max_length=2000, description="事故经过（来电人所述）")
    injured_name: str = Field("", max_length=50, description="受伤人员姓名")
    injured_id_number: str = Field("", max_length=30, description="受伤人员身份证号")
    injured_mobile: str = mobile_field("", optional=True, description="受伤人员手机号（与来电号码不同时也会收到标志码短信）")
    employer_uscc: str = Field("", max_length=18, description="用人单位统一社会信用代码（可不填：按参保库匹配）")
    body_part: str = Field("", max_length=50, description="受伤部位")
    injury_type: str = Field("", max_length=50, description="伤害类型")
    pledge_read: bool = Field(False, description="已向来电人宣读《工伤快报承诺书》并经其同意（须为 true）")


class TicketIn(ApiSchema):
    channel: Channel = Field(..., description="phone 电话 / window 窗口 / online 网上")
    category: Category = Field(..., description="consultation 政策咨询 / complaint 投诉 / suggestion 意见建议 / "
                                                "accident_filing 事故备案（电话报工伤）/ help 求助")
    caller_name: str = Field("", max_length=50, description="来电人姓名")
    caller_mobile: str = Field("", max_length=20, description="来电号码（手机或带区号的固定电话；投诉和电话报工伤必填）",
                               json_schema_extra={"pattern": r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})?$"})
    caller_id_number: str = Field("", max_length=30, description="来电人身份证号（可不填）")
    summary: str = Field(..., max_length=2000, description="来电内容")
    case_number: str = Field("", max_length=32, description="关联的案件编号（本统筹区；可不填）")
    answer: str = Field("", max_length=2000, description="当场答复的内容：填写后工单直接办结（投诉和电话报工伤不可）")
    accident: AccidentIn | None = Field(None, description="电话报工伤（category=accident_filing）时必填：事故信息")


class TicketCreatedOut(Schema):
    id: int
    number: str
    due_at: IsoDateTime
    status: str
    quick_report_id: int | None = Field(None, description="代报的工伤快报（电话报工伤时）")
    case_numbers: list[str] = Field(default_factory=list, description="代报快报建立的案件编号")
    sms_sent_to: list[str] = Field(default_factory=list, description="快报唯一标志码短信的接收号码（脱敏）")


class TransferIn(ApiSchema):
    desk: str = Field(..., max_length=32, description="转办的科室（岗位）：intake 受理员、investigator 调查员、reviewer 审核员、"
                                                      "appraisal_admin 鉴定管理员、benefits_reviewer 待遇审核员、"
                                                      "inspector 稽核员、window 综合窗口、prevention 工伤预防专管员")
    note: str = Field("", max_length=500, description="转办说明")


class ReplyIn(ApiSchema):
    text: str = Field(..., max_length=2000, description="答复内容")


class TicketCloseIn(ApiSchema):
    note: str = Field(..., max_length=2000, description="办结说明：已告知来电人的内容")


class RevealIn(ApiSchema):
    field: str = Field(..., max_length=20, description="caller_mobile 来电号码 / caller_id_number 来电人身份证号")


class RevealOut(Schema):
    field: str
    value: str


class TicketOut(Schema):
    id: int
    number: str
    region: str
    channel: str
    channel_label: Text
    category: str
    category_label: Text
    status: str
    status_label: Text
    caller_name: str = Field(..., description="脱敏")
    caller_mobile: str = Field(..., description="脱敏")
    caller_id_number: str = Field(..., description="脱敏")
    summary: str
    case_number: str | None
    quick_report_id: int | None
    desk: str | None
    desk_label: str | None
    due_at: IsoDateTime
    days_left: int | None = Field(..., description="距办结时限的天数（已办结为空；负数为已超时）")
    overdue: bool
    reply: str | None
    replied_at: IsoDateTime | None
    closed_at: IsoDateTime | None
    created_by: str
    created_at: IsoDateTime


class TicketEventOut(Schema):
    at: IsoDateTime
    type: str
    label: Text
    by: str
    text: str


class TicketDetailOut(TicketOut):
    events: list[TicketEventOut]
    actions: list[str] = Field(..., description="当前账户可以办理的操作")


class TicketListOut(Schema):
    items: list[TicketOut]
    count: int


class LookupPersonOut(Schema):
    name: str
    id_number: str
    mobile: str
    region: str


class LookupCaseOut(Schema):
    number: str
    status: str
    status_label: Text
    injured_name: str
    employer: str | None
    created_at: IsoDateTime


class LookupTicketOut(Schema):
    id: int
    number: str
    category_label: Text
    status_label: Text
    created_at: IsoDateTime


class LookupOut(Schema):
    by: str = Field(..., description="id_number 或 mobile")
    persons: list[LookupPersonOut]
    cases: list[LookupCaseOut]
    tickets: list[LookupTicketOut]


class ArticleIn(ApiSchema):
    question: str = Field(..., max_length=200, description="来电人常问的问题")
    answer: str = Field(..., max_length=4000, description="答复口径")
    basis: str = Field(..., max_length=300, description="政策依据（条款）")
    keywords: str = Field("", max_length=200, description="关键词（空格分隔）")
    category: Category = Field("consultation", description="类别")
    published: bool = Field(True, description="发布（false 为下架）")


class ArticleOut(Schema):
    id: int
    question: str
    answer: str
    basis: str
    keywords: str
    category: str
    category_label: Text
    published: bool
    national: bool = Field(..., description="全国通用口径（只读）")
    updated_at: IsoDateTime


class ArticleListOut(Schema):
    items: list[ArticleOut]
    count: int
