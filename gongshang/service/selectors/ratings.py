"""好差评 reads: the ratings an account may see (its own; staff: their 统筹区), the follow-ups to work
(overdue first), and the report per office (统筹区 agency) and matter, by month, with exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.core.regions import full_name

from ..choices import FollowUpStatus, RatedMatter
from ..models import Rating, RatingFollowUp
from ..rules import ratings as rules

FOLLOW_UP_FILTERS = {"": "全部", "open": "整改中", "overdue": "已超期", "closed": "已办结"}


def rating_list(*, actor, filters: dict | None = None) -> QuerySet:
    """Ratings `actor` may view: an applicant its own, staff their 统筹区's; newest first."""
    filters = filters or {}
    qs = restrict(actor, Rating, "view").select_related("case", "rater", "recorded_by", "follow_up")
    if filters.get("matter"):
        qs = qs.filter(matter=filters["matter"])
    if filters.get("score"):
        qs = qs.filter(score=filters["score"])
    if filters.get("bad"):
        qs = qs.filter(score__in=rules.BAD_SCORES)
    return qs.order_by("-rated_at", "-pk")


def follow_up_list(*, actor, status: str = "", on: date | None = None) -> QuerySet:
    """The follow-ups of `actor`'s 统筹区: open ones first by due date (so the overdue lead), then the
    closed ones, most recently closed first."""
    today = on or timezone.localdate()
    qs = (restrict(actor, RatingFollowUp, "follow_up")
          .select_related("rating", "rating__case", "rating__rater", "rating__recorded_by", "closed_by", "assignee"))
    if status == "open":
        qs = qs.filter(status=FollowUpStatus.OPEN)
    elif status == "overdue":
        qs = qs.filter(status=FollowUpStatus.OPEN, due_date__lt=today)
    elif status == "closed":
        qs = qs.filter(status=FollowUpStatus.CLOSED)
    order = Case(When(status=FollowUpStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(closed_last=order).order_by("closed_last", "due_date", F("closed_at").desc(nulls_last=True), "pk")


# --- the report ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    matter: str = ""


def _aggregates(today: date) -> dict:
    closed = Q(follow_up__status=FollowUpStatus.CLOSED)
    return {
        "count": Count("pk"),
        "score_total": Sum("score"),
        "good": Count("pk", filter=Q(score__in=rules.GOOD_SCORES)),
        "bad": Count("pk", filter=Q(score__in=rules.BAD_SCORES)),
        # Closed by the due date in local time (Asia/Shanghai): __date converts with the current zone.
        "follow_ups_on_time": Count("pk", filter=closed & Q(follow_up__closed_at__date__lte=F("follow_up__due_date"))),
        "follow_ups_late": Count("pk", filter=closed & Q(follow_up__closed_at__date__gt=F("follow_up__due_date"))),
        "follow_ups_open": Count("pk", filter=Q(follow_up__status=FollowUpStatus.OPEN)),
        "follow_ups_overdue": Count("pk", filter=Q(follow_up__status=FollowUpStatus.OPEN, follow_up__due_date__lt=today)),
    }


FIGURE_KEYS = ("count", "score_total", "good", "bad", "follow_ups_on_time", "follow_ups_late", "follow_ups_open",
               "follow_ups_overdue")


def _figures(row: dict) -> rules.Figures:
    return rules.Figures(*(int(row.get(k) or 0) for k in FIGURE_KEYS))


def report_queryset(*, actor, filters: ReportFilters) -> QuerySet:
    qs = restrict(actor, Rating, "statistics")
    if filters.date_from:
        qs = qs.filter(rated_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(rated_at__date__lte=filters.date_to)
    if filters.matter:
        qs = qs.filter(matter=filters.matter)
    return qs


def rating_report(*, actor, filters: ReportFilters, on: date | None = None) -> dict:
    """{"rows": per office and matter, "months": per month, "total"}: each with its Figures."""
    today = on or timezone.localdate()
    qs = report_queryset(actor=actor, filters=filters).order_by()
    aggregates = _aggregates(today)
    labels = dict(RatedMatter.choices)
    rows = [{"region": r["region"], "region_name": full_name(r["region"]) or r["region"], "matter": r["matter"],
             "matter_label": str(labels.get(r["matter"], r["matter"])), "figures": _figures(r)}
            for r in qs.values("region", "matter").annotate(**aggregates).order_by("region", "matter")]
    months = [{"month": timezone.localtime(r["month"]).date() if hasattr(r["month"], "hour") else r["month"],
               "figures": _figures(r)}
              for r in qs.annotate(month=TruncMonth("rated_at")).values("month").annotate(**aggregates).order_by("month")]
    total = _figures(qs.aggregate(**aggregates))
    return {"rows": rows, "months": months, "total": total, "filters": filters, "on": today}


# --- exports ---------------------------------------------------------------------------------------------

HEADER = ["经办机构（统筹区）", "评价事项", "评价数", "平均分", "好评数（满意及以上）", "好评率（%）", "差评数", "差评率（%）",
          "整改按时办结", "整改超期办结", "整改中", "其中已超期", "整改按时办结率（%）"]
MONTH_HEADER = ["月份", *HEADER[2:]]


def _numbers(f: rules.Figures) -> list:
    def text(value):
        return "" if value is None else str(value)

    return [f.count, text(f.average), f.good, text(f.good_share), f.bad, text(f.bad_share), f.follow_ups_on_time,
            f.follow_ups_late, f.follow_ups_open, f.follow_ups_overdue, text(f.on_time_share)]


def report_lines(report: dict) -> tuple[list[list], list[list]]:
    """(per office and matter with a total line, per month) as rows of cells."""
    office = [[r["region_name"], r["matter_label"], *_numbers(r["figures"])] for r in report["rows"]]
    office.append(["合计", "", *_numbers(report["total"])])
    months = [[f"{m['month']:%Y-%m}", *_numbers(m["figures"])] for m in report["months"]]
    return office, months


def report_csv(report: dict) -> str:
    office, months = report_lines(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(office)
    writer.writerow([])
    writer.writerow(MONTH_HEADER)
    writer.writerows(months)
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 CSV correctly


def report_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook

    office, months = report_lines(report)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("按经办机构和事项")
    sheet.append(HEADER)
    for line in office:
        sheet.append(line)
    sheet = book.create_sheet("按月")
    sheet.append(MONTH_HEADER)
    for line in months:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
