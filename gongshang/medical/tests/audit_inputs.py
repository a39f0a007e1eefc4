"""Builders of the pure rule inputs for the rule and settle tests (plain dataclasses, no database)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from gongshang.medical.rules.audit.inputs import BillLineIn, CatalogueEntry, EncounterIn, Injury

TZ = ZoneInfo("Asia/Shanghai")
ADMITTED = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def line(no=1, code="DRUG001", *, category="drug", quantity="1", unit_price="10.00", amount=None,
         at=None, ordered_code="", name=None):
    quantity, unit_price = Decimal(quantity), Decimal(unit_price)
    return BillLineIn(
        line_no=no, catalogue_code=code, name=name or f"项目{no}", category=category, quantity=quantity,
        unit_price=unit_price, amount=Decimal(amount) if amount is not None else (quantity * unit_price).quantize(Decimal("0.01")),
        occurred_at=at or ADMITTED + timedelta(hours=2), order_no=f"YZ{no}", ordered_code=ordered_code)


def entry(code="DRUG001", *, kind="drug", cap=None, price_class="", limit=None, days=1, valid_from=date(2026, 1, 1),
          valid_to=None, regional=False):
    return CatalogueEntry(code=code, kind=kind, price_cap=Decimal(cap) if cap is not None else None,
                          price_class=price_class, frequency_limit=Decimal(limit) if limit is not None else None,
                          frequency_days=days, valid_from=valid_from, valid_to=valid_to, regional=regional)


def catalogue(*entries):
    result = {}
    for e in entries:
        result.setdefault(e.code, []).append(e)
    return result


def encounter(kind="inpatient", *, admitted=ADMITTED, main="S62.300", diagnoses=(("S62.300", "左手第三掌骨骨折"),),
              cross_province=False, discharged=None):
    return EncounterIn(kind=kind, admitted_at=admitted, discharged_at=discharged or admitted + timedelta(days=10),
                       main_diagnosis_code=main, diagnoses=tuple(diagnoses), cross_province=cross_province)


INJURY = Injury(body_part="左手", diagnosis="左手第三掌骨骨折", diagnosis_codes=())
