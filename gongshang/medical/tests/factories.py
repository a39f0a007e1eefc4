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


# --- 现场稽核 (part F) ---------------------------------------------------------------------------------

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
