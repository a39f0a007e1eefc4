"""Test helpers and fixtures of 入出院通知 (import with `from .factories_hospitals import *`): 张伟
(370202198803151237) at 海川机械 in 青岛 (370200) with an open case from an accident on 2026-02-20;
a 潍坊 (370700) worker with a case there; the fake 卫健委 writing the files; staff of each role.

Files are applied the way the batch service will: a batch row (shared factory) and the adapter's
`process(batch, stream)` called directly."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshang.accounts.choices import StaffRole
from gongshang.cases.services import accident_create, case_create
from gongshang.recognition.models import RecognitionApplication
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

from ..adapters import adapter_for
from ..choices import BatchKind, Partner
from ..fakes.hospitals import FakeHealthCommission
from .factories import ExchangeBatchFactory

ZHANG_WEI_ID = "370202198803151237"
WANG_JIANGUO_ID = "370203197506120030"   # a valid ID of nobody in the registry
WEIFANG_ID = "370211198509230045"


def hospital_batch(content: bytes, *, region: str = "370200", **kwargs):
    return ExchangeBatchFactory(content=content, region=region, partner=Partner.HEALTH,
                                kind=BatchKind.HOSPITAL_NOTICES, original_name="notices.csv", **kwargs)


def receive(content: bytes, *, region: str = "370200", **kwargs):
    """(batch, outcome) of a 卫健 file applied by the adapter."""
    batch = hospital_batch(content, region=region, **kwargs)
    outcome = adapter_for(Partner.HEALTH, BatchKind.HOSPITAL_NOTICES).process(batch, io.BytesIO(content))
    return batch, outcome


def make_case(person, employer, *, region: str = "370200", accident_on: date = date(2026, 2, 20), **injured):
    accident = accident_create(region=region, employer=employer, address="车间",
                               occurred_at=timezone.make_aware(datetime.combine(accident_on, datetime.min.time())
                                                               .replace(hour=9, minute=30)))
    data = {"name": person.name, "person": person, "employer": employer, **injured} if person else injured
    return case_create(actor=None, accident=accident, injured=data)


def make_recognition(case, creator, *, status: str = "delivered", result: str = "recognized"):
    decided = status in ("decided", "delivered")
    return RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"employer:{case.employer_id}", created_by=creator, status=status,
        applicant_kind="employer", person=case.person, employer=case.employer, injured_name=case.injured_name,
        decision_result=result if decided else "", decided_on=date(2026, 2, 28) if decided else None)


def make_entitlement(case, *, status: str = "active"):
    from gongshang.benefits.models import Entitlement

    return Entitlement.objects.create(
        case=case, region=case.region, person=case.person, beneficiary_name=case.injured_name,
        benefit_type="disability_allowance", period_kind="monthly", payer="fund", amount=Decimal("4200.00"),
        start_month=date(2026, 3, 1), status=status, basis="工伤保险条例 第三十五条", formula="6000.00 × 70%")


@pytest.fixture
def fake():
    return FakeHealthCommission()


@pytest.fixture
def person(employer_a):
    """张伟, enrolled at 海川机械 (370200)."""
    found = InsuredPersonFactory(id_number=ZHANG_WEI_ID, name="张伟", region="370200", mobile="13900000001")
    EnrolmentFactory(person=found, employer=employer_a)
    return found


@pytest.fixture
def open_case(person, employer_a):
    """张伟's case of an accident on 2026-02-20 (reported, not closed)."""
    return make_case(person, employer_a)


@pytest.fixture
def weifang_person(db):
    employer = EmployerFactory(uscc="91370700MA3XY1234K", name="潍坊演示单位", region="370700")
    found = InsuredPersonFactory(id_number=WEIFANG_ID, name="刘芳", region="370700", mobile="13900000009")
    EnrolmentFactory(person=found, employer=employer)
    found.demo_employer = employer
    return found


@pytest.fixture
def intake(staff_factory):
    return staff_factory(StaffRole.INTAKE, display_name="孙受理")


@pytest.fixture
def benefits_staff(staff_factory):
    return staff_factory(StaffRole.BENEFITS_REVIEWER, display_name="钱待遇")


@pytest.fixture
def exchange_staff(staff_factory):
    return staff_factory(StaffRole.EXCHANGE, display_name="杨交换")


@pytest.fixture
def weifang_intake(staff_factory):
    return staff_factory(StaffRole.INTAKE, jurisdiction="370700", display_name="潍坊受理")


def admitted(fake, person_id=ZHANG_WEI_ID, name="张伟", day="2026-03-02", **kwargs):
    """One admission file of the fake partner, applied: (batch, outcome, the notice)."""
    from ..models import HospitalNotice

    notice = fake.admission(person_id, name, day, **kwargs)
    batch, outcome = receive(fake.daily_file([notice]))
    return batch, outcome, HospitalNotice.objects.get(batch=batch)
