"""Factories and helpers of 身份核验 tests: checks, the test identities of the fake register, a
death record, and registers that count their calls or fail."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from ..choices import BatchKind, DeathStatus, IdentityContext, IdentityResult, Partner
from ..fakes.population import FakePopulationRegister
from ..models import DeathRecord, IdentityCheck
from ..services.identity import name_index
from .factories import ExchangeBatchFactory

# The test identities of samples/population_test_identities.csv (the fake register's rule 1-3).
LISTED_ID, LISTED_NAME = "370202198506120311", "周建国"      # 在册
LISTED_ID_2, LISTED_NAME_2 = "370212197807201017", "郑海峰"  # 在册
DECEASED_ID, DECEASED_NAME = "370203195603080422", "吴秀英"  # 死亡
UNKNOWN_ID = "370211200109150572"                           # 查无
UNKNOWN_ID_2 = "370281199511031460"                         # 查无
ZHANG_WEI_ID = "370202198803151237"
FAKE = "gongshang.integrations.fakes.population.FakePopulationRegister"
DOWN = "gongshang.integrations.fakes.population.DownPopulationRegister"
COUNTING = "gongshang.integrations.tests.factories_identity.CountingRegister"
BROKEN = "gongshang.integrations.tests.factories_identity.BrokenRegister"
SINGLE = "gongshang.integrations.tests.factories_identity.SingleCheckRegister"


class IdentityCheckFactory(factory.django.DjangoModelFactory):
    """A check recorded now; `aged(check, days)` moves it into the past."""

    class Meta:
        model = IdentityCheck

    class Params:
        name = "张伟"

    region = "370200"
    id_number = ZHANG_WEI_ID
    name_index = factory.LazyAttribute(lambda o: name_index(o.name))
    context = IdentityContext.STAFF
    result = IdentityResult.MATCH
    cached = False


def aged(check: IdentityCheck, days: float) -> IdentityCheck:
    """The check as if made `days` ago (checked_at is set on insert)."""
    IdentityCheck.objects.filter(pk=check.pk).update(checked_at=timezone.now() - timedelta(days=days))
    check.refresh_from_db()
    return check


def death_record(id_number: str, name: str = "某某", *, region: str = "370200") -> DeathRecord:
    """A death reported by 民政 (the fake register answers `deceased` for it)."""
    batch = ExchangeBatchFactory(region=region, partner=Partner.CIVIL_AFFAIRS, kind=BatchKind.DEATHS,
                                 content=f"death {id_number}\n".encode())
    return DeathRecord.objects.create(region=region, batch=batch, source=Partner.CIVIL_AFFAIRS, id_number=id_number,
                                      name=name, death_date=date(2026, 1, 5), status=DeathStatus.UNMATCHED)


class CountingRegister(FakePopulationRegister):
    """The fake register, counting the persons it was asked about (class-wide: a new instance per call)."""

    asked: list = []

    def check_many(self, pairs):
        CountingRegister.asked.extend(pairs)
        return super().check_many(pairs)


class SingleCheckRegister:
    """A register with `check` only: answers match for everyone."""

    def check(self, id_number, name):
        return IdentityResult.MATCH


class BrokenRegister:
    """A register client with a bug of its own (not RegisterUnavailable)."""

    def check(self, id_number, name):
        raise RuntimeError("boom")



class ShortRegister:
    """A register whose list call drops answers (a partner's bug): fewer answers than pairs."""

    def check(self, id_number, name):
        return IdentityResult.MATCH

    def check_many(self, pairs):
        return [IdentityResult.MATCH] * (len(pairs) - 1)
