from datetime import date
from decimal import Decimal

import factory
from stdnum.cn import ric

from gongshang.core.validators import birth_date_from_id, gender_from_id
from gongshang.registry.models import ContributionRecord, Employer, Enrolment, InsuredPerson


def valid_id_number(n: int) -> str:
    base = f"370202{1980 + n % 30}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    uscc = "91370200MA3C5UWK4C"
    name = factory.Sequence(lambda n: f"演示单位{n}")
    region = "370200"
    legal_rep_name = "王海川"
    legal_rep_id_number = "370202197505063218"
    reserved_mobile = "13800000001"


class InsuredPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuredPerson

    id_number = factory.Sequence(valid_id_number)
    name = factory.Sequence(lambda n: f"参保人{n}")
    gender = factory.LazyAttribute(lambda o: gender_from_id(o.id_number))
    birth_date = factory.LazyAttribute(lambda o: birth_date_from_id(o.id_number))
    mobile = factory.Sequence(lambda n: f"137{n:08d}")
    region = "370200"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    person = factory.SubFactory(InsuredPersonFactory)
    employer = factory.SubFactory(EmployerFactory)
    insurance_type = "injury"
    start_month = date(2020, 1, 1)
    status = "active"


class ContributionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionRecord

    person = factory.SubFactory(InsuredPersonFactory)
    employer = factory.SubFactory(EmployerFactory)
    insurance_type = "injury"
    month = date(2026, 10, 1)
    wage_base = Decimal("6000.00")
    paid = True
