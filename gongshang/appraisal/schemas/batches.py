"""API shapes of the batches, panels and exam day."""

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field, StrictBool

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text


class BatchIn(ApiSchema):
    exam_on: date = Field(..., description="鉴定日期")
    site_id: int = Field(..., description="鉴定场所 id（本统筹区）")
    capacity: int = Field(..., ge=1, le=10000, description="容量（人）")
    cutoff_on: date | None = Field(None, description="截止编入日期；不填则按地区设置的鉴定日前天数")
    exam_time: Text = Field("08:30", max_length=50, description="报到时间")
    bring_note: Text = Field("", max_length=500, description="需携带的材料（不填用默认：身份证、病历原件、影像资料等）")


class BatchAssignIn(ApiSchema):
    application_ids: list[int] | None = Field(None, max_length=10000,
                                              description="指定编入的申请 id；不填则按时限先后编入全部符合条件的申请")


class AppraisalSiteOut(Schema):
    id: int
    name: str
    address: str
    capacity: int


class PanelMemberOut(Schema):
    expert_id: int
    name: str
    title: str
    category: str
    category_label: str
    chair: bool
    signed: bool


class BatchApplicationOut(Schema):
    id: int
    case_number: str
    worker_name: str = Field(description="职工姓名（脱敏）")
    kind: str
    kind_label: str
    status: str
    status_label: str
    green_channel: bool
    conclusion_due: date | None
    panel: list[PanelMemberOut]


class PanelDrawOut(Schema):
    id: int
    seed: str = Field(description="抽取种子（抽取后公开；sha256(seed) 应等于 seed_commitment）")
    seed_commitment: str
    pool_sha256: str
    pool_size: int
    panel_size: int
    drawn_at: IsoDateTime
    panels: list[dict[str, Any]]


class BatchOut(Schema):
    id: int
    number: str
    region: str
    exam_on: date
    exam_time: str
    cutoff_on: date
    site: AppraisalSiteOut
    capacity: int
    assigned: int
    status: str
    status_label: str
    bring_note: str
    seed_commitment: str = Field(description="抽取种子的 SHA-256 承诺值（抽取前公布）")
    actions: list[str]
    applications: list[BatchApplicationOut] | None = None
    draw: PanelDrawOut | None = None


class BatchPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[BatchOut]


class BatchAssignedOut(Schema):
    assigned: list[int]
    batch: BatchOut


class DrawVerificationOut(Schema):
    ok: bool
    problems: list[str]
    seed: str
    seed_commitment: str
    pool_sha256: str


class ExpertOpinionIn(ApiSchema):
    grade: int | None = Field(None, ge=0, le=10, description="伤残等级 1-10，未达级 0；确认类可不填")
    self_care: str = Field("", max_length=16, description="complete/most/partial，无障碍留空")
    standard_items: list[Text] = Field(default_factory=list, max_length=30, description="依据的 GB/T 16180-2014 条款")
    confirmations: dict[Text, StrictBool | Text] = Field(default_factory=dict, max_length=20,
                                                         description="确认事项意见（如 {\"device\": true}）")
    text: Text = Field(..., max_length=4000, description="意见")


class ExpertOpinionOut(Schema):
    id: int
    application_id: int
    expert_id: int
    grade: int | None
    self_care: str
    standard_items: list[str]
    confirmations: dict[str, Any]
    signature: str = Field(description="SHA-256（规范化 JSON：内容、专家、签署时间）")
    signed_at: IsoDateTime


class PanelProposalIn(ApiSchema):
    grade: int | None = Field(None, ge=0, le=10)
    self_care: str = Field("", max_length=16)
    text: Text = Field(..., max_length=4000, description="专家组意见")
    confirmations: dict[Text, StrictBool | Text] = Field(default_factory=dict, max_length=20)


class ExamNoShowIn(ApiSchema):
    note: Text = Field("", max_length=300)


class TerminateIn(ApiSchema):
    reason: Text = Field(..., max_length=500)


class HomeVisitIn(ApiSchema):
    mode: str = Field(..., max_length=8, description="home 上门鉴定 / remote 远程视频鉴定")
    scheduled_at: datetime = Field(..., description="预约时间（含时区）")
    address: Text = Field("", max_length=300)
    batch_id: int | None = Field(None, description="编入的计划中批次（必填：专家组随该批次抽取）")


class HomeVisitOut(Schema):
    id: int
    application_id: int
    mode: str
    scheduled_at: IsoDateTime
    status: str


class ExamRecordOut(Schema):
    application_id: int
    status: str
    checked_in_at: IsoDateTime | None
    identity_verified: StrictBool | None
    identity_note: str
    live_photo_document_id: int | None
    recording_document_id: int | None
    proposed_grade: int | None
    proposed_self_care: str
    proposal: dict[str, Any]


class ExamStatusOut(Schema):
    id: int
    status: str
    status_label: str
    no_show_count: int
    termination_reason: str


class BatchCommitmentQuery(ApiSchema):
    region: str = Field("", max_length=6, description="统筹区代码（不填为全部）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class BatchCommitmentOut(Schema):
    number: str
    region: str
    region_name: str
    exam_on: date
    status_label: str
    seed_commitment: str = Field(description="抽取种子的 SHA-256（建立批次时公布）")
    seed: str = Field(description="抽取种子（抽取后公布；抽取前为空）")
    drawn_at: IsoDateTime | None


class BatchCommitmentPageOut(Schema):
    items: list[BatchCommitmentOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool
