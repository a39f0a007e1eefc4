"""API shapes of 协议机构 and 目录 (responses are built by presenters.py; lists are paginated)."""

from datetime import date

from ninja import Schema
from pydantic import Field

from gongshang.api.pagination import PageParams
from gongshang.api.schemas import Text, choice_filter

from ..choices import AgreementStatus, CatalogueKind, InstitutionKind


class MedicalErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class InstitutionOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="medical 医疗机构 / rehabilitation 康复机构 / device 辅助器具配置机构")
    kind_label: Text
    level: str
    region: str
    county: str
    county_name: str
    agreement_no: str
    agreement_from: date
    agreement_to: date
    status: str = Field(description="in_force 协议有效 / suspended 暂停结算 / terminated 已解除协议")
    status_label: Text
    may_settle_today: bool = Field(description="今天协议是否有效、可以直接结算")
    address: str
    contact_name: str
    contact_phone: str = Field(description="联系电话（已脱敏）")


class InstitutionPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[InstitutionOut]


class InstitutionQuery(PageParams):
    kind: choice_filter(InstitutionKind) = Field("", description="机构类别")
    status: choice_filter(AgreementStatus) = Field("", description="协议状态")
    county: str = Field("", max_length=6, pattern=r"^([0-9]{6})?$", description="所在区县代码（6 位）")


class CatalogueItemOut(Schema):
    id: int
    code: str = Field(description="医保编码")
    name: str
    kind: str
    kind_label: Text
    specification: str
    unit: str
    price_cap: str | None = Field(description="最高限价（元，到分）；空为不限价")
    price_class: str
    work_injury_only: bool = Field(description="工伤保险专用")
    frequency_limit: str | None = Field(description="限用数量（每限用周期）；空为不限")
    frequency_days: int
    service_life_months: int | None = Field(description="最低使用年限（月，辅助器具）")
    valid_from: date
    valid_to: date | None
    national: bool = Field(description="是否全国目录（否则为本统筹区目录）")


class CataloguePageOut(Schema):
    count: int
    limit: int
    offset: int
    on: date
    region: str
    items: list[CatalogueItemOut]


class CatalogueQuery(PageParams):
    q: str = Field("", max_length=100, description="医保编码前缀或名称中的文字")
    kind: choice_filter(CatalogueKind) = Field("", description="目录类别")
    on: date | None = Field(None, description="查询哪一天有效的目录（默认今天）")
