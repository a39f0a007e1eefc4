"""API shapes of 工伤认定. Codes (circumstance, treatments, applicant_kind, material kinds, results)
are the stable codes of rules/codes.py, documented in docs/recognition.md."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field, StrictBool

from gongshang.api.schemas import ApiSchema, mobile_field


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
