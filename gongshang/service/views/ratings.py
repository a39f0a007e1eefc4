"""好差评 pages: the applicant's 服务评价 (finished matters awaiting a rating, with a 1–5 star form;
their earlier ratings and any follow-up outcome), the staff's 差评整改 (due dates, overdue first,
close with the outcome after a confirmation), the 好差评统计 report with CSV/Excel export, and the
12333 callback form (a page of its own, and an include for the ticket page)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from gongshang.accounts.access import get_for, permit
from gongshang.core.db.routers import reporting_view
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.masking import mask_mobile

from ..choices import RatedMatter
from ..models import RatingFollowUp, Ticket
from ..presenters.ratings import (
    callback_context,
    levels,
    matter_dict,
    rating_dict,
    report_dict,
    staff_follow_up_dict,
)
from ..rules import ratings as rules
from ..selectors.ratings import (
    FOLLOW_UP_FILTERS,
    ReportFilters,
    follow_up_list,
    rating_list,
    rating_report,
    report_csv,
    report_xlsx,
)
from ..selectors.ratings_matters import ratable_matters
from ..services import ratings as services

FOLLOW_UPS = RatingFollowUp.objects.select_related("rating", "rating__case", "rating__rater", "rating__recorded_by",
                                                   "closed_by")


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- the applicant ---------------------------------------------------------------------------------------

def _my_context(request, *, form_key: str = "", values=None, errors=None, error: str = "") -> dict:
    today = timezone.localdate()
    return {
        "waiting": [matter_dict(m) for m in ratable_matters(request.user)],
        "ratings": [rating_dict(r, today=today) for r in rating_list(actor=request.user)[:100]],
        "levels": levels(), "form_key": form_key, "values": values or {}, "errors": errors or {}, "error": error,
        "comment_max": rules.COMMENT_MAX,
    }


@permit("service_rating", "create")
def my_ratings(request):
    """服务评价 (mobile first): rate each finished matter once; see earlier ratings and outcomes."""
    if request.method != "POST":
        return render(request, "service/ratings/mine.html", _my_context(request))
    post = request.POST
    matter, matter_id = post.get("matter", ""), _int(post.get("matter_id"))
    score, comment = _int(post.get("score")), post.get("comment", "")
    values = {"score": score, "comment": comment}
    form_key = f"{matter}-{matter_id}"
    try:
        rating = services.rating_create(actor=request.user, matter=matter, matter_id=matter_id or 0,
                                        score=score, comment=comment)
    except FieldErrors as exc:
        return render(request, "service/ratings/mine.html",
                      _my_context(request, form_key=form_key, values=values, errors=exc.errors), status=422)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        return render(request, "service/ratings/mine.html",
                      _my_context(request, form_key=form_key, values=values, error=exc.message), status=exc.status)
    follow_up = RatingFollowUp.objects.filter(rating=rating).first()
    if follow_up is not None:
        messages.success(request, f"感谢您的评价。我们将在{_cn(follow_up.due_date)}前核实整改，并把结果告知您。")
    else:
        messages.success(request, "感谢您的评价。")
    return redirect(_next(request, reverse("service:my_ratings")))


# --- staff: follow-ups -----------------------------------------------------------------------------------

@permit("service_rating", "follow_up")
def rating_followups(request):
    """差评整改: the 统筹区's follow-ups, open ones by due date (overdue first), then the closed ones."""
    status = request.GET.get("status", "")
    status = status if status in FOLLOW_UP_FILTERS else ""
    today = timezone.localdate()
    page = Paginator(follow_up_list(actor=request.user, status=status, on=today), 30).get_page(request.GET.get("page"))
    query = urlencode({"status": status} if status else {})
    overdue = follow_up_list(actor=request.user, status="overdue", on=today).count()
    return render(request, "service/ratings/followups.html", {
        "rows": [staff_follow_up_dict(f, today=today) for f in page.object_list], "page": page, "query": query,
        "status": status, "filters": FOLLOW_UP_FILTERS, "overdue": overdue})


@permit("service_rating", "follow_up")
def rating_followup_close(request, follow_up_id: int):
    """One follow-up: the rating, its due date; close it with the outcome (confirmation first)."""
    row = get_for(request.user, FOLLOW_UPS, follow_up_id, "follow_up")
    context = {"f": staff_follow_up_dict(row), "outcome": "", "errors": {}, "error": "",
               "outcome_max": rules.OUTCOME_MAX}
    if request.method != "POST":
        return render(request, "service/ratings/followup.html", context)
    outcome = request.POST.get("outcome", "")
    try:
        services.follow_up_close(actor=request.user, follow_up=row, outcome=outcome)
    except FieldErrors as exc:
        return render(request, "service/ratings/followup.html", {**context, "outcome": outcome, "errors": exc.errors},
                      status=422)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        return render(request, "service/ratings/followup.html", {**context, "outcome": outcome, "error": exc.message},
                      status=exc.status)
    messages.success(request, "差评整改已办结，已告知评价人。")
    return redirect("service:rating_followups")


# --- staff: the report -----------------------------------------------------------------------------------

def _report_filters(request) -> tuple[ReportFilters, dict, list[str]]:
    get = request.GET
    raw = {"date_from": get.get("date_from", "").strip(), "date_to": get.get("date_to", "").strip(),
           "matter": get.get("matter", "")}
    problems = []
    date_from, date_to = _date(raw["date_from"]), _date(raw["date_to"])
    if raw["date_from"] and date_from is None:
        problems.append("开始日期格式不正确（应为 年-月-日），已按不限处理。")
    if raw["date_to"] and date_to is None:
        problems.append("结束日期格式不正确（应为 年-月-日），已按不限处理。")
    if date_from and date_to and date_from > date_to:
        problems.append("开始日期晚于结束日期，已对调。")
        date_from, date_to = date_to, date_from
    matter = raw["matter"] if raw["matter"] in RatedMatter.values else ""
    return ReportFilters(date_from=date_from, date_to=date_to, matter=matter), raw, problems


@permit("service_rating", "statistics")
@reporting_view
def rating_report_page(request):
    """好差评统计: per office (统筹区经办机构) and matter, and by month."""
    filters, raw, problems = _report_filters(request)
    report = rating_report(actor=request.user, filters=filters)
    query = urlencode({k: v for k, v in raw.items() if v})
    return render(request, "service/ratings/report.html", {
        "report": report_dict(report), "raw": raw, "problems": problems, "matters": RatedMatter.choices,
        "query": query})


@permit("service_rating", "statistics")
@reporting_view
def rating_report_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("只能导出 CSV 或 Excel（xlsx）文件。")
    filters, _, _ = _report_filters(request)
    report = rating_report(actor=request.user, filters=filters)
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rating-report-{timezone.localdate():%Y%m%d}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- 12333 callback --------------------------------------------------------------------------------------

@permit("service_ticket", "callback")
def ticket_callback(request, ticket_id: int):
    """回访: the agent records the caller's rating of a closed ticket (also included on the ticket page)."""
    ticket = get_for(request.user, Ticket.objects.select_related("case"), ticket_id, "callback")
    context = {"ticket": ticket, "caller_mobile": mask_mobile(ticket.caller_mobile),
               "callback": callback_context(request.user, ticket), "errors": {}, "error": "", "values": {}}
    if request.method != "POST":
        return render(request, "service/ratings/callback.html", context)
    score, note = _int(request.POST.get("score")), request.POST.get("note", "")
    try:
        rating = services.ticket_callback(actor=request.user, ticket=ticket, score=score, note=note)
    except FieldErrors as exc:
        return render(request, "service/ratings/callback.html",
                      {**context, "errors": exc.errors, "values": {"score": score, "note": note}}, status=422)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        return render(request, "service/ratings/callback.html",
                      {**context, "error": exc.message, "values": {"score": score, "note": note}}, status=exc.status)
    if rules.opens_follow_up(rating.score):
        messages.success(request, "回访已登记。来电人评价为差评，已进入差评整改。")
    else:
        messages.success(request, "回访已登记，感谢来电人的评价。")
    return redirect(_next(request, reverse("service:rating_ticket_callback", args=[ticket.pk])))


urlpatterns = [
    path("ratings/mine/", my_ratings, name="my_ratings"),
    path("ratings/follow-ups/", rating_followups, name="rating_followups"),
    path("ratings/follow-ups/<int:follow_up_id>/", rating_followup_close, name="rating_followup_close"),
    path("ratings/report/", rating_report_page, name="rating_report"),
    path("ratings/report.<str:fmt>", rating_report_export, name="rating_report_export"),
    path("ratings/tickets/<int:ticket_id>/callback/", ticket_callback, name="rating_ticket_callback"),
]
