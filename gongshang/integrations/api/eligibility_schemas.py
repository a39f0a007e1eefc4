"""API shapes of 待遇领取资格认证 (request bodies refuse unknown fields; names and ID numbers masked)."""

from typing import Literal

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text, choice_filter

from ..choices import CertificationStatus
from ..selectors.eligibility import VIEWS


class CertificationErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class CertificationQuery(ApiSchema):
    view: Literal[tuple(VIEWS)] = Field("", description="空：待办（待审核、已暂停、待认证）/ submitted 待审核 / lapsed 逾期已暂停 / "
                                                        "due 待认证 / no_mobile 无手机号需人工通知 / all 全部")
    status: choice_filter(CertificationStatus) = Field("", description="状态：due 待认证 / submitted 已提交 / confirmed 已认证 / "
                                                                      "rejected 未通过 / lapsed 逾期已暂停")
    year: int | None = Field(None, ge=2000, le=2100, description="认证年度")
    id_number: str = Field("", max_length=18, description="受领人身份证号（完整号码，精确查找）")
    name: str = Field("", max_length=50, description="受领人姓名（部分即可）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class ReviewIn(ApiSchema):
    decision: Literal["confirm", "reject"] = Field(..., description="confirm 认证通过 / reject 不通过（须写原因，短信告知受领人）")
    reason: str = Field("", max_length=300, description="不通过的原因（如照片不是本人、面部不清晰）")


class ConfirmIn(ApiSchema):
    note: str = Field("", max_length=300, description="说明（如：本人持身份证到窗口办理）")


class InPersonIn(ApiSchema):
    id_number: str = Field(..., min_length=15, max_length=18, description="受领人身份证号（本人到场出示的身份证）")
    name: str = Field(..., min_length=1, max_length=50, description="受领人姓名（与身份证一致）")
    note: str = Field("", max_length=300, description="说明（可不填）")


class CertificationOut(Schema):
    id: int
    region: str
    year: int
    beneficiary_name: str = Field(..., description="脱敏")
    beneficiary_id_number: str = Field(..., description="脱敏")
    due_on: str = Field(..., description="认证截止日期（YYYY-MM-DD）")
    days_left: int | None = Field(..., description="距截止日期的天数（已提交、已认证为空；负数为已逾期）")
    status: str
    status_label: Text
    method: str | None
    method_label: Text | None
    evidence: str | None = Field(..., description="数据比对认证的依据：数据来源和日期")
    reminder: str | None = Field(..., description="最近一次提醒")
    no_mobile: bool = Field(..., description="无手机号，须电话或上门通知")
    has_photo: bool
    submitted_at: IsoDateTime | None
    confirmed_at: IsoDateTime | None
    lapsed_at: IsoDateTime | None
    institution: str | None = Field(..., description="协助认证的定点机构")
    note: str | None = Field(..., description="审核或认证说明（不通过的原因）")
    suspended_entitlements: int = Field(..., description="因逾期暂停的待遇项数")


class CertificationListOut(Schema):
    items: list[CertificationOut]
    count: int


class EntitlementLineOut(Schema):
    id: int
    benefit_type_label: Text
    status: str
    status_label: Text
    amount: str


class CertificationDetailOut(CertificationOut):
    reminders: list[str]
    entitlements: list[EntitlementLineOut] = Field(..., description="逾期时暂停的待遇及其当前状态")
    mobile: str | None = Field(..., description="受领人登记的手机号（脱敏）；为空须电话或上门通知")
    actions: list[str] = Field(..., description="当前账户可以办理的操作")


class MyCertificationOut(Schema):
    certification: CertificationOut | None
    can_certify: bool = Field(..., description="现在可以拍照认证")
    message: str


class CycleOut(Schema):
    opened: int = Field(..., description="新建认证")
    confirmed: int = Field(..., description="数据比对认证通过")
    reminded: int = Field(..., description="已短信提醒")
    no_mobile: int = Field(..., description="无手机号，待人工通知")
    lapsed: int = Field(..., description="逾期暂停的受领人")
    suspended: int = Field(..., description="暂停的待遇项数")
    summary: str


class InPersonOut(Schema):
    id: int
    year: int
    beneficiary_name: str = Field(..., description="脱敏")
    status: str
    status_label: Text
    method_label: Text
    confirmed_at: IsoDateTime | None
    resumed: bool = Field(..., description="此前因逾期暂停的待遇已恢复，下月发放时补发")
