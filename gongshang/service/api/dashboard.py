"""领导驾驶舱 API: the leader's own 统筹区, by month (money as strings to the fen)."""

from ninja import Query, Router, Schema
from pydantic import Field

from gongshang.accounts.access import api_permit
from gongshang.api.auth import bearer
from gongshang.core.db.routers import reporting_view
from gongshang.core.errors import FieldErrors

from ..presenters import dashboard as p
from ..selectors import dashboard as s
from ..views.dashboard import parse_month

router = Router(tags=["领导驾驶舱"], auth=bearer)


class RangeIn(Schema):
    start: str = Field("", max_length=7, description="起始月份 YYYY-MM（默认：截止月份往前共 12 个月）")
    end: str = Field("", max_length=7, description="截止月份 YYYY-MM（默认：本月）；一次最多 24 个月")


class DashboardStageOut(Schema):
    status: str
    label: str
    count: int


class StagesOut(Schema):
    cases: list[DashboardStageOut] = Field(description="工伤案件，当前各状态件数")
    recognition: list[DashboardStageOut] = Field(description="工伤认定申请（不含草稿）")
    appraisal: list[DashboardStageOut] = Field(description="劳动能力鉴定申请（不含草稿）")
    entitlements: list[DashboardStageOut] = Field(description="待遇核定")


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    new_cases: int
    recognition_decided: int
    recognition_met: int = Field(description="在认定时限内作出决定（条例第二十条，中止期间不计）")
    recognition_missed: int
    tickets: int
    tickets_answered: int
    ticket_response_hours: str | None = Field(description="平均首次答复时长（小时，一位小数）")
    tickets_met: int
    tickets_missed: int = Field(description="超过办结时限答复，或至今未答复且已过时限")
    ratings: int
    rating_average: str | None = Field(description="平均分（5 分制，两位小数）")
    ratings_bad: int = Field(description="1–2 分（差评）")
    follow_ups: int = Field(description="整改时限在本月的差评整改")
    follow_ups_late: int
    prevention_paid: str = Field(description="工伤预防费拨付（元）")
    benefits_paid: str = Field(description="待遇发放到账（元）")
    payments: int


class TotalsOut(Schema):
    new_cases: int
    recognition_decided: int
    recognition_met: int
    recognition_missed: int
    tickets: int
    tickets_answered: int
    tickets_met: int
    tickets_missed: int
    ratings: int
    ratings_bad: int
    follow_ups: int
    follow_ups_late: int
    prevention_paid: str
    benefits_paid: str
    payments: int


class PreventionYearOut(Schema):
    year: int
    budget: str = Field(description="已批准计划预算（元）")
    paid: str = Field(description="已拨付项目（元）")


class DashboardOut(Schema):
    region: str
    start: str
    end: str
    stages: StagesOut
    series: list[MonthOut]
    totals: TotalsOut
    recognition_overdue_now: int = Field(description="在办认定申请中已超过当前时限的件数")
    tickets_overdue_now: int = Field(description="已过办结时限仍未答复的工单")
    follow_ups_open: int
    prevention_years: list[PreventionYearOut]


@router.get("/dashboard", response=DashboardOut,
            summary="领导驾驶舱：本统筹区按月的案件、认定时限、12333、好差评、工伤预防费和待遇发放")
@api_permit("dashboard", "view")
@reporting_view
def get_dashboard(request, filters: Query[RangeIn]):
    errors = {}
    months = {}
    for name, label in (("start", "起始月份"), ("end", "截止月份")):
        try:
            months[name] = parse_month(getattr(filters, name), label)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise FieldErrors(errors)
    try:
        figures = s.dashboard(actor=request.auth, start=months["start"], end=months["end"])
    except s.RangeError as exc:
        raise FieldErrors({exc.field: str(exc)}) from exc
    return p.api_dict(figures)
