"""API shapes of 鉴定结论, 送达, 公示 and 再次鉴定 (codes: rules/codes.py; documented in the OpenAPI)."""

from datetime import date

from ninja import Schema
from pydantic import Field, StrictBool

from gongshang.api.schemas import ApiSchema

from ..choices import DeliveryMethod, SelfCareLevel
from .choice import choice

SelfCare = choice({c: str(label) for c, label in SelfCareLevel.choices}, "生活自理障碍程度", blank="无生活自理障碍")
Method = choice({c: str(label) for c, label in DeliveryMethod.choices}, "送达方式")


class ConclusionErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class ConclusionBasisIn(ApiSchema):
    standard_items: list[str] = Field(default_factory=list, max_length=30, description="GB/T 16180-2014 条款")
    rule: str = Field("", max_length=300, description="晋级原则（多处伤残时）")


class ConclusionIn(ApiSchema):
    grade: int | None = Field(None, description="伤残等级 1-10，0 为未达级；不填取专家组建议等级")
    self_care: SelfCare | None = Field(
        None, description="生活自理障碍：complete 完全 / most 大部分 / partial 部分；空为无；不填取专家组意见")
    leave_extension_months: int | None = Field(None, description="停工留薪期延长月数（1-12）")
    confirmed: StrictBool | None = Field(None, description="确认类鉴定：确认事项是否成立")
    confirmation_detail: str = Field("", max_length=500, description="同意配置的辅助器具、康复项目等")
    basis: ConclusionBasisIn | None = None
    reason: str = Field("", max_length=500, description="结论与专家组意见不一致时的理由")


class ConclusionDeliverIn(ApiSchema):
    method: Method = Field(..., description="online 网上送达 / post 邮寄 / in_person 窗口领取")
    tracking_number: str = Field("", max_length=40, description="邮寄单号（邮寄送达必填）")


class ProvincialConclusionIn(ApiSchema):
    grade: int = Field(..., description="省级结论伤残等级 1-10，0 为未达级")
    self_care: SelfCare = ""
    number: str = Field(..., max_length=40, description="省级结论书文号")
    concluded_on: date
    standard_items: list[str] = Field(default_factory=list, max_length=30)


class PublicationObjectionIn(ApiSchema):
    raised_by: str = Field(..., max_length=100, description="异议人")
    contact: str = Field("", max_length=100, description="联系方式")
    text: str = Field(..., max_length=4000, description="异议内容")


class ConclusionOut(Schema):
    id: int
    application_id: int
    case_number: str
    kind: str
    number: str
    grade: int | None
    grade_label: str
    self_care: str
    leave_extension_months: int | None
    confirmed: bool | None
    confirmation_detail: str
    result_label: str
    basis: dict
    concluded_on: date
    provincial: bool = Field(description="省级鉴定委员会结论（最终结论）")
    supersedes_number: str | None
    verification_code: str | None = Field(description="结论书验证码（/v/<code> 核验）")
    pdf_url: str
    delivery_method: str
    tracking_number: str
    received_on: date | None
    second_appraisal_until: date | None = Field(description="申请再次鉴定的最后一日（收到结论书之日起15日）")
    status: str


class ReferralOut(Schema):
    id: int
    status: str
    package_sha256: str
    files: int
    package_url: str


class PublicationOut(Schema):
    id: int
    batch: str
    region: str
    masked_name: str
    employer_name: str
    kind_label: str
    result_label: str
    published_on: date
    visible_until: date


class PublicationPageOut(Schema):
    items: list[PublicationOut]
    page: int
    size: int
    has_next: bool
    count: int = Field(description="条数（超过 1000 条时为 1000，count_capped 为 true）")
    count_capped: bool


class PublicationObjectionOut(Schema):
    id: int
    publication_id: int
    raised_by: str
    recorded_at: str
