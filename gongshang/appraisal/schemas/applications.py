"""API shapes of 劳动能力鉴定申请. Codes (kind, applicant_kind, items, material kinds) are those of
rules/codes.py and rules/materials.py."""

from datetime import date

from ninja import Schema
from pydantic import Field, StrictBool

from gongshang.api.schemas import ApiSchema, IsoDateTime, mobile_field


class AppraisalAppApplicationIn(ApiSchema):
    kind: str = Field(..., max_length=20, description="鉴定类别：initial 初次、second 再次、review 复查、leave_extension、"
                                                      "device、rehabilitation、relapse、dependant")
    case_number: str = Field(..., min_length=1, max_length=32, description="案件编号")
    applicant_kind: str = Field(..., max_length=16, description="worker 本人 | relative 近亲属 | employer 用人单位 | "
                                                               "agency 经办机构（仅复查）")
    items: list[str] = Field(default_factory=list, max_length=10, description="申请鉴定事项；空为该类别全部事项")
    green_channel: StrictBool = Field(False, description="绿色通道（须上传日常生活状况短视频）")
    applicant_name: str = Field("", max_length=100)
    applicant_relation: str = Field("", max_length=30, description="近亲属申请时必填")
    applicant_mobile: str = mobile_field("", optional=True)
    mailing_address: str = Field("", max_length=300)
    dependant_name: str = Field("", max_length=50, description="供养亲属鉴定时必填")
    dependant_id_number: str = Field("", max_length=30, description="供养亲属鉴定时必填")
    previous_conclusion: int | None = Field(None, description="再次/复查鉴定：原鉴定结论 id")
    reason: str = Field("", max_length=2000)


class AppraisalAppItemsIn(ApiSchema):
    items: list[str] = Field(..., max_length=30, description="补正事项：材料类型代码或文字说明（一次性列全）")


class AppraisalAppReasonIn(ApiSchema):
    reason: str = Field(..., max_length=500)


class AppraisalAppOptionalReasonIn(ApiSchema):
    reason: str = Field("", max_length=500)


class AppraisalAppPostponeIn(ApiSchema):
    days: int = Field(..., ge=1, le=180, description="顺延天数")
    reason: str = Field(..., max_length=500)


class AppraisalAppMessageIn(ApiSchema):
    text: str = Field(..., max_length=1000)


class AppraisalAppCreatedOut(Schema):
    id: int
    status: str


class AppraisalAppChecklistItemOut(Schema):
    kind: str
    label: str
    basis: str = Field(description="依据")
    count: int = Field(description="案件材料库中已有的份数")
    source: str = Field(description="generated 平台生成 | from_case 平台调取 | vault 已有，无需再交 | 空：待上传")
    source_label: str
    upload: bool = Field(description="申请人可上传的材料")


class AppraisalAppChecklistOut(Schema):
    required: list[AppraisalAppChecklistItemOut]
    missing: list[AppraisalAppChecklistItemOut]


class AppraisalAppMaterialOut(Schema):
    id: int
    kind: str
    sha256: str
    checklist: AppraisalAppChecklistOut


class AppraisalAppSubmitDeadlinesOut(Schema):
    completeness_due: date | None = Field(description="材料审核时限（收到申请之日起5个工作日）")
    conclusion_due: date | None = Field(description="作出结论时限（受理后起算）")


class AppraisalAppSubmittedOut(Schema):
    id: int
    status: str
    deadlines: AppraisalAppSubmitDeadlinesOut


class AppraisalAppDueOut(Schema):
    key: str
    label: str
    due: date | None
    basis: str
    provisional: bool
    met: bool
    met_on: date | None
    days_left: int | None
    overdue: bool
    urgency: str


class AppraisalAppPeriodOut(Schema):
    key: str
    label: str
    due: date
    basis: str
    days_left: int | None


class AppraisalAppEventOut(Schema):
    type: str
    text: str
    by: str
    at: IsoDateTime
    at_display: str


class AppraisalAppPostponementOut(Schema):
    days: int
    reason: str
    recorded_at: IsoDateTime


class AppraisalAppRowOut(Schema):
    id: int
    case_number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    injured_name: str = Field(description="脱敏")
    employer_name: str
    applicant_kind: str
    green_channel: bool
    due_label: str
    due_on: date | None
    days_left: int | None
    urgency: str
    received_on: date | None


class AppraisalAppApplicationOut(AppraisalAppRowOut):
    items: list[str]
    item_labels: list[str]
    applicant_name: str
    applicant_relation: str
    applicant_label: str
    dependant_name: str
    dependant_id_number: str = Field(description="脱敏")
    previous_conclusion: str
    reason: str
    mailing_address: str
    submitted_at: IsoDateTime | None
    completeness_due: date | None
    conclusion_due: date | None
    accepted_on: date | None
    correction_items: list[str]
    correction_notified_on: date | None
    extended_on: date | None
    extension_reason: str
    postponed_days: int
    postponements: list[AppraisalAppPostponementOut]
    deadlines: list[AppraisalAppDueOut]
    filing_periods: list[AppraisalAppPeriodOut]
    allowed_actions: list[str]
    checklist: AppraisalAppChecklistOut
    timeline: list[AppraisalAppEventOut]


class AppraisalAppPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AppraisalAppRowOut]


class AppraisalAppMessageOut(Schema):
    id: int
    text: str
    from_staff: bool
    author: str
    at: IsoDateTime
    at_display: str
    read: bool


class AppraisalAppMessagesOut(Schema):
    items: list[AppraisalAppMessageOut]
