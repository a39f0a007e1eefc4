"""API shapes of the review desk and the monthly statements (money as strings to the fen)."""

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text

MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"


class DeductIn(ApiSchema):
    # The pattern is documented, checked by the service after the encounter is loaded (another
    # region's encounter answers 404 whatever the body), and a bad amount answers 422 naming `amount`.
    amount: str = Field(..., max_length=20, json_schema_extra={"pattern": MONEY_PATTERN},
                        description="扣减金额（元，字符串，最多两位小数），不超过本次就诊的基金支付金额")
    reason: str = Field(..., min_length=1, max_length=500, description="扣减原因（告知机构）")


class QueryIn(ApiSchema):
    text: str = Field(..., min_length=1, max_length=500, description="向机构询问的内容")


class ApproveIn(ApiSchema):
    note: str = Field("", max_length=500, description="审核意见（可不填）")


class ReviewQueueRowOut(Schema):
    id: int
    institution: str
    case_number: str
    worker: str = Field(description="参保人姓名（脱敏）")
    kind: str
    kind_label: Text
    admitted_at: IsoDateTime
    discharged_at: IsoDateTime | None
    settled_at: IsoDateTime | None
    total: str
    fund_amount: str
    self_amount: str
    flagged: bool
    flag_count: int
    status: str
    status_label: Text
    review_due: str | None = Field(description="审核时限（YYYY-MM-DD，按地区工作日计算）")
    review_days_left: int | None


class ReviewQueuePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReviewQueueRowOut]


class ReviewedOut(Schema):
    id: int
    status: str
    status_label: Text
    fund_amount: str
    deducted_amount: str
    review_note: str


class StatementOut(Schema):
    id: int
    institution_id: int
    institution: str
    period: str = Field(description="结算月份 YYYY-MM")
    status: str
    status_label: Text
    encounter_count: int
    total: str
    fund_amount: str
    deducted_amount: str
    payable: str
    created_at: IsoDateTime
    approved_at: IsoDateTime | None
    released_at: IsoDateTime | None
    paid_at: IsoDateTime | None


class StatementEncounterOut(Schema):
    id: int
    case_number: str
    worker: str
    admitted_at: IsoDateTime
    discharged_at: IsoDateTime | None
    total: str
    fund_amount: str
    deducted_amount: str


class StatementDeductionOut(Schema):
    id: int
    encounter_id: int | None
    amount: str
    reason: str
    created_at: IsoDateTime


class StatementDetailOut(StatementOut):
    encounters: list[StatementEncounterOut]
    deductions: list[StatementDeductionOut]


class StatementPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[StatementOut]


class StatementComputeIn(ApiSchema):
    institution_id: int = Field(..., description="协议机构 id（本统筹区）")
    period: str = Field(..., max_length=7, pattern=r"^\d{4}-\d{2}$",
                        description="结算月份 YYYY-MM：纳入该月月底前结算且审核完成的就诊记录")


class AdjustmentIn(ApiSchema):
    institution_id: int = Field(..., description="协议机构 id（本统筹区）")
    amount: str = Field(..., max_length=20, pattern=MONEY_PATTERN,
                        description="追回金额（元，字符串，最多两位小数）")
    reason: str = Field(..., min_length=1, max_length=500, description="追回原因（如现场稽核发现的问题）")


class AdjustmentOut(Schema):
    id: int
    institution_id: int
    amount: str
    reason: str
    created_at: IsoDateTime
