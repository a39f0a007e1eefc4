"""Factories of 工伤医疗 (each part adds its own below)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from gongshang.medical.models import AgreementInstitution


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementInstitution

    region = "370200"
    county = "370202"
    code = factory.Sequence(lambda n: f"H37020200{n:03d}")
    name = factory.Sequence(lambda n: f"演示协议医院{n}")
    kind = "medical"
    level = "三级甲等"
    agreement_no = factory.Sequence(lambda n: f"GSXY-2026-{n:04d}")
    agreement_from = date(2026, 1, 1)
    agreement_to = date(2028, 12, 31)


# --- part D (review, statements, outliers): settled encounters made directly -----------------------

# Valid 统一社会信用代码 of the two regions' test employers (the registry factory has one fixed code).
REVIEW_USCC = {"370200": "91370200MA3C5UWK4C", "370100": "91370211MA3D8QXL2Y"}


def review_case(*, region="370200", person=None, employer=None):
    """A case of the region (the worker and employer made when not given)."""
    from gongshang.cases.services import accident_create, case_create
    from gongshang.registry.models import Employer
    from gongshang.registry.tests.factories import EmployerFactory, InsuredPersonFactory

    employer = employer or Employer.objects.filter(region=region).first() or \
        EmployerFactory(region=region, uscc=REVIEW_USCC.get(region, "91370200MA3C5UWK4C"))
    person = person or InsuredPersonFactory(region=region)
    accident = accident_create(region=region, occurred_at=timezone.make_aware(datetime(2026, 3, 2, 9)),
                               employer=employer, address="车间")
    return case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "employer": employer, "body_part": "右手"})


class ReviewEncounterFactory(factory.django.DjangoModelFactory):
    """A settled inpatient stay (status settled, totals given); pass `case` or get a fresh one."""

    class Meta:
        model = "medical.Encounter"

    institution = factory.SubFactory(InstitutionFactory)
    case = factory.LazyAttribute(lambda o: review_case(region=o.region))
    region = factory.LazyAttribute(lambda o: o.institution.region)
    treatment_region = factory.LazyAttribute(lambda o: o.institution.region)
    kind = "inpatient"
    admitted_at = factory.LazyFunction(timezone.now)
    discharged_at = factory.LazyAttribute(lambda o: o.admitted_at + timedelta(days=5))
    diagnoses = factory.LazyAttribute(lambda o: [{"code": o.main_diagnosis_code, "name": "腕部骨折"}])
    main_diagnosis_code = "S62.001"
    department = "骨科"
    status = "settled"
    total = Decimal("1000.00")
    fund_amount = Decimal("1000.00")
    self_amount = Decimal("0.00")
    settled_at = factory.LazyAttribute(lambda o: o.discharged_at)


class ReviewBillLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medical.BillLine"

    encounter = factory.SubFactory(ReviewEncounterFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    catalogue_code = factory.Sequence(lambda n: f"001201000{n:03d}")
    name = "X线摄影"
    category = "service"
    quantity = Decimal("1")
    unit_price = Decimal("100.00")
    amount = Decimal("100.00")
    occurred_at = factory.LazyAttribute(lambda o: o.encounter.admitted_at)
    fund_amount = Decimal("100.00")
    self_amount = Decimal("0.00")


class ReviewLineFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medical.LineFlag"

    line = factory.SubFactory(ReviewBillLineFactory)
    encounter = factory.LazyAttribute(lambda o: o.line.encounter)
    rule = "price_cap"
    reason = "单价超过最高限价，超出部分不予支付"
    amount = Decimal("20.00")
