"""工伤预防 reads: plans and projects of the actor's 统筹区, the year's cap, the priority industries
from the platform's own cases, and the report (spend against budget, sessions, trainees)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from gongshang.accounts.access import restrict
from gongshang.cases.models import InjuryCase
from gongshang.core.money import to_fen
from gongshang.core.regions import get_region
from gongshang.registry.choices import EnrolmentStatus, Industry, InsuranceType, RateClass
from gongshang.registry.models import Enrolment

from ..choices import PlanStatus, ProjectStatus, SessionStatus
from ..models import Attendance, FundIncome, PreventionPlan, PreventionProject, TrainingSession
from ..rules import prevention as rules
from ..rules import training as training_rules
from .settings import setting_for
from .training import session_scores

PAID = ProjectStatus.PAID
CONTRACTED_OR_LATER = (ProjectStatus.CONTRACTED, ProjectStatus.DELIVERED, ProjectStatus.ACCEPTED,
                       ProjectStatus.EVALUATED, ProjectStatus.PAID)
PROJECT_APPROVED_OR_LATER = (ProjectStatus.APPROVED, *CONTRACTED_OR_LATER)


def county_name(code: str) -> str:
    region = get_region(code)
    if region is None:
        return code
    return f"{region.name}（市本级）" if region.level == "city" else region.name


def plan_list(*, actor, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    qs = restrict(actor, PreventionPlan).select_related("submitted_by", "decided_by", "created_by")
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("county"):
        qs = qs.filter(county=filters["county"])
    return qs.order_by("-year", "county", "pk")


def project_list(*, actor, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    qs = restrict(actor, PreventionProject).select_related("plan", "accepted_by", "paid_by")
    if filters.get("plan"):
        qs = qs.filter(plan_id=filters["plan"])
    if filters.get("year"):
        qs = qs.filter(plan__year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class ProjectScore:
    sessions: int                   # sessions held or closed (a planned one never took place)
    open: int                       # held, not yet closed: their scores may still change
    scored: int                     # sessions with a score (at least one evaluation form)
    forms: int
    questionnaires: int
    score: Decimal | None           # the mean of the sessions' scores


def project_score(project: PreventionProject) -> ProjectScore:
    """The project's score: the mean of its sessions' scores, each session weighing its evaluation
    forms and questionnaires as on the session page (rules/training.project_score)."""
    sessions = list(project.sessions.exclude(status=SessionStatus.PLANNED).only("pk", "status"))
    scores = session_scores(sessions).values()
    return ProjectScore(
        sessions=len(sessions), open=sum(s.status == SessionStatus.HELD for s in sessions),
        scored=sum(s.score is not None for s in scores), forms=sum(s.form_count for s in scores),
        questionnaires=sum(s.questionnaire_count for s in scores),
        score=training_rules.project_score([s.score for s in scores]))


@dataclass(frozen=True)
class CapSummary:
    year: int
    income_year: int
    income: Decimal | None          # None: the previous year's income has not been entered
    percent: Decimal
    cap: Decimal | None
    approved: Decimal
    remaining: Decimal | None


def cap_summary(region: str, year: int) -> CapSummary:
    """The cap of `year` (from year-1's income), the approved plans and what remains."""
    income = FundIncome.objects.filter(region=region, year=year - 1).first()
    percent = setting_for(region, date(year, 1, 1)).prevention_cap_percent
    approved = to_fen(PreventionPlan.objects.filter(region=region, year=year, status=PlanStatus.APPROVED)
                      .aggregate(total=Sum("budget"))["total"] or 0)
    cap = rules.cap(income.contribution_income, percent) if income else None
    return CapSummary(year=year, income_year=year - 1, income=income.contribution_income if income else None,
                      percent=percent, cap=cap, approved=approved,
                      remaining=(cap - approved) if cap is not None else None)


def fund_income_list(*, actor) -> QuerySet:
    return restrict(actor, FundIncome).order_by("-year")


# --- priority industries --------------------------------------------------------------------------

@dataclass(frozen=True)
class IndustryRow:
    industry: str
    industry_label: str
    rate_class: int | None
    rate_class_label: str
    cases: int
    insured: int
    rate: Decimal | None            # cases per 1,000 insured (None when nobody insured is known)


def priority_industries(*, actor, today: date | None = None, limit: int = 5) -> list[IndustryRow]:
    """The accidents of the last 12 months among the 统筹区's cases, grouped by the employer's
    industry (GB/T 4754 门类) and 工伤保险行业风险类别, with the rate per 1,000 insured (active
    工伤保险 enrolments of the same employers' group): highest rate first, then most cases.
    Figures only (no person, no employer); the region is the actor's."""
    region = getattr(actor, "jurisdiction", "")
    if not region:
        return []
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=365), time.min))
    cases = (InjuryCase.objects.filter(region=region, accident__occurred_at__gte=since, employer__isnull=False)
             .values("employer__industry", "employer__rate_class").annotate(n=Count("pk")))
    insured = dict(((r["employer__industry"], r["employer__rate_class"]), r["n"]) for r in (
        Enrolment.objects.filter(employer__region=region, insurance_type=InsuranceType.INJURY,
                                 status=EnrolmentStatus.ACTIVE)
        .values("employer__industry", "employer__rate_class").annotate(n=Count("person", distinct=True))))
    rows = []
    for r in cases:
        industry, rate_class = r["employer__industry"] or "", r["employer__rate_class"]
        people = insured.get((r["employer__industry"], rate_class), 0)
        rows.append(IndustryRow(
            industry=industry, industry_label=str(Industry(industry).label) if industry else "行业未登记",
            rate_class=rate_class, rate_class_label=str(RateClass(rate_class).label) if rate_class else "未核定",
            cases=r["n"], insured=people, rate=rules.rate_per_thousand(r["n"], people)))
    rows.sort(key=lambda x: (x.rate is None, -(x.rate or 0), -x.cases, x.industry, x.rate_class or 0))
    return rows[:limit]


def suggested_industries(rows: list[IndustryRow]) -> str:
    """The text the plan form proposes for 重点行业 (the user may change it)."""
    seen = []
    for row in rows:
        if row.industry and row.industry_label not in seen:
            seen.append(row.industry_label)
    return "、".join(seen)


# --- the report -----------------------------------------------------------------------------------

@dataclass
class CountyRow:
    county: str
    county_name: str
    plan_id: int | None = None
    plan_status: str = ""
    plan_status_label: str = "未编制"
    budget: Decimal = Decimal("0.00")          # the plan's budget
    approved: Decimal = Decimal("0.00")        # projects approved (立项) or later: their budgets
    contracted: Decimal = Decimal("0.00")      # contract amounts signed
    paid: Decimal = Decimal("0.00")            # amounts paid
    projects: dict = field(default_factory=dict)   # status label → count
    sessions: int = 0
    trainees: int = 0

    @property
    def spend_percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.paid * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass
class Report:
    year: int
    cap: CapSummary
    rows: list[CountyRow]
    total: CountyRow


def prevention_report(*, actor, year: int) -> Report:
    """Per county of the actor's 统筹区, for `year`: the plan's budget, the projects' approved,
    contracted and paid amounts, projects by status, sessions held and trainees signed in."""
    plans = list(restrict(actor, PreventionPlan, "statistics").filter(year=year).order_by("county"))
    rows: dict[str, CountyRow] = {}
    for plan in plans:
        rows[plan.county] = CountyRow(county=plan.county, county_name=county_name(plan.county), plan_id=plan.pk,
                                      plan_status=plan.status, plan_status_label=str(plan.get_status_display()),
                                      budget=plan.budget)
    plan_ids = [p.pk for p in plans]
    county_of = {p.pk: p.county for p in plans}
    projects = PreventionProject.objects.filter(plan_id__in=plan_ids)
    for r in projects.values("plan_id", "status").annotate(
            n=Count("pk"), budget=Sum("budget"), contract=Sum("contract_amount"), payable=Sum("payable_amount")):
        row = rows[county_of[r["plan_id"]]]
        label = str(ProjectStatus(r["status"]).label)
        row.projects[label] = row.projects.get(label, 0) + r["n"]
        if r["status"] in PROJECT_APPROVED_OR_LATER:
            row.approved += to_fen(r["budget"] or 0)
        if r["status"] in CONTRACTED_OR_LATER:
            row.contracted += to_fen(r["contract"] or 0)
        if r["status"] == PAID:
            row.paid += to_fen(r["payable"] or 0)
    for r in (TrainingSession.objects.filter(project__plan_id__in=plan_ids)
              .exclude(status=SessionStatus.PLANNED)      # trainings given, not the ones planned
              .values("project__plan_id").annotate(n=Count("pk"))):
        rows[county_of[r["project__plan_id"]]].sessions += r["n"]
    for r in (Attendance.objects.filter(session__project__plan_id__in=plan_ids)
              .values("session__project__plan_id").annotate(n=Count("pk"))):
        rows[county_of[r["session__project__plan_id"]]].trainees += r["n"]
    total = CountyRow(county="", county_name="合计", plan_status_label="")
    for row in rows.values():
        total.budget += row.budget
        total.approved += row.approved
        total.contracted += row.contracted
        total.paid += row.paid
        total.sessions += row.sessions
        total.trainees += row.trainees
        for label, n in row.projects.items():
            total.projects[label] = total.projects.get(label, 0) + n
    region = getattr(actor, "jurisdiction", "")
    return Report(year=year, cap=cap_summary(region, year), rows=list(rows.values()), total=total)


def project_status_labels() -> list[str]:
    return [str(label) for value, label in ProjectStatus.choices]


def years_with_plans(*, actor) -> list[int]:
    return sorted(set(restrict(actor, PreventionPlan).values_list("year", flat=True)), reverse=True)

