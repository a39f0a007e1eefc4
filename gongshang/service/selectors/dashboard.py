"""领导驾驶舱: the figures of one 统筹区 by month — cases by stage, recognition deadlines met and
missed, hotline volume and response times, ratings, prevention spend, benefits paid.

Figures, never rows: the 分管领导 reaches no case, person or ticket (the matrix gives the role only
`dashboard`), so this module reads the models of each stage directly, filtered by the leader's own
统筹区, after checking `dashboard.view`. Every figure is one aggregate query grouped by month
(TruncMonth, the same on SQLite and PostgreSQL); the number of queries does not grow with the rows.

The one pass in Python is the recognition decision deadline: once an application is decided its
stored `due_on` holds the delivery deadline, so the decision deadline of each application decided
in the window is recomputed by the deadline engine (core.workdays) from the stored facts (accepted
on, simple procedure, green channel, local promise, 中止 periods), with one calendar, the local
promises and the suspensions each loaded once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.appraisal.choices import ApplicationStatus as AppraisalStatus
from gongshang.appraisal.models import AppraisalApplication
from gongshang.benefits.choices import EntitlementStatus, PaymentStatus
from gongshang.benefits.models import Entitlement, Payment
from gongshang.cases.choices import CaseStatus
from gongshang.cases.models import InjuryCase
from gongshang.core.money import to_fen
from gongshang.core.regions import pooling_region_of
from gongshang.core.workdays.calendar import ChineseCalendar
from gongshang.core.workdays.rules import due_date
from gongshang.recognition.choices import ApplicationStatus as RecognitionStatus
from gongshang.recognition.models import JurisdictionSetting, RecognitionApplication
from gongshang.recognition.rules import deadlines as recognition_deadlines
from gongshang.recognition.rules import workflow as recognition_workflow

from ..choices import FollowUpStatus, PlanStatus, ProjectStatus
from ..models import PreventionPlan, PreventionProject, Rating, RatingFollowUp, Ticket

MAX_MONTHS = 24
DEFAULT_MONTHS = 12
BAD_SCORES = (1, 2)  # 国办发〔2019〕51号: of five levels, the lowest two are bad
ZERO = Decimal("0.00")


class RangeError(ValueError):
    """The month range asked for is not usable (the caller answers 422 naming `field`)."""

    def __init__(self, message: str, field: str = "start"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MonthRange:
    first: date  # the first day of the first month
    last: date  # the first day of the last month

    @property
    def months(self) -> list[date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = _next_month(month)
        return found

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end_day, time.min))

    @property
    def end_day(self) -> date:
        """The first day after the range."""
        return _next_month(self.last)


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def _month_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def month_range(*, today: date, start: date | None = None, end: date | None = None) -> MonthRange:
    """The months shown: by default the 12 months up to `today`'s; at most 24."""
    last = (end or today).replace(day=1)
    if last > today.replace(day=1):  # a month not yet begun has no figures
        raise RangeError(f"截止月份不能晚于本月（{_key(today)}）。", field="end")
    first = (start or _month_back(last, DEFAULT_MONTHS - 1)).replace(day=1)
    if first > last:
        raise RangeError("起始月份不能晚于截止月份。")
    if len(MonthRange(first, last).months) > MAX_MONTHS:
        raise RangeError(f"一次最多统计 {MAX_MONTHS} 个月，请缩小月份范围。")
    return MonthRange(first, last)


def _key(value) -> str:
    """A month as 'YYYY-MM' (TruncMonth answers a date or an aware datetime)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year:04d}-{value.month:02d}"


def _by_month(rows, *fields) -> dict[str, dict]:
    return {_key(row["month"]): {f: row[f] for f in fields} for row in rows if row["month"] is not None}


def _status_counts(queryset, choices) -> list[dict]:
    counts = dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())
    return [{"status": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in choices if counts.get(value, 0)]


# --- the stages (now) -------------------------------------------------------------------------------------

def stages(region: str) -> dict:
    """How many cases, applications and entitlements stand at each status today."""
    recognition = RecognitionApplication.objects.filter(region=region).exclude(
        status__in=[RecognitionStatus.DRAFT, RecognitionStatus.DELETED])
    appraisal = AppraisalApplication.objects.filter(region=region).exclude(
        status__in=[AppraisalStatus.DRAFT, AppraisalStatus.DELETED])
    return {
        "cases": _status_counts(InjuryCase.objects.filter(region=region), CaseStatus.choices),
        "recognition": _status_counts(recognition, RecognitionStatus.choices),
        "appraisal": _status_counts(appraisal, AppraisalStatus.choices),
        "entitlements": _status_counts(Entitlement.objects.filter(region=region), EntitlementStatus.choices),
    }


# --- by month -------------------------------------------------------------------------------------------

def new_cases(region: str, months: MonthRange) -> dict[str, dict]:
    rows = (InjuryCase.objects.filter(region=region, created_at__gte=months.start_at, created_at__lt=months.end_at)
            .annotate(month=TruncMonth("created_at")).values("month").annotate(new_cases=Count("pk")).order_by())
    return _by_month(rows, "new_cases")


def _local_promises(regions) -> dict[str, list]:
    codes = set(regions) | {pooling_region_of(r) or "" for r in regions}
    found: dict[str, list] = {}
    for row in JurisdictionSetting.objects.filter(region__in=[c for c in codes if c]).order_by("-valid_from"):
        found.setdefault(row.region, []).append(row)
    return found


def _promise(promises, region: str, on: date) -> recognition_deadlines.LocalPromise | None:
    """The promise in force on `on` for the handling region, else its 统筹区 (recognition.deadlines)."""
    for code in dict.fromkeys([region, pooling_region_of(region) or ""]):
        for row in promises.get(code, ()):
            if row.valid_from <= on and (row.valid_to is None or row.valid_to >= on):
                return recognition_deadlines.LocalPromise(
                    acceptance_days=row.acceptance_days, decision_days=row.decision_days,
                    simple_decision_days=row.simple_decision_days, name=row.name)
    return None


def recognition_deadlines_by_month(region: str, months: MonthRange) -> dict[str, dict]:
    """Decisions made in each month, and how many within the decision deadline (条例 第二十条:
    60 days, 15 for clear cases, a local promise may be shorter, 中止 stops the clock)."""
    decided = list(
        RecognitionApplication.objects.filter(region=region, decided_on__gte=months.first,
                                              decided_on__lt=months.end_day, accepted_on__isnull=False)
        .select_related("case").prefetch_related("suspensions")
        .only("pk", "region", "handling_region", "accepted_on", "decided_on", "simple_procedure",
              "from_quick_report", "case__green_channel"))
    promises = _local_promises({a.handling_region or a.region for a in decided})
    calendar = ChineseCalendar(months.first.year - 1, months.last.year + 1)
    result: dict[str, dict] = {}
    for application in decided:
        spec = recognition_deadlines.decision_spec(
            simple=application.simple_procedure,
            green_channel=bool(application.from_quick_report and application.case.green_channel),
            local=_promise(promises, application.handling_region or application.region, application.accepted_on))
        suspensions = [(s.started_on, s.ended_on) for s in application.suspensions.all()
                       if s.ended_on is None or s.ended_on >= s.started_on]
        due = due_date(application.accepted_on, spec.length, spec.unit, calendar, suspensions).due
        month = result.setdefault(_key(application.decided_on), {"decided": 0, "met": 0, "missed": 0})
        month["decided"] += 1
        month["met" if due is None or application.decided_on <= due else "missed"] += 1
    return result


def recognition_overdue_now(region: str, today: date) -> int:
    """Open applications whose stored next due date (acceptance, decision or delivery) has passed."""
    return RecognitionApplication.objects.filter(region=region, status__in=list(recognition_workflow.OPEN),
                                                 due_on__lt=today).exclude(
        status=RecognitionStatus.SUSPENDED).count()


def hotline_by_month(region: str, months: MonthRange) -> dict[str, dict]:
    """Tickets filed each month: how many, answered, the average hours to the first answer (reply,
    else closing), answered within the due time or not (still open past it counts as missed)."""
    now = timezone.now()
    answered_at = Coalesce("replied_at", "closed_at")
    response = ExpressionWrapper(answered_at - F("created_at"), output_field=DurationField())
    rows = (Ticket.objects.filter(region=region, created_at__gte=months.start_at, created_at__lt=months.end_at)
            .annotate(month=TruncMonth("created_at"), answered_at=answered_at)
            .values("month")
            .annotate(tickets=Count("pk"),
                      answered=Count("pk", filter=Q(answered_at__isnull=False)),
                      response=Avg(response, filter=Q(answered_at__isnull=False)),
                      met=Count("pk", filter=Q(answered_at__lte=F("due_at"))),
                      missed=Count("pk", filter=Q(answered_at__gt=F("due_at"))
                                   | Q(answered_at__isnull=True, due_at__lt=now)))
            .order_by())
    found = _by_month(rows, "tickets", "answered", "response", "met", "missed")
    for month in found.values():
        delta = month.pop("response")
        month["response_hours"] = (Decimal(str(delta.total_seconds())) / 3600).quantize(Decimal("0.1")) \
            if delta is not None else None
    return found


def ratings_by_month(region: str, months: MonthRange) -> dict[str, dict]:
    rows = (Rating.objects.filter(region=region, rated_at__gte=months.start_at, rated_at__lt=months.end_at)
            .annotate(month=TruncMonth("rated_at")).values("month")
            .annotate(ratings=Count("pk"), score_sum=Sum("score"),
                      bad=Count("pk", filter=Q(score__in=BAD_SCORES)))
            .order_by())
    found = _by_month(rows, "ratings", "score_sum", "bad")
    for month in found.values():
        total = month.pop("score_sum")
        month["average"] = (Decimal(total) / month["ratings"]).quantize(Decimal("0.01")) if month["ratings"] else None
    return found


def follow_ups_late_by_month(region: str, months: MonthRange, today: date) -> dict[str, dict]:
    """Bad-rating follow-ups due in each month and closed after their date, or still open past it."""
    rows = (RatingFollowUp.objects.filter(region=region, due_date__gte=months.first, due_date__lt=months.end_day)
            .annotate(month=TruncMonth("due_date")).values("month")
            .annotate(follow_ups=Count("pk"),
                      late=Count("pk", filter=Q(status=FollowUpStatus.OPEN, due_date__lt=today)
                                 | Q(closed_at__date__gt=F("due_date"))))
            .order_by())
    return _by_month(rows, "follow_ups", "late")


def prevention_paid_by_month(region: str, months: MonthRange) -> dict[str, dict]:
    rows = (PreventionProject.objects.filter(region=region, status=ProjectStatus.PAID, paid_at__gte=months.start_at,
                                             paid_at__lt=months.end_at)
            .annotate(month=TruncMonth("paid_at")).values("month")
            .annotate(prevention_paid=Sum(Coalesce("payable_amount", "contract_amount", "budget")))
            .order_by())
    return _by_month(rows, "prevention_paid")


def prevention_by_year(region: str, months: MonthRange) -> list[dict]:
    """工伤预防费 per plan year: the approved plans' budgets and what the projects were paid."""
    years = list(range(months.first.year, months.last.year + 1))
    budgets = dict(PreventionPlan.objects.filter(region=region, year__in=years, status=PlanStatus.APPROVED)
                   .values_list("year").annotate(total=Sum("budget")).order_by())
    paid = dict(PreventionProject.objects.filter(region=region, plan__year__in=years, status=ProjectStatus.PAID)
                .values_list("plan__year")
                .annotate(total=Sum(Coalesce("payable_amount", "contract_amount", "budget"))).order_by())
    return [{"year": y, "budget": to_fen(budgets.get(y) or ZERO), "paid": to_fen(paid.get(y) or ZERO)}
            for y in years]


def benefits_paid_by_month(region: str, months: MonthRange) -> dict[str, dict]:
    """Benefit payments confirmed paid (到账), by the month they reached the account (else their period)."""
    paid_month = Coalesce("paid_on", "period")
    rows = (Payment.objects.filter(region=region, status=PaymentStatus.PAID)
            .annotate(day=paid_month).filter(day__gte=months.first, day__lt=months.end_day)
            .annotate(month=TruncMonth("day")).values("month")
            .annotate(benefits_paid=Sum("amount"), payments=Count("pk")).order_by())
    return _by_month(rows, "benefits_paid", "payments")


# --- the whole --------------------------------------------------------------------------------------------

SERIES_FIELDS = {
    "new_cases": 0, "recognition_decided": 0, "recognition_met": 0, "recognition_missed": 0,
    "tickets": 0, "tickets_answered": 0, "ticket_response_hours": None, "tickets_met": 0, "tickets_missed": 0,
    "ratings": 0, "rating_average": None, "ratings_bad": 0, "follow_ups": 0, "follow_ups_late": 0,
    "prevention_paid": ZERO, "benefits_paid": ZERO, "payments": 0,
}
SUMMED = ("new_cases", "recognition_decided", "recognition_met", "recognition_missed", "tickets",
          "tickets_answered", "tickets_met", "tickets_missed", "ratings", "ratings_bad", "follow_ups",
          "follow_ups_late", "prevention_paid", "benefits_paid", "payments")


def dashboard(*, actor, start: date | None = None, end: date | None = None, today: date | None = None) -> dict:
    """The leader's figures for their own 统筹区 (403 without `dashboard.view`; RangeError on a bad range)."""
    require(actor, "dashboard", "view")
    region = actor.jurisdiction
    today = today or timezone.localdate()
    months = month_range(today=today, start=start, end=end)
    cases = new_cases(region, months)
    recognition = recognition_deadlines_by_month(region, months)
    hotline = hotline_by_month(region, months)
    ratings = ratings_by_month(region, months)
    follow_ups = follow_ups_late_by_month(region, months, today)
    prevention = prevention_paid_by_month(region, months)
    benefits = benefits_paid_by_month(region, months)
    series = []
    for month in months.months:
        key = _key(month)
        row = {"month": key, **SERIES_FIELDS}
        row["new_cases"] = cases.get(key, {}).get("new_cases", 0)
        rec = recognition.get(key, {})
        row.update(recognition_decided=rec.get("decided", 0), recognition_met=rec.get("met", 0),
                   recognition_missed=rec.get("missed", 0))
        hot = hotline.get(key, {})
        row.update(tickets=hot.get("tickets", 0), tickets_answered=hot.get("answered", 0),
                   ticket_response_hours=hot.get("response_hours"), tickets_met=hot.get("met", 0),
                   tickets_missed=hot.get("missed", 0))
        rat = ratings.get(key, {})
        row.update(ratings=rat.get("ratings", 0), rating_average=rat.get("average"), ratings_bad=rat.get("bad", 0))
        fol = follow_ups.get(key, {})
        row.update(follow_ups=fol.get("follow_ups", 0), follow_ups_late=fol.get("late", 0))
        row["prevention_paid"] = to_fen(prevention.get(key, {}).get("prevention_paid") or ZERO)
        ben = benefits.get(key, {})
        row.update(benefits_paid=to_fen(ben.get("benefits_paid") or ZERO), payments=ben.get("payments", 0))
        series.append(row)
    totals = {field: sum((row[field] for row in series), ZERO if isinstance(SERIES_FIELDS[field], Decimal) else 0)
              for field in SUMMED}
    return {
        "region": region, "start": _key(months.first), "end": _key(months.last), "today": today,
        "stages": stages(region), "series": series, "totals": totals,
        "recognition_overdue_now": recognition_overdue_now(region, today),
        "tickets_overdue_now": Ticket.objects.filter(region=region, replied_at__isnull=True, closed_at__isnull=True,
                                                     due_at__lt=timezone.now()).count(),
        "follow_ups_open": RatingFollowUp.objects.filter(region=region, status=FollowUpStatus.OPEN).count(),
        "prevention_years": prevention_by_year(region, months),
    }
