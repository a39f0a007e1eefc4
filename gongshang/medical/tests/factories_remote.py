"""Helpers and fixtures of the 异地就医备案 and 辅助器具/康复 tests (import the fixtures with
`from .factories_remote import *`). Rows in states the tests start from are written directly; every
state change under test goes through the services."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.appraisal.tests.factories import make_application, recognised_case
from gongshang.medical.models import CatalogueItem, Referral, RemoteRegistration

from .factories import InstitutionFactory

__all__ = ["case", "device_item", "inspector", "make_referral", "make_registration", "other_inspector", "supplier",
           "worker", "_isolated"]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def worker(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def case(zhang_wei, employer_a, employer_user_a):
    """张伟's case, recognised (认定工伤 decided and delivered) in 370200."""
    return recognised_case(zhang_wei, employer_a, employer_user_a)


@pytest.fixture
def inspector(staff_factory):
    return staff_factory("inspector", display_name="周稽核")


@pytest.fixture
def other_inspector(staff_factory):
    return staff_factory("inspector", jurisdiction="370700", display_name="潍坊稽核")


@pytest.fixture
def supplier(db):
    return InstitutionFactory(kind="device", code="D370202001", name="青岛康复辅具配置中心",
                              agreement_to=date(2030, 12, 31))


@pytest.fixture
def device_item(db):
    """小腿假肢 in the province's catalogue: cap 12000.00, service life 36 months."""
    return CatalogueItem.objects.create(region="", kind="device", code="FJ0101", name="小腿假肢", unit="具",
                                        price_cap=Decimal("12000.00"), service_life_months=36,
                                        valid_from=date(2025, 1, 1))


def make_registration(case, user, **fields) -> RemoteRegistration:
    fields.setdefault("treatment_region", "370100")
    fields.setdefault("reason", "referral")
    fields.setdefault("start_date", date(2026, 3, 10))
    fields.setdefault("valid_until", date(2027, 3, 9))
    return RemoteRegistration.objects.create(case=case, region=case.region, created_by=user, **fields)


def make_referral(case, **fields) -> Referral:
    fields.setdefault("kind", "device")
    fields.setdefault("item_code", "FJ0101")
    fields.setdefault("item_name", "小腿假肢")
    fields.setdefault("confirmed_on", date(2026, 3, 2))
    return Referral.objects.create(case=case, region=case.region, **fields)


def device_application(case, creator, apr):
    return make_application(case=case, creator=creator, kind="device", status="examined")
