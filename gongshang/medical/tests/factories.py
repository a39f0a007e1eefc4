"""Factories of 工伤医疗 (each part adds its own below)."""

from datetime import date

import factory

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
