"""Public kernel endpoints (calendar)."""

from datetime import date
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from gongshang.core.errors import FieldErrors
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import LENGTH_ERROR, MAX_LENGTH, PeriodError

router = Router(tags=["日历"])


class DueDateQuery(Schema):
    start: date = Field(..., description="起算日期 YYYY-MM-DD（届满日须不晚于 9999-12-31）")
    # The bounds are documented here and checked in the view, whose message says the range.
    length: int = Field(..., description=f"期限长度：0～{MAX_LENGTH} 的整数",
                        json_schema_extra={"minimum": 0, "maximum": MAX_LENGTH})
    unit: Literal["natural", "working"] = Field("natural", description="natural 自然日 | working 工作日")


class DueDateOut(Schema):
    due: date
    provisional: bool


@router.get("/calendar/due-date", response=DueDateOut, auth=None, summary="期限届满日试算",
            description=(
                "按起算日期、期限长度和单位计算期限届满日：自然日从次日起算，最后一天为休息日的顺延至其后"
                "第一个工作日（民法典第二百零一条、第二百零三条）；工作日按法定节假日和调休计算。"
                "`provisional` 为 true 表示该年度节假日安排尚未录入，结果为暂定。"))
def due_date_view(request, params: Query[DueDateQuery]):
    start, length, unit = params.start, params.length, params.unit
    if not 0 <= length <= MAX_LENGTH:
        raise FieldErrors({"length": LENGTH_ERROR})
    try:
        result = compute_due_date(start, length, unit)
    except PeriodError as exc:
        raise FieldErrors({exc.field: exc.message}) from exc
    return {"due": result.due, "provisional": result.provisional}
