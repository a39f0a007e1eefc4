"""Test helpers of eligibility, encounters, push): written directly, no fixtures files."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from gongshang.accounts.choices import Audience
from gongshang.accounts.tests.factories import UserFactory
from gongshang.medical.models import BillLine, CatalogueItem, Encounter, RemoteRegistration

from .factories import InstitutionFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """'2026-03-01 08:00' in Beijing time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def institution_with_client(**fields):
    """(institution, its API client account)."""
    institution = InstitutionFactory(**fields)
    user = UserFactory(kind=Audience.INSTITUTION, username=f"inst-{institution.code.lower()}",
                       display_name=institution.name)
    institution.api_clients.add(user)
    return institution, user


def catalogue_item(code: str, *, kind="drug", region="", price_cap=None, valid_from=date(2020, 1, 1)):
    return CatalogueItem.objects.create(code=code, kind=kind, region=region, name=f"目录项目{code}",
                                        price_cap=price_cap, valid_from=valid_from)


def encounter(case, institution, *, kind="inpatient", admitted_at=None, status="open", **fields):
    return Encounter.objects.create(case=case, institution=institution, region=case.region,
                                    treatment_region=institution.region, kind=kind,
                                    admitted_at=admitted_at or at("2026-03-01 08:00"), status=status, **fields)


def bill_line(enc, line_no: int, *, code="XA01", amount="10.00", quantity="1", category="drug", occurred_at=None):
    return BillLine.objects.create(encounter=enc, line_no=line_no, catalogue_code=code, name=f"项目{line_no}",
                                   category=category, quantity=Decimal(quantity), unit_price=Decimal(amount),
                                   amount=Decimal(amount), occurred_at=occurred_at or enc.admitted_at)


def registration(case, creator, *, treatment_region="370300", start_date=date(2026, 1, 1),
                 valid_until=date(2026, 12, 31), status="active"):
    return RemoteRegistration.objects.create(case=case, region=case.region, treatment_region=treatment_region,
                                             reason="referral", start_date=start_date, valid_until=valid_until,
                                             status=status, created_by=creator)


def line_body(line_no: int, *, code="XA01", quantity="2", unit_price="12.5", amount="25.00",
              occurred_at="2026-03-01T10:00:00+08:00", category="drug", **extra) -> dict:
    return {"line_no": line_no, "catalogue_code": code, "name": f"项目{line_no}", "category": category,
            "quantity": quantity, "unit_price": unit_price, "amount": amount, "occurred_at": occurred_at, **extra}
