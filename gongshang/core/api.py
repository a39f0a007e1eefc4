"""Public kernel endpoints (calendar)."""

from datetime import date
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from gongshang.accounts.access import public
from gongshang.core.errors import FieldErrors
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import LENGTH_ERROR, MAX_LENGTH, PeriodError, provisional_note

router = Router(tags=["日历"])


class DueDateQuery(Schema):
    start: date = Field(..., description="起算日期 YYYY-MM-DD（届满日须不晚于 9999-12-31）")
    # The bounds are documented here and checked in the view, whose message says the range.
    length: int = Field(..., description=f"期限长度：0～{MAX_LENGTH} 的整数",
                        json_schema_extra={"minimum": 0, "maximum": MAX_LENGTH})
    unit: Literal["natural", "working"] = Field("natural", description="natural 自然日 | working 工作日")


class DueDateOut(Schema):
    due: date = Field(description="期限届满日；暂定时为各候选日期中较晚的一个，此日（含）之前不按逾期处理")
    provisional: bool = Field(description="true：所涉年度的放假安排尚未录入，日期按法定节假日和周末推算，为暂定")
    earliest: date | None = Field(None, description="暂定且补假安排会影响结果时：若推定的补假日实际上班，届满日为此日（较早）")
    note: str = Field("", description="暂定日期的中文说明（非暂定时为空）")


@router.get("/calendar/due-date", response=DueDateOut, auth=None, summary="期限届满日试算",
            description=(
                "按起算日期、期限长度和单位计算期限届满日：自然日从次日起算，最后一天为休息日的顺延至其后"
                "第一个工作日（民法典第二百零一条、第二百零三条）；工作日按法定节假日和调休计算。"
                "`provisional` 为 true 表示所涉年度的放假安排（国务院办公厅通知）尚未录入：结果按《全国年节及纪念日放假办法》"
                "第二条的法定节假日（农历节日按农历推算）和周末计算，`note` 说明原因；补假（第六条）按节后工作日推定，"
                "`due` 为计入推定补假后的较晚日期，`earliest` 为不计推定补假的较早日期（两者相同时为 null）。"))
@public
def due_date_view(request, params: Query[DueDateQuery]):
    start, length, unit = params.start, params.length, params.unit
    if not 0 <= length <= MAX_LENGTH:
        raise FieldErrors({"length": LENGTH_ERROR})
    try:
        result = compute_due_date(start, length, unit)
    except PeriodError as exc:
        raise FieldErrors({exc.field: exc.message}) from exc
    return {"due": result.due, "provisional": result.provisional, "earliest": result.earliest,
            "note": provisional_note(result)}
