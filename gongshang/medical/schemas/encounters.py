"""API shapes of 工伤就医资格 and 就诊与费用明细 (institution API). Money is sent and answered as
strings in yuan ("123.45"); line fields are checked in the service so that every row's errors come
back together (details.lines: [{"line_no", "field", "message"}])."""

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text

# --- eligibility ---------------------------------------------------------------------------------------


class MedInjuryOut(Schema):
    body_part: str = Field(description="受伤部位")
    diagnosis: str = Field(description="认定时的诊断结论")


class MedRemoteBriefOut(Schema):
    id: int
    treatment_region: str = Field(description="就医地统筹区（行政区划代码）")
    valid_until: date


class MedEligibilityOut(Schema):
    eligible: bool = Field(description="是否可按工伤医疗直接结算")
    case_number: str | None = Field(description="案件编号（不符合条件时为空）")
    injury: MedInjuryOut | None
    recognized_on: date | None = Field(description="工伤认定日期")
    remote_registration: MedRemoteBriefOut | None = Field(description="到本统筹区就医的有效异地就医备案")
    reason: str = Field(description="答复说明")


# --- encounters ----------------------------------------------------------------------------------------


class MedDiagnosisIn(ApiSchema):
    code: str = Field(..., max_length=20, description="诊断编码（ICD-10，医保版）")
    name: str = Field(..., max_length=200, description="诊断名称")


class MedEncounterIn(ApiSchema):
    case_number: str = Field(..., max_length=32, description="案件编号（就医资格查询答复的 case_number）")
    kind: str = Field(..., max_length=16, json_schema_extra={"enum": ["inpatient", "outpatient", "rehabilitation"]},
                      description="就诊类别：inpatient 住院、outpatient 门诊、rehabilitation 康复")
    admitted_at: datetime = Field(..., description="入院（就诊）时间，带时区；不带时区按北京时间")
    discharged_at: datetime | None = Field(None, description="出院时间（可在结算时再给）")
    diagnoses: list[MedDiagnosisIn] = Field(default_factory=list, max_length=20,
                                            description="诊断，第一项为主诊断")
    department: str = Field("", max_length=50, description="科室")


class MedEncounterCreatedOut(Schema):
    id: int
    created: bool = Field(description="true：新登记（201）；false：同一机构、案件、类别和入院时间已登记过，返回原记录（200）")


def _scalar_quantity(value):
    """One error on the field for a list or an object (not one per member of the union)."""
    if not isinstance(value, str | int | float):
        raise ValueError("数量应为字符串（如 \"2\"）或整数")
    return value


Quantity = Annotated[str | int | float, BeforeValidator(_scalar_quantity)]


class MedLineIn(ApiSchema):
    line_no: int = Field(..., description="明细序号（同一就诊内唯一；再次上传同一序号即替换该行）")
    catalogue_code: str = Field(..., max_length=50, description="医保编码")
    name: str = Field(..., max_length=200, description="项目名称")
    category: str = Field(..., max_length=16, json_schema_extra={"enum": ["drug", "service", "material", "bed",
                                                                          "meal"]},
                          description="费用类别：drug 药品、service 诊疗项目、material 医用耗材、bed 床位费、meal 伙食费")
    quantity: Quantity = Field(..., description="数量（最多 3 位小数；请用字符串或整数，小数不要用浮点数）")
    unit_price: str = Field(..., max_length=20, description="单价，元，字符串，最多 4 位小数")
    amount: str = Field(..., max_length=20, description="金额，元，字符串，最多 2 位小数；须等于数量×单价（四舍五入到分）")
    occurred_at: datetime = Field(..., description="发生时间，须在入院与出院时间之间")
    order_no: str = Field("", max_length=50, description="医嘱号")
    ordered_code: str = Field("", max_length=50, description="医嘱项目编码（与收费编码不同时提示串换）")


class MedLinesOut(Schema):
    id: int
    received: int = Field(description="本次收到的明细行数")
    created: int = Field(description="新增行数")
    updated: int = Field(description="按序号替换的行数")
    line_count: int = Field(description="该次就诊现有明细行数")
    total: str = Field(description="现有明细金额合计，元")


class MedSettleIn(ApiSchema):
    discharged_at: datetime | None = Field(None, description="出院时间（登记时未给出的，结算时须给出）")


class MedFlagOut(Schema):
    rule: str = Field(description="审核规则代码")
    reason: str = Field(description="原因")
    amount: str = Field(description="不予支付金额，元")


class MedSettleLineOut(Schema):
    line_no: int
    fund_amount: str
    self_amount: str
    flags: list[MedFlagOut]


class MedSettleOut(Schema):
    id: int
    status: str
    total: str = Field(description="费用总额，元")
    fund_amount: str = Field(description="工伤保险基金支付，元")
    self_amount: str = Field(description="基金不予支付，元（由个人或其他渠道承担，见各行提示）")
    lines: list[MedSettleLineOut]
    flags: list[MedFlagOut] = Field(description="整次就诊的审核提示（如分解住院）")


class MedAnswerIn(ApiSchema):
    text: str = Field(..., max_length=2000, description="对经办机构询问的答复")


class MedEncounterOut(Schema):
    id: int
    case_number: str
    institution: str = Field(description="协议机构名称")
    institution_code: str
    kind: str
    kind_label: Text
    status: str
    status_label: Text
    admitted_at: IsoDateTime
    discharged_at: IsoDateTime | None
    department: str
    diagnoses: list[dict]
    region: str = Field(description="参保统筹区")
    treatment_region: str = Field(description="就医地统筹区")
    remote_registration_id: int | None
    line_count: int
    total: str
    fund_amount: str
    self_amount: str
    deducted_amount: str
    flagged: bool
    settled_at: IsoDateTime | None
    review_note: str
    allowed_actions: list[str]


class MedEncounterRowOut(Schema):
    id: int
    case_number: str
    institution: str
    kind: str
    kind_label: Text
    status: str
    status_label: Text
    admitted_at: IsoDateTime
    discharged_at: IsoDateTime | None
    total: str
    fund_amount: str
    self_amount: str
    flagged: bool


class MedEncounterPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[MedEncounterRowOut]


class MedMyEncounterOut(Schema):
    id: int
    case_number: str
    institution: str
    kind_label: Text
    status_label: Text
    admitted_at: IsoDateTime
    discharged_at: IsoDateTime | None
    total: str
    fund_amount: str
    self_amount: str


class MedMyEncountersOut(Schema):
    count: int
    items: list[MedMyEncounterOut]
