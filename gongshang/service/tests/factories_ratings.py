"""Test helpers and fixtures of 好差评 (import with `from .factories_ratings import *`): 张伟's case
at 海川机械 (370200) and a case in 潍坊 (370700); each matter written directly in the status a test
needs (later stages start there); the hotline agent, the window, the leader."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.cases.services import accident_create, case_create
from gongshang.recognition.models import RecognitionApplication
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

from ..models import Rating, RatingFollowUp, Ticket, WindowRequest

_numbers = itertools.count(1)


def make_case(person, employer, *, region="370200"):
    accident = accident_create(region=region, occurred_at=timezone.make_aware(datetime(2026, 1, 5, 9, 30)),
                               employer=employer, address="车间")
    return case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "employer": employer})


def make_recognition(case, creator, *, status="delivered"):
    return RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"employer:{case.employer_id}", created_by=creator, status=status,
        applicant_kind="employer", person=case.person, employer=case.employer, injured_name=case.injured_name,
        decision_result="recognized" if status in ("decided", "delivered") else "",
        decided_on=date(2026, 2, 1) if status in ("decided", "delivered") else None,
        delivered_on=date(2026, 2, 5) if status == "delivered" else None)


def make_appraisal(case, creator, *, status="concluded"):
    from gongshang.appraisal.tests.factories import make_application

    return make_application(case=case, creator=creator, status=status,
                            concluded_on=date(2026, 3, 1) if status in ("concluded", "delivered") else None)


def make_entitlement(case, *, status="active", approved=True):
    from gongshang.benefits.models import Entitlement

    return Entitlement.objects.create(
        case=case, region=case.region, person=case.person, beneficiary_name=case.injured_name,
        benefit_type="one_time_disability_subsidy", period_kind="once", payer="fund", amount=Decimal("54000.00"),
        start_month=date(2026, 3, 1), status=status, basis="工伤保险条例 第三十五条", formula="6000.00 × 9",
        approved_at=timezone.now() if approved else None)


def make_window(case, creator, *, status="closed"):
    recognition = make_recognition(case, creator, status="delivered")
    return WindowRequest.objects.create(region=case.region, case=case, recognition=recognition, channel="window",
                                        status=status, created_by=creator)


def make_ticket(creator, *, region="370200", status="closed", mobile="13900000001", case=None):
    n = next(_numbers)
    now = timezone.now()
    return Ticket.objects.create(
        region=region, number=f"RX{region}{n:06d}", channel="phone", category="consultation", status=status,
        caller_name="张伟", caller_mobile=mobile, summary="咨询工伤认定进度", case=case,
        due_at=now + timedelta(days=2), closed_at=now if status == "closed" else None, created_by=creator)


def make_bad_rating(rater, case, *, score=1, due=date(2026, 3, 17), matter="recognition", matter_id=None):
    """A bad rating with its open follow-up (written directly: tests of the follow-up start here)."""
    rating = Rating.objects.create(region=case.region, matter=matter, matter_id=matter_id or case.pk, case=case,
                                   score=score, comment="等了很久没人回电话", rater=rater)
    return rating, RatingFollowUp.objects.create(rating=rating, region=case.region, due_date=due)


@pytest.fixture
def worker(zhang_wei):
    """张伟's individual account (bound to his person, mobile 13900000001)."""
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def case(zhang_wei, employer_a):
    return make_case(zhang_wei, employer_a)


@pytest.fixture
def hotline(staff_factory):
    return staff_factory(StaffRole.HOTLINE, display_name="褚坐席")


@pytest.fixture
def window_staff(staff_factory):
    return staff_factory(StaffRole.WINDOW, display_name="王窗口")


@pytest.fixture
def leader(staff_factory):
    return staff_factory(StaffRole.LEADER, display_name="韩领导")


@pytest.fixture
def other_hotline(staff_factory):
    """热线坐席 of 潍坊 (370700): another 统筹区."""
    return staff_factory(StaffRole.HOTLINE, jurisdiction="370700", display_name="潍坊坐席")


@pytest.fixture
def weifang_case(db):
    employer = EmployerFactory(uscc="91370700MA3XY1234K", name="潍坊演示单位", region="370700")
    person = InsuredPersonFactory(name="王强", region="370700", mobile="13900000009")
    EnrolmentFactory(person=person, employer=employer)
    return make_case(person, employer, region="370700")
