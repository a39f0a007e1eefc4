"""API shapes of 好差评 (request bodies refuse unknown fields)."""

from datetime import date
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field

from gongshang.api.schemas import ApiSchema, IsoDateTime, Text
from gongshang.appraisal.schemas.choice import choice

from ..choices import RatedMatter
from ..rules import ratings as rules


def _not_bool(value):
    """JSON true/false would pass as 1/0 (true a 非常不满意 rating): a number is asked for."""
    if isinstance(value, bool):
        raise ValueError("应为整数，不能是 true 或 false")
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_bool)]
MatterCode = choice({value: str(label) for value, label in RatedMatter.choices}, "评价事项")
# The range is checked by the service (a Chinese message naming the levels), documented here.
SCORE = Field(..., description="评分：5 非常满意 / 4 满意 / 3 基本满意 / 2 不满意 / 1 非常不满意（1、2 分为差评，将回访整改）",
              json_schema_extra={"minimum": 1, "maximum": 5})


class RatingErrorOut(Schema):
    code: str
    message: str
    details: dict | list


class RatingIn(ApiSchema):
    matter: MatterCode = Field(..., description="评价事项")
    matter_id: WholeNumber = Field(..., description="事项记录编号：认定申请、鉴定申请、一窗受理登记或工单的编号；待遇为案件编号（数字 id）")
    score: WholeNumber = SCORE
    comment: str = Field("", max_length=rules.COMMENT_MAX, description="评价内容（可不填）")


class TicketCallbackIn(ApiSchema):
    score: WholeNumber = SCORE
    note: str = Field("", max_length=rules.NOTE_MAX, description="回访记录（来电人的意见，可不填）")


class RatingFollowUpCloseIn(ApiSchema):
    outcome: str = Field(..., max_length=rules.OUTCOME_MAX,
                         description="核实整改情况（将以短信告知评价人，并显示在其“服务评价”页面）")


class RatingFollowUpOut(Schema):
    id: int
    status: str
    status_label: Text
    due_date: date = Field(..., description="整改时限（按服务地区参数的工作日数计算）")
    days_left: int | None = Field(..., description="剩余天数（负数为已超期；已办结为空）")
    timeliness: str = Field(..., description="on_time 按时办结 / late 超期办结 / open 整改中 / overdue 已超期未办结")
    timeliness_label: str
    overdue: bool
    outcome: str
    closed_at: IsoDateTime | None
    told_at: IsoDateTime | None = Field(..., description="告知评价人的时间")


class RatingStaffFollowUpOut(RatingFollowUpOut):
    closed_by: str = Field("", description="办结人（仅经办人员可见）")


class RatingOut(Schema):
    id: int
    matter: str
    matter_label: Text
    matter_id: int
    title: str
    case_number: str | None
    region: str
    region_name: str
    channel: str
    channel_label: Text
    score: int
    level: str
    bad: bool = Field(..., description="差评（1、2 分）")
    comment: str
    rated_at: IsoDateTime
    follow_up: RatingFollowUpOut | None


class StaffRatingOut(RatingOut):
    rater: str = Field("", description="评价人（姓名已遮盖）；电话回访时为登记的坐席")
    follow_up: RatingStaffFollowUpOut | None


class RatingListOut(Schema):
    items: list[StaffRatingOut]
    count: int


class RatingSummaryOut(Schema):
    id: int
    matter: str
    matter_label: Text
    matter_id: int
    title: str
    case_number: str | None
    region_name: str
    channel_label: Text
    score: int
    level: str
    comment: str
    rated_at: IsoDateTime
    rater: str


class RatingFollowUpItemOut(RatingStaffFollowUpOut):
    rating: RatingSummaryOut


class RatingFollowUpListOut(Schema):
    items: list[RatingFollowUpItemOut]
    count: int


class RatingFiguresOut(Schema):
    count: int
    average: str | None = Field(..., description="平均分（两位小数）")
    good: int
    good_share: str | None = Field(..., description="好评率（%，一位小数）")
    bad: int
    bad_share: str | None = Field(..., description="差评率（%，一位小数）")
    follow_ups: int
    follow_ups_on_time: int
    follow_ups_late: int
    follow_ups_open: int
    follow_ups_overdue: int
    on_time_share: str | None = Field(..., description="已办结整改中按时办结的比例（%）")


class RatingReportRowOut(RatingFiguresOut):
    region: str
    region_name: str
    matter: str
    matter_label: str


class RatingReportMonthOut(RatingFiguresOut):
    month: str = Field(..., description="YYYY-MM")


class RatingReportOut(Schema):
    rows: list[RatingReportRowOut]
    months: list[RatingReportMonthOut]
    total: RatingFiguresOut
