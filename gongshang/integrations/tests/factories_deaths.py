"""Test helpers of 死亡信息: a deaths batch run through the real adapter, a worker whose
entitlements two 待遇审核员 made and approved, payroll runs released the real way, and small
direct builders (an entitlement of a dependant, a released payment) where the services would
need a whole death case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
import pytest
from django.db import transaction

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Entitlement, Payment, PayrollRun
from gongshang.benefits.services import payroll
from gongshang.benefits.tests.factories import approved_case

from ..adapters import adapter_for
from ..choices import BatchKind, DeathStatus, Partner
from ..fakes import civil
from ..models import DeathRecord
from .factories import ExchangeBatchFactory


def deaths_batch(content: bytes, *, partner: str = Partner.CIVIL_AFFAIRS, region: str = "370200"):
    return ExchangeBatchFactory(content=content, partner=partner, kind=BatchKind.DEATHS, region=region,
                                original_name="deaths.csv")


def process(content: bytes, *, partner: str = Partner.CIVIL_AFFAIRS, region: str = "370200"):
    """(batch, outcome): the batch service's call — the adapter's process in one transaction."""
    from gongshang.core.files.storage import open_stored

    batch = deaths_batch(content, partner=partner, region=region)
    with transaction.atomic(), open_stored(batch.file) as stream:
        outcome = adapter_for(partner, BatchKind.DEATHS).process(batch, stream)
    return batch, outcome


def report(*deaths, partner: str = Partner.CIVIL_AFFAIRS, region: str = "370200"):
    return process(civil.deaths_file(deaths), partner=partner, region=region)


def death_of(person, day: date, **kwargs) -> civil.Death:
    return civil.Death(person.id_number, person.name, day, **kwargs)


def release(maker, checker, period: str) -> PayrollRun:
    """A run computed by `maker`, approved by `checker`, released by `maker` (not the approver)."""
    run = payroll.run_create(actor=maker, period=period, background=False)
    payroll.run_approve(actor=checker, run_id=run.pk)
    return payroll.run_release(actor=maker, run_id=run.pk)


def dependant_entitlement(case, *, name: str, id_number: str, amount=Decimal("2400.00"),
                          start_month=date(2025, 11, 1), status="active", person=None) -> Entitlement:
    """A 供养亲属抚恤金 of a dependant (written directly: the services need a whole death case)."""
    return Entitlement.objects.create(
        case=case, region=case.region, person=person, beneficiary_name=name, beneficiary_relation="配偶",
        beneficiary_id_number=id_number, benefit_type="dependant_pension", period_kind="monthly", payer="fund",
        amount=amount, start_month=start_month, status=status, basis="《工伤保险条例》第三十九条", formula="测试")


def paid_payment(entitlement, period: date, *, created_by, status="paid") -> Payment:
    """A payment of a released run of `period` (the run written directly when missing)."""
    run = PayrollRun.objects.filter(region=entitlement.region, period=period).first() or PayrollRun.objects.create(
        region=entitlement.region, period=period, status="released", created_by=created_by)
    return Payment.objects.create(run=run, entitlement=entitlement, period=period, region=entitlement.region,
                                  benefit_type=entitlement.benefit_type, payer="fund", amount=entitlement.amount,
                                  period_kind="monthly", status=status)


class DeathRecordFactory(factory.django.DjangoModelFactory):
    """A record as a batch leaves it (use `report` to apply one for real)."""

    class Meta:
        model = DeathRecord

    region = "370200"
    batch = factory.LazyAttribute(lambda o: deaths_batch(b"id_number,name,death_date\n", region=o.region))
    source = Partner.CIVIL_AFFAIRS
    id_number = factory.Sequence(lambda n: f"37020219500101{n:04d}")
    name = factory.Sequence(lambda n: f"逝者{n}")
    death_date = date(2026, 1, 5)
    status = DeathStatus.UNMATCHED


# --- fixtures (import them into a test module to use them) ------------------------------------------

@pytest.fixture
def reviewers(staff_factory):
    """(maker, checker): two 待遇审核员 of 370200 with mobiles (the staff notice goes to both)."""
    return (staff_factory(StaffRole.BENEFITS_REVIEWER, mobile="13700001001"),
            staff_factory(StaffRole.BENEFITS_REVIEWER, mobile="13700001002"))


@pytest.fixture
def worker(reviewers, zhang_wei, employer_a):
    """张伟, 三级伤残 from 2025-10-15: 伤残津贴 from 2025-11 approved; returns (case, 伤残津贴)."""
    maker, checker = reviewers
    case, _rows = approved_case(zhang_wei, employer_a, maker, checker, grade=3)
    allowance = Entitlement.objects.get(case=case, benefit_type="disability_allowance")
    return case, allowance
