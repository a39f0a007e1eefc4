"""API shapes of 异地就医备案 and 辅助器具/康复 (request bodies refuse unknown fields)."""

from datetime import date

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema, Text
from gongshang.appraisal.schemas.choice import choice

from ..choices import RemoteReason

Reason = choice({c: str(label) for c, label in RemoteReason.choices}, "备案类型")
REGION = Field(..., min_length=6, max_length=6, description="就医地统筹区（地级市）6位行政区划代码，须与参保地不同")


class RemoteErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class RemoteRegistrationIn(ApiSchema):
    case_number: str = Field(..., max_length=32, description="工伤案件编号")
    reason: Reason = Field(..., description="referral 转诊转院 / long_term_residence 异地长期居住 / posted 异地工作（派驻）")
    region: str = REGION
    start_date: date = Field(..., description="开始日期（最早可补办30天内的备案）")


class RemoteChangeIn(ApiSchema):
    reason: Reason = Field(..., description="referral 转诊转院 / long_term_residence 异地长期居住 / posted 异地工作（派驻）")
    region: str = REGION
    start_date: date = Field(..., description="新备案的开始日期")


class RemoteCancelIn(ApiSchema):
    note: str = Field("", max_length=300, description="取消原因（可不填）")


class RemoteCreatedOut(Schema):
    id: int
    valid_until: date


class RemoteRegistrationOut(Schema):
    id: int
    case_number: str
    region: str = Field(..., description="参保统筹区（支付待遇的基金）")
    region_name: str
    treatment_region: str = Field(..., description="就医地统筹区（待遇按就医地规定，目录限价取就医地）")
    treatment_region_name: str
    reason: str
    reason_label: Text
    start_date: date
    valid_until: date
    status: str
    status_label: Text
    active: bool = Field(..., description="今日是否有效（状态有效且在开始日期与有效期之间）")
    change_possible_from: date = Field(..., description="可以变更或取消的日期（备案满3个月，地区参数）")
    replaces_id: int | None
    replaced_by_id: int | None


class RemoteListOut(Schema):
    items: list[RemoteRegistrationOut]
    count: int


class MedReferralChooseIn(ApiSchema):
    institution_code: str = Field(..., max_length=20, description="协议机构编码（辅助器具配置机构或康复机构，协议有效）")


class MedReferralSettleIn(ApiSchema):
    amount: str = Field(..., max_length=20, description="结算金额（元，字符串，两位小数，如 \"12800.00\"）")


class MedReferralOut(Schema):
    id: int
    case_number: str
    kind: str
    kind_label: Text
    item_code: str
    item_name: str
    confirmed_on: date
    status: str
    status_label: Text
    institution_code: str | None
    institution_name: str | None
    amount: str | None
    fund_amount: str | None
    self_amount: str | None
    settled_on: date | None
    replace_due_on: date | None = Field(..., description="可以更换的日期（结算日加最低使用年限）")


class MedReferralSettledOut(MedReferralOut):
    cap: str | None = Field(..., description="目录限额（元）；无限额时为空")
    explanation: str = Field(..., description="超出限额部分由本人自付的说明；未超限额时为空")


class MedReferralListOut(Schema):
    items: list[MedReferralOut]
    count: int
