"""Factories of 工伤医疗 (each part adds its own below)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from gongshang.medical.models import AgreementInstitution, CatalogueItem, MedicalSetting


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


# --- cases, encounters, bill lines, catalogue items (settlement and nightly audit) ---------------

from datetime import datetime as _datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from gongshang.cases.models import Accident, InjuryCase  # noqa: E402
from gongshang.medical.models import BillLine, Encounter  # noqa: E402

_TZ = ZoneInfo("Asia/Shanghai")


class AccidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accident

    region = "370200"
    occurred_at = _datetime(2026, 2, 20, 10, 0, tzinfo=_TZ)
    address = "青岛市市南区演示路1号"


class InjuryCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InjuryCase

    number = factory.Sequence(lambda n: f"GS370200-2026-{n + 900000:06d}")
    region = "370200"
    accident = factory.SubFactory(AccidentFactory, region=factory.SelfAttribute("..region"))
    injured_name = "张伟"
    body_part = "左手"
    injury_type = "骨折"
    source = "quick_report"
    status = "opened"


class CatalogueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueItem

    region = ""
    kind = "drug"
    code = factory.Sequence(lambda n: f"XA01AAA{n:05d}")
    name = factory.Sequence(lambda n: f"演示药品{n}")
    valid_from = date(2026, 1, 1)


class EncounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Encounter

    institution = factory.SubFactory(InstitutionFactory)
    case = factory.SubFactory(InjuryCaseFactory)
    region = "370200"
    treatment_region = "370200"
    kind = "inpatient"
    admitted_at = _datetime(2026, 3, 2, 9, 0, tzinfo=_TZ)
    discharged_at = _datetime(2026, 3, 12, 10, 0, tzinfo=_TZ)
    diagnoses = factory.LazyFunction(lambda: [{"code": "S62.300", "name": "左手第三掌骨骨折"}])
    main_diagnosis_code = "S62.300"
    department = "手外科"


class BillLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillLine

    encounter = factory.SubFactory(EncounterFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    catalogue_code = "XA01AAA00001"
    name = "演示药品"
    category = "drug"
    quantity = Decimal("1")
    unit_price = Decimal("10.00")
    amount = factory.LazyAttribute(lambda o: (o.quantity * o.unit_price).quantize(Decimal("0.01")))
    occurred_at = _datetime(2026, 3, 2, 11, 0, tzinfo=_TZ)


class ServiceItemFactory(factory.django.DjangoModelFactory):
    """A regional (370200) service item valid from 2025-01-01; pass region="" for the national list."""

    class Meta:
        model = CatalogueItem

    region = "370200"
    kind = "service"
    code = factory.Sequence(lambda n: f"0031110000{n:05d}")
    name = factory.Sequence(lambda n: f"诊疗项目{n}")
    unit = "次"
    price_cap = Decimal("45.00")
    valid_from = date(2025, 1, 1)


class MedicalSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalSetting

    region = "370200"
    valid_from = date(2025, 1, 1)
    source = "测试"


# --- review, statements, outliers: settled encounters made directly -----------------------

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
# --- 现场稽核 ---------------------------------------------------------------------------------

class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medical.AuditCampaign"

    region = "370200"
    name = factory.Sequence(lambda n: f"2026年协议机构专项稽核{n}")
    starts_on = date(2026, 11, 2)
    ends_on = date(2026, 11, 30)
    created_by = factory.SubFactory("gongshang.accounts.tests.factories.StaffUserFactory", roles=["inspector"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medical.AuditTeam"

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"第{n}组")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medical.AuditTeamMember"

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory("gongshang.accounts.tests.factories.StaffUserFactory", roles=["inspector"])
    county = "370211"


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "medical.AuditVisit"

    campaign = factory.SubFactory(CampaignFactory)
    institution = factory.SubFactory(InstitutionFactory)
