"""A small world for the 领导驾驶舱 with figures known by hand (written directly: the dashboard
reads each stage's models, whatever service wrote them). Today is 2026-11-15 in the tests."""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.appraisal.tests.factories import make_application
from gongshang.benefits.models import Entitlement, PayrollRun
from gongshang.benefits.models import Payment as BenefitPayment
from gongshang.cases.models import InjuryCase
from gongshang.cases.services import accident_create, case_create
from gongshang.recognition.models import RecognitionApplication, RecognitionSuspension
from gongshang.service.models import (
    PreventionPlan,
    PreventionProject,
    Rating,
    RatingFollowUp,
    Ticket,
)

TZ = ZoneInfo("Asia/Shanghai")
HOME = "370200"
OTHER = "370211"
TODAY = date(2026, 11, 15)
_numbers = itertools.count(1)


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@dataclass
class DashboardWorld:
    leader: object
    staff: object
    cases: list = field(default_factory=list)


def make_case(region: str, *, created: datetime, status: str = "opened") -> InjuryCase:
    accident = accident_create(region=region, occurred_at=created, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": f"职工{next(_numbers)}"})
    InjuryCase.objects.filter(pk=case.pk).update(created_at=created, status=status)
    case.refresh_from_db()
    return case


def make_recognition(case, creator, *, status="decided", accepted_on=None, decided_on=None, simple=False,
                     due_on=None, suspensions=()) -> RecognitionApplication:
    application = RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"user:{creator.pk}", created_by=creator, status=status,
        applicant_kind="employer", injured_name=case.injured_name, accepted_on=accepted_on, decided_on=decided_on,
        simple_procedure=simple, due_on=due_on, received_on=accepted_on)
    for started, ended in suspensions:
        RecognitionSuspension.objects.create(application=application, started_on=started, ended_on=ended,
                                             reason="等待司法机关结论", started_by=creator)
    return application


def make_ticket(region, creator, *, created, due, replied=None, closed=None) -> Ticket:
    ticket = Ticket.objects.create(
        region=region, number=f"RX{next(_numbers):08d}", channel="phone", category="consultation",
        summary="咨询工伤认定材料", due_at=due, replied_at=replied, closed_at=closed, created_by=creator,
        status="closed" if closed else ("replied" if replied else "open"))
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
    return ticket


def make_rating(region, *, score, rated, follow_up_due=None, closed=None) -> Rating:
    rating = Rating.objects.create(region=region, matter="ticket", matter_id=next(_numbers), score=score)
    Rating.objects.filter(pk=rating.pk).update(rated_at=rated)
    if follow_up_due is not None:
        RatingFollowUp.objects.create(rating=rating, region=region, due_date=follow_up_due,
                                      status="closed" if closed else "open", closed_at=closed)
    return rating


def make_plan(region, creator, *, year, budget, status="approved") -> PreventionPlan:
    return PreventionPlan.objects.create(region=region, county=region[:4] + "02", year=year, title=f"{year}年度计划",
                                         budget=Decimal(budget), status=status, created_by=creator)


def make_project(plan, creator, *, budget, paid_at=None, payable=None, contract=None, status="paid"):
    return PreventionProject.objects.create(
        plan=plan, region=plan.region, title=f"培训项目{next(_numbers)}", kind="training", budget=Decimal(budget),
        status=status, paid_at=paid_at, payable_amount=None if payable is None else Decimal(payable),
        contract_amount=None if contract is None else Decimal(contract), created_by=creator)


def make_entitlement(case, *, status="active", amount="1000.00") -> Entitlement:
    return Entitlement.objects.create(
        case=case, region=case.region, beneficiary_name="职工", benefit_type="disability_allowance",
        period_kind="monthly", payer="fund", amount=Decimal(amount), start_month=date(2026, 1, 1), status=status,
        basis="条例第三十五条", formula="本人工资×90%")


def make_payment(entitlement, run, *, amount, status="paid", paid_on=None, period=None) -> BenefitPayment:
    return BenefitPayment.objects.create(
        run=run, entitlement=entitlement, period=period or run.period, region=run.region,
        benefit_type=entitlement.benefit_type, payer="fund", amount=Decimal(amount), status=status, paid_on=paid_on)


def dashboard_world() -> DashboardWorld:
    """The figures the tests expect (month 2026-10 unless said):
    cases: 2 new in October, 1 in November (+1 in the other region, never counted);
    recognition decided in October: 3 — A met (50 of 60 days), B missed (75 days), C met only because
      its 6 days of 中止 stop the 15-day clock; D investigating and overdue now;
    tickets: October 2 (4 h and 264 h: average 134.0 h; one in time, one late), November 1 filed at
      00:30 on 1 November (unanswered, past due: missed);
    ratings: October 5, 4, 1 (average 3.33, 1 bad, its follow-up closed late); November 5, 2 (3.50, its
      follow-up open past due);
    prevention: plans 2025 ¥200,000 and 2026 ¥300,000 approved; paid 2025-12 ¥10,000, 2026-06 ¥50,000
      (the contract amount: no payable amount), 2026-10 ¥80,000;
    benefits: paid ¥1,000.00 on 2026-10-10, ¥234.56 of period 2026-09 (no 到账 date), a pending one.
    """
    leader = StaffUserFactory(roles=["leader"], jurisdiction=HOME, display_name="韩领导")
    staff = StaffUserFactory(roles=["reviewer"], jurisdiction=HOME)
    other_staff = StaffUserFactory(roles=["reviewer"], jurisdiction=OTHER)
    world = DashboardWorld(leader=leader, staff=staff)

    c1 = make_case(HOME, created=at(2026, 10, 5))
    c2 = make_case(HOME, created=at(2026, 10, 6))
    c3 = make_case(HOME, created=at(2026, 11, 3), status="reported")
    other_case = make_case(OTHER, created=at(2026, 10, 7))
    world.cases = [c1, c2, c3]

    make_recognition(c1, staff, accepted_on=date(2026, 9, 1), decided_on=date(2026, 10, 20))
    make_recognition(c2, staff, status="delivered", accepted_on=date(2026, 8, 1), decided_on=date(2026, 10, 15))
    make_recognition(c1, staff, accepted_on=date(2026, 10, 1), decided_on=date(2026, 10, 20), simple=True,
                     suspensions=[(date(2026, 10, 5), date(2026, 10, 10))])
    make_recognition(c3, staff, status="investigating", accepted_on=date(2026, 9, 10), due_on=date(2026, 11, 9))
    make_recognition(other_case, other_staff, accepted_on=date(2026, 6, 1), decided_on=date(2026, 10, 20))

    make_application(case=c2, creator=staff, status="submitted")

    make_ticket(HOME, staff, created=at(2026, 10, 8), replied=at(2026, 10, 8, 13), due=at(2026, 10, 10, 17))
    make_ticket(HOME, staff, created=at(2026, 10, 9), closed=at(2026, 10, 20), due=at(2026, 10, 12, 17))
    make_ticket(HOME, staff, created=at(2026, 11, 1, 0, 30), due=at(2026, 11, 4, 17))
    make_ticket(OTHER, other_staff, created=at(2026, 10, 8), due=at(2026, 10, 9, 17))

    make_rating(HOME, score=5, rated=at(2026, 10, 11))
    make_rating(HOME, score=4, rated=at(2026, 10, 12))
    make_rating(HOME, score=1, rated=at(2026, 10, 13), follow_up_due=date(2026, 10, 20), closed=at(2026, 10, 25))
    make_rating(HOME, score=5, rated=at(2026, 11, 2))
    make_rating(HOME, score=2, rated=at(2026, 11, 3), follow_up_due=date(2026, 11, 10))
    make_rating(OTHER, score=1, rated=at(2026, 10, 11))

    plan_2025 = make_plan(HOME, staff, year=2025, budget="200000.00")
    plan_2026 = make_plan(HOME, staff, year=2026, budget="300000.00")
    make_plan(HOME, staff, year=2027, budget="999.00", status="draft")
    make_project(plan_2025, staff, budget="12000.00", paid_at=at(2025, 12, 20), payable="10000.00")
    make_project(plan_2026, staff, budget="60000.00", paid_at=at(2026, 6, 1), contract="50000.00")
    make_project(plan_2026, staff, budget="90000.00", paid_at=at(2026, 10, 30), payable="80000.00")
    make_project(plan_2026, staff, budget="5000.00", status="approved")
    other_plan = make_plan(OTHER, other_staff, year=2026, budget="100000.00")
    make_project(other_plan, other_staff, budget="7000.00", paid_at=at(2026, 10, 3), payable="7000.00")

    active = make_entitlement(c1)
    make_entitlement(c2, status="pending")
    run = PayrollRun.objects.create(region=HOME, period=date(2026, 10, 1), status="released", created_by=staff)
    make_payment(active, run, amount="1000.00", paid_on=date(2026, 10, 10))
    make_payment(active, run, amount="234.56", period=date(2026, 9, 1))
    make_payment(active, run, amount="500.00", status="pending", period=date(2026, 8, 1))
    other_run = PayrollRun.objects.create(region=OTHER, period=date(2026, 10, 1), status="released",
                                          created_by=other_staff)
    make_payment(make_entitlement(other_case), other_run, amount="777.00", paid_on=date(2026, 10, 10))
    return world
