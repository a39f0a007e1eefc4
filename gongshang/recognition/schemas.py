"""API shapes of 工伤认定. Codes (circumstance, treatments, applicant_kind, material kinds, results)
are the stable codes of rules/codes.py, documented in docs/recognition.md."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, StrictBool

from gongshang.api.pagination import CappedCount
from gongshang.api.schemas import ApiSchema, IsoDateTime, Text, mobile_field


class ApplicationIn(ApiSchema):
    """Every section's fields; all optional for a draft (required ones are checked at submission)."""

    case_id: int | None = Field(None, description="从工伤快报/已有案件开始申请时的案件 id（POST 时）")
    replace_draft: StrictBool = Field(False, description="该职工已有暂存草稿时，确认删除旧草稿并保存本次")
    injured_name: str | None = Field(None, max_length=50)
    injured_id_number: str | None = Field(None, max_length=30)
    injured_mobile: str | None = mobile_field(None, optional=True)
    job_title: str | None = Field(None, max_length=50)
    monthly_wage: Decimal | None = None
    employer_name: str | None = Field(None, max_length=200)
    employer_uscc: str | None = Field(None, max_length=18)
    employer_address: str | None = Field(None, max_length=300)
    employer_contact: str | None = Field(None, max_length=50)
    employer_phone: str | None = Field(None, max_length=20)
    accident_at: datetime | None = None
    accident_place: str | None = Field(None, max_length=300)
    circumstance: str | None = Field(None, max_length=24)
    description: str | None = Field(None, max_length=4000)
    body_part: str | None = Field(None, max_length=100)
    diagnosis: str | None = Field(None, max_length=300)
    diagnosed_on: date | None = None
    treatments: list[str] | None = Field(None, max_length=3)
    died: StrictBool | None = None
    serious_injury: StrictBool | None = None
    applicant_kind: str | None = Field(None, max_length=16)
    applicant_name: str | None = Field(None, max_length=100)
    applicant_id_number: str | None = Field(None, max_length=30)
    applicant_mobile: str | None = mobile_field(None, optional=True)
    applicant_relation: str | None = Field(None, max_length=50)
    by_agent: StrictBool | None = None
    handler_name: str | None = Field(None, max_length=50)
    handler_mobile: str | None = mobile_field(None, optional=True)
    handling_region: str | None = Field(None, max_length=6)

    def data(self) -> dict:
        return self.model_dump(exclude_unset=True, exclude={"case_id", "replace_draft"})


class EmployeeCheckIn(ApiSchema):
    id_number: str = Field(..., max_length=30)
    name: str = Field("", max_length=50)


class AllocateIn(ApiSchema):
    assignee: int
    ids: list[int] = Field(default_factory=list, max_length=200, description="批量分配时的其他申请 id")


class AcceptIn(ApiSchema):
    simple: StrictBool = Field(False, description="事实清楚、权利义务明确（15 日或本地承诺时限）")


class ItemsIn(ApiSchema):
    items: list[str] = Field(..., max_length=30, description="补正事项：材料类型代码或文字说明")


class ReasonIn(ApiSchema):
    reason: str = Field(..., min_length=1, max_length=1000)


class SuspendIn(ApiSchema):
    reason: str = Field("", max_length=500, description="中止原因（必填，≤ 500 字）")


class OptionalReasonIn(ApiSchema):
    reason: str = Field("", max_length=500)


class DecideIn(ApiSchema):
    result: Literal["recognized", "deemed", "not_recognized"]
    article: str = Field(..., min_length=1, max_length=200)
    reasoning: str = Field(..., min_length=1, max_length=4000)


class DeliverIn(ApiSchema):
    method: Literal["portal", "in_person", "mail"] = "in_person"


class InvestigateIn(ApiSchema):
    investigators: list[int] = Field(..., min_length=2, max_length=5)


class NoteIn(ApiSchema):
    text: str = Field(..., min_length=1, max_length=4000)


# Answers (presenters.py builds them, for the pages too; these document and check them, the bodies
# stay as built: dates as YYYY-MM-DD, timestamps as formatted there).


class ChecklistItemOut(Schema):
    kind: str = Field(description="材料类型代码")
    label: str
    basis: str = Field(description="依据")
    count: int = Field(description="材料库中已有的份数")


class ChecklistOut(Schema):
    required: list[ChecklistItemOut] = Field(description="应交材料")
    missing: list[ChecklistItemOut] = Field(description="尚缺材料")


class ApplicationCreatedOut(Schema):
    id: int
    status: str
    case_number: str
    checklist: ChecklistOut


class IdStatusOut(Schema):
    id: int
    status: str


class EmployeeFieldsOut(Schema):
    injured_name: str
    injured_id_number: str
    injured_mobile: str
    employer_name: str
    employer_uscc: str
    employer_address: str
    employer_contact: str
    employer_phone: str
    monthly_wage: str = Field(description="缴费工资（元）；无记录时为空")
    enrolment_note: str = Field(description="参保状态说明")


class EmployeeCheckOut(Schema):
    found: bool
    message: str
    fields: EmployeeFieldsOut = Field(description="可带入申请的字段")


class MaterialOut(Schema):
    id: int
    kind: str
    sha256: str
    checklist: ChecklistOut


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    version: int
    code: str = Field(description="文书编号（可验真）")
    issued_at: IsoDateTime
    revoked: bool
    download: str = Field(description="下载地址（页面）")


class DueOut(Schema):
    due: date | None = Field(description="到期日；中止期间为 null")
    days_left: int | None
    paused: bool
    provisional: bool = Field(description="涉及节假日安排尚未公布的年份，日期暂按估算")
    earliest: date | None = Field(description="暂定时：较早的候选到期日")
    basis: str
    urgency: str = Field(description="overdue | urgent | ok | paused | met（已办结，不再计时）")
    met: bool = Field(description="该环节已办结：不再显示剩余天数")
    met_on: date | None = Field(description="办结日期（已知时）")


class PeriodOut(Schema):
    due: date
    status: str = Field(description="in_time | employer_late | expired")
    message: str
    basis: str
    provisional: bool
    earliest: date | None


class DeadlinesOut(Schema):
    acceptance_due: date | None
    decision_due: date | None
    delivery_due: date | None
    provisional: bool
    paused: bool
    acceptance: DueOut | None
    decision: DueOut | None
    delivery: DueOut | None
    application_period: PeriodOut | None = Field(description="申请时限（事故/诊断之日起）")


class EventOut(Schema):
    type: str
    label: Text
    status: str
    actor: str
    at: IsoDateTime
    details: dict[str, Any]
    at_display: str = Field(description="给人看的时间：YYYY-MM-DD HH:MM（本地时间）")
    text: str = Field(description="给读者看的一句话（申请人看到“经办机构”，不含代码）")
    by: str
    status_label: str


class ApplicationOut(Schema):
    id: int
    case_number: str
    status: str
    status_label: Text
    region: str
    from_quick_report: bool
    green_channel: bool
    injured_name: str
    injured_id_number: str = Field(description="脱敏")
    employer_name: str
    applicant_kind: str
    circumstance: str
    treatments: list[str]
    died: bool
    serious_injury: bool
    accident_at: IsoDateTime | None
    period_status: str
    correction_items: list[str]
    not_accepted_reason: str
    decision_result: str
    decision_article: str
    assignee: str | None
    editable: bool
    deadlines: DeadlinesOut
    timeline: list[EventOut]
    documents: list[DocumentOut]


class ApplicationChecklistOut(ApplicationOut):
    checklist: ChecklistOut


class AllocatedOut(ApplicationOut):
    allocated: int = Field(description="本次分配的申请数")


class RowOut(Schema):
    id: int
    case_number: str
    status: str
    status_label: Text
    injured_name: str = Field(description="脱敏")
    employer_name: str
    due_label: str
    due: date | None
    days_left: int | None
    urgency: str
    paused: bool
    provisional: bool
    assignee: str


class PageOut(CappedCount):
    limit: int
    offset: int
    items: list[RowOut]


class QueuePageOut(PageOut):
    view: str


class NoteOut(Schema):
    id: int


class ReportOut(Schema):
    id: int
    sha256: str


class PeriodExtensionOut(Schema):
    id: int
    period_extension_reason: str
