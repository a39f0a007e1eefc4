"""Factories of 工伤医疗 (each part adds its own below)."""

from datetime import date
from decimal import Decimal

import factory

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


class CatalogueItemFactory(factory.django.DjangoModelFactory):
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
