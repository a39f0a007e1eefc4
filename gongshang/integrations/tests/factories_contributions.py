"""Factories of the tax bureau's contribution files: a roster to compare against, a batch holding a
fake file (fakes/tax.py), the adapter run on it directly (the batch service is not needed), mismatches."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import factory

from gongshang.core.files.storage import open_stored
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

from ..adapters import adapter_for
from ..choices import BatchKind, MismatchKind, Partner
from ..fakes.tax import Payment, id_number_for, monthly_file, uscc_for
from ..models import ContributionMismatch
from .factories import ExchangeBatchFactory

MONTH = date(2026, 10, 1)


def tax_batch(content: bytes, *, region: str = "370200", name: str = "缴费明细.csv"):
    return ExchangeBatchFactory(content=content, region=region, partner=Partner.TAX, kind=BatchKind.CONTRIBUTIONS,
                                original_name=name)


def run(batch):
    """The tax adapter's process on the batch's stored file (what the batch service calls)."""
    with open_stored(batch.file) as stream:
        return adapter_for(Partner.TAX, BatchKind.CONTRIBUTIONS).process(batch, stream)


def receive(content: bytes, **kwargs):
    batch = tax_batch(content, **kwargs)
    return batch, run(batch)


@dataclass
class Roster:
    """An employer of the region with `size` people enrolled for 工伤 since 2020."""

    employer: object
    people: list = field(default_factory=list)
    wage: Decimal = Decimal("6000.00")

    def payments(self, month: date = MONTH, *, paid: bool = True, people=None) -> list[Payment]:
        return [Payment(self.employer.uscc, p.id_number, p.name, month, self.wage, paid)
                for p in (self.people if people is None else people)]

    def file(self, month: date = MONTH, **kwargs) -> bytes:
        return monthly_file(self.payments(month, **kwargs), month=month)


def roster(size: int = 3, *, n: int = 1, region: str = "370200", start: int = 0) -> Roster:
    employer = EmployerFactory(uscc=uscc_for(n, region=region), region=region, name=f"演示缴费单位{n}")
    people = [InsuredPersonFactory(id_number=id_number_for(start + i), name=f"职工{start + i}", region=region)
              for i in range(size)]
    for person in people:
        EnrolmentFactory(person=person, employer=employer, start_month=date(2020, 1, 1))
    return Roster(employer=employer, people=people)


class ContributionMismatchFactory(factory.django.DjangoModelFactory):
    """An open 已缴费但未参保登记 of an unknown person at the region's employer."""

    class Meta:
        model = ContributionMismatch

    batch = factory.SubFactory(ExchangeBatchFactory)
    region = factory.SelfAttribute("batch.region")
    kind = MismatchKind.PAID_NOT_ENROLLED
    employer = None
    employer_code = "91370200MA3C5UWK4C"
    person = None
    id_number = factory.Sequence(lambda n: id_number_for(900_000 + n))
    name = "王磊"
    month = MONTH
    wage_base = Decimal("5200.00")
