"""好差评 API under /api/v1/service/ (国办发〔2019〕51号); thin: parse, load-and-check, call a service, shape.

POST /ratings (the applicant rates a finished matter), GET /ratings (own; staff: their 统筹区),
GET /ratings/follow-ups and POST /ratings/follow-ups/{follow_up_id}/close (差评整改), GET
/ratings/report (per office and matter, by month), POST /tickets/{ticket_id}/callback (12333 回访)."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Status
from pydantic import Field

from gongshang.accounts.access import api_permit, get_for
from gongshang.accounts.choices import Audience
from gongshang.api.auth import bearer
from gongshang.api.schemas import ApiSchema, choice_filter
from gongshang.core.db.routers import reporting_view
from gongshang.core.errors import FieldErrors

from ..choices import RatedMatter
from ..models import Rating, RatingFollowUp, Ticket
from ..presenters.ratings import rating_dict, report_dict, staff_follow_up_dict
from ..selectors.ratings import ReportFilters, follow_up_list, rating_list, rating_report
from ..services import ratings as services
from .ratings_schemas import (
    RatingErrorOut,
    RatingFollowUpCloseIn,
    RatingFollowUpItemOut,
    RatingFollowUpListOut,
    RatingIn,
    RatingListOut,
    RatingOut,
    RatingReportOut,
    StaffRatingOut,
    TicketCallbackIn,
)

router = Router(tags=["好差评"], auth=bearer)
ERRORS = {status: RatingErrorOut for status in (401, 403, 404, 409, 422)}
READ_ERRORS = {status: RatingErrorOut for status in (401, 403, 422)}
RATINGS = Rating.objects.select_related("case", "rater", "recorded_by", "follow_up", "follow_up__closed_by")
FOLLOW_UPS = RatingFollowUp.objects.select_related("rating", "rating__case", "rating__rater", "rating__recorded_by",
                                                   "closed_by")


class RatingQuery(ApiSchema):
    matter: choice_filter(RatedMatter) = Field("", description="评价事项（留空为全部）")
    bad: bool = Field(False, description="只列差评（1、2 分）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class RatingFollowUpQuery(ApiSchema):
    status: Literal["", "open", "overdue", "closed"] = Field(
        "", description="open 整改中 / overdue 已超期 / closed 已办结（留空为全部，整改中的按时限在前）")
    page: int = Field(1, ge=1, le=10000)
    size: int = Field(20, ge=1, le=100)


class RatingReportQuery(ApiSchema):
    date_from: date | None = Field(None, description="评价日期自（含）")
    date_to: date | None = Field(None, description="评价日期至（含）")
    matter: choice_filter(RatedMatter) = Field("", description="评价事项（留空为全部）")


def _is_staff(user) -> bool:
    return user.kind == Audience.STAFF


@router.post("/ratings", response={201: RatingOut, **ERRORS},
             summary="评价已办结的事项（1-5 分；1、2 分为差评，按地区时限回访整改）")
@api_permit("service_rating", "create")
def create(request, payload: RatingIn):
    rating = services.rating_create(actor=request.auth, matter=payload.matter, matter_id=payload.matter_id,
                                    score=payload.score, comment=payload.comment)
    return Status(201, rating_dict(RATINGS.get(pk=rating.pk)))


@router.get("/ratings", response={200: RatingListOut, **READ_ERRORS},
            summary="服务评价列表（本人的评价；经办人员：本统筹区的评价，评价人姓名已遮盖）")
@api_permit("service_rating", "view")
def list_(request, query: Query[RatingQuery]):
    qs = rating_list(actor=request.auth, filters={"matter": query.matter, "bad": query.bad})
    start = (query.page - 1) * query.size
    staff, today = _is_staff(request.auth), timezone.localdate()
    items = [rating_dict(r, today=today, for_staff=staff) for r in qs[start:start + query.size]]
    return {"items": items, "count": qs.count()}


@router.get("/ratings/follow-ups", response={200: RatingFollowUpListOut, **READ_ERRORS},
            summary="差评整改列表（本统筹区；整改中的按时限排在前，超期的最先）")
@api_permit("service_rating", "follow_up")
def follow_ups(request, query: Query[RatingFollowUpQuery]):
    qs = follow_up_list(actor=request.auth, status=query.status)
    start = (query.page - 1) * query.size
    today = timezone.localdate()
    return {"items": [staff_follow_up_dict(f, today=today) for f in qs[start:start + query.size]],
            "count": qs.count()}


@router.post("/ratings/follow-ups/{follow_up_id}/close", response={200: RatingFollowUpItemOut, **ERRORS},
             summary="办结差评整改：填写核实整改情况，短信告知评价人")
@api_permit("service_rating", "follow_up")
def close_follow_up(request, follow_up_id: int, payload: RatingFollowUpCloseIn):
    row = get_for(request.auth, FOLLOW_UPS, follow_up_id, "follow_up")
    services.follow_up_close(actor=request.auth, follow_up=row, outcome=payload.outcome)
    return staff_follow_up_dict(FOLLOW_UPS.get(pk=row.pk))


@router.get("/ratings/report", response={200: RatingReportOut, **READ_ERRORS},
            summary="好差评统计：按经办机构和事项、按月（评价数、平均分、好评率、差评率、整改按时/超期/在办）")
@api_permit("service_rating", "statistics")
@reporting_view
def report(request, query: Query[RatingReportQuery]):
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise FieldErrors({"date_to": "评价日期至不能早于评价日期自，请调整日期范围"})
    filters = ReportFilters(date_from=query.date_from, date_to=query.date_to, matter=query.matter)
    return report_dict(rating_report(actor=request.auth, filters=filters))


@router.post("/tickets/{ticket_id}/callback", response={201: StaffRatingOut, **ERRORS},
             summary="12333 回访：登记来电人对已办结工单的评价（差评自动进入整改）")
@api_permit("service_ticket", "callback")
def ticket_callback(request, ticket_id: int, payload: TicketCallbackIn):
    ticket = get_for(request.auth, Ticket, ticket_id, "callback")
    rating = services.ticket_callback(actor=request.auth, ticket=ticket, score=payload.score, note=payload.note)
    return Status(201, rating_dict(RATINGS.get(pk=rating.pk), for_staff=True))
