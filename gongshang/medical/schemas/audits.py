"""API shapes of 现场稽核."""

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema, Text


class AuditCampaignIn(ApiSchema):
    name: str = Field(..., min_length=1, max_length=100, description="稽核计划名称")
    starts_on: date = Field(..., description="开始日期")
    ends_on: date = Field(..., description="结束日期")
    kinds: list[Literal["medical", "rehabilitation", "device"]] = Field(
        default_factory=list, max_length=3, description="机构类别（不填为全部）")
    counties: list[str] = Field(default_factory=list, max_length=50, description="区县行政区划代码（不填为全部）")
    institution_ids: list[int] | None = Field(None, max_length=5000,
                                              description="指定机构 id；不填为本统筹区协议有效的全部机构")


class AuditTeamMemberIn(ApiSchema):
    user_id: int = Field(..., description="稽核员账户 id（本统筹区，持稽核员角色）")
    county: str = Field(..., min_length=6, max_length=6, description="该成员所属区县（行政区划代码）")
    leader: bool = Field(False, description="是否组长")


class AuditTeamIn(ApiSchema):
    name: str = Field(..., min_length=1, max_length=50, description="组名")
    members: list[AuditTeamMemberIn] = Field(..., min_length=1, max_length=20)


class AuditVisitTeamIn(ApiSchema):
    team_id: int | None = Field(..., description="稽核组 id；null 为取消分配")


class AuditAnswerIn(ApiSchema):
    item: str = Field(..., max_length=20, description="检查项编码，如 JC01")
    result: Literal["ok", "fail", "na"] = Field(..., description="ok 符合；fail 不符合；na 不适用")
    note: str = Field("", max_length=1000, description="说明")


class AuditFindingIn(ApiSchema):
    pattern: Literal["swapped_item", "phantom_bed", "false_records", "excessive_tests", "excessive_treatment",
                     "other"] = Field(..., description="问题类型")
    description: str = Field(..., min_length=1, max_length=4000, description="问题描述")
    amount: str = Field("0", max_length=20, pattern=r"^\d{1,12}(\.\d{1,2})?$", description="追回金额（元，到分）")
    checklist_item: str = Field("", max_length=20, description="对应检查项编码（可空）")


class AuditNoticeIn(ApiSchema):
    text: str = Field("", max_length=8000, description="整改通知正文；不填按稽核发现自动生成")


class AuditRespondIn(ApiSchema):
    text: str = Field(..., min_length=1, max_length=5000, description="整改情况")


class AuditCloseIn(ApiSchema):
    follow_up: str = Field("", max_length=5000, description="复查意见")


class AuditMemberOut(Schema):
    user_id: int
    name: str
    county: str
    county_name: str
    leader: bool


class AuditTeamOut(Schema):
    id: int
    name: str
    load: int
    members: list[AuditMemberOut]


class AuditFindingOut(Schema):
    id: int
    pattern: str
    pattern_label: Text
    description: str
    amount: str
    checklist_item: str
    files: list[str] = Field(description="照片与文件名称")


class AuditAnswerOut(Schema):
    code: str
    question: str
    look_at: str
    result: str
    result_label: str
    note: str


class AuditSectionOut(Schema):
    label: str
    items: list[AuditAnswerOut]


class AuditVisitOut(Schema):
    id: int
    campaign_id: int
    campaign_name: str
    institution_id: int
    institution_name: str
    institution_kind: str
    county: str
    county_name: str
    team_id: int | None
    team_name: str
    status: str
    status_label: Text
    visited_on: date | None
    rectify_by: date | None
    notice_text: str
    rectification: str
    follow_up: str
    actions: list[str]


class AuditVisitDetailOut(AuditVisitOut):
    checklist: list[AuditSectionOut]
    findings: list[AuditFindingOut]


class AuditCampaignOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    status: str
    status_label: Text
    institutions: int
    actions: list[str]


class AuditCampaignDetailOut(AuditCampaignOut):
    teams: list[AuditTeamOut]
    visits: list[AuditVisitOut]


class AuditCampaignPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuditCampaignOut]


class AuditAssignProblemOut(Schema):
    visit_id: int
    reason: str


class AuditAssignOut(Schema):
    assigned: int
    problems: list[AuditAssignProblemOut]
    campaign: AuditCampaignDetailOut


class AuditPatternRowOut(Schema):
    pattern: str
    label: str
    findings: int
    amount: str


class AuditTeamRowOut(Schema):
    name: str
    visits: int
    checked: int
    findings: int
    amount: str


class AuditOpenNoticeOut(Schema):
    visit_id: int
    institution: str
    county: str
    rectify_by: date | None
    overdue: bool


class AuditReportOut(Schema):
    campaign_id: int
    institutions: int
    checked: int
    with_findings: int
    findings: int
    amount: str
    patterns: list[AuditPatternRowOut]
    teams: list[AuditTeamRowOut]
    open_notices: list[AuditOpenNoticeOut]
    overdue: int


class AuditNoticeOut(Schema):
    id: int
    campaign_name: str
    institution_name: str
    visited_on: date | None
    status: str
    status_label: Text
    notice_text: str
    rectify_by: date | None
    rectification: str
    follow_up: str
    recovered: str


class AuditNoticePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuditNoticeOut]
