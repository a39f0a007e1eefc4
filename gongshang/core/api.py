"""Public kernel endpoints (calendar)."""

from datetime import date
from typing import Literal

from ninja import Router, Schema

from gongshang.core.errors import FieldErrors
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import LENGTH_ERROR, MAX_LENGTH, PeriodError

router = Router(tags=["日历"])


class DueDateOut(Schema):
    due: date
    provisional: bool


@router.get("/calendar/due-date", response=DueDateOut, auth=None, summary="期限届满日试算",
            description=(
                "按起算日期、期限长度和单位计算期限届满日：自然日从次日起算，最后一天为休息日的顺延至其后"
                "第一个工作日（民法典第二百零一条、第二百零三条）；工作日按法定节假日和调休计算。"
                "`provisional` 为 true 表示该年度节假日安排尚未录入，结果为暂定。"))
def due_date_view(request, start: date, length: int, unit: Literal["natural", "working"] = "natural"):
    if not 0 <= length <= MAX_LENGTH:
        raise FieldErrors({"length": LENGTH_ERROR})
    try:
        result = compute_due_date(start, length, unit)
    except PeriodError as exc:
        raise FieldErrors({exc.field: exc.message}) from exc
    return {"due": result.due, "provisional": result.provisional}
