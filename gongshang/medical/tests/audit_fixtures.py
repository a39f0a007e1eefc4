"""Shared builders of the 现场稽核 tests: three institutions in three counties, three inspectors."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongshang.accounts.tests.factories import StaffUserFactory

from ..models import MedicalSetting
from ..services import audits as services
from .factories import InstitutionFactory

A, B, C = "370202", "370203", "370211"


def inspectors():
    return [StaffUserFactory(roles=["inspector"], jurisdiction="370200", display_name=name)
            for name in ("甲稽核", "乙稽核", "丙稽核")]


def institutions():
    return [InstitutionFactory(county=county, name=name, kind=kind) for county, name, kind in (
        (A, "市南医院", "medical"), (B, "市北康复中心", "rehabilitation"), (C, "黄岛医院", "medical"))]


def planned(actor, members, *, rectify_days=None):
    """A campaign with the three institutions and three one-person teams (甲: A, 乙: B, 丙: C)."""
    if rectify_days is not None:
        MedicalSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), rectify_days=rectify_days)
    campaign = services.campaign_create(actor=actor, name="2026年专项稽核", starts_on=date(2026, 11, 2),
                                        ends_on=date(2026, 11, 30))
    for n, (user, county) in enumerate(zip(members, (A, B, C), strict=True), 1):
        services.team_create(actor=actor, campaign=campaign, name=f"第{n}组", members=[(user, county, True)])
    return campaign


def started(actor, members, **kwargs):
    campaign = planned(actor, members, **kwargs)
    services.campaign_assign(actor=actor, campaign=campaign)
    services.campaign_start(actor=actor, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def member_of(visit, members):
    return next(u for u in members if visit.team.members.filter(user=u).exists())


def jpeg(name="photo.jpg"):
    buf = BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 50)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")
