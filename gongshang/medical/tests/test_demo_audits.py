"""The 现场稽核 demo: runs on the accounts demo, cross-county, one visit with a notice; idempotent."""

import pytest

from gongshang.accounts import demo as accounts_demo
from gongshang.registry import demo as registry_demo

from ..demo import audits as demo
from ..models import AuditCampaign, AuditTeamMember, AuditVisit, Deduction

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-03 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_seed_twice():
    registry_demo.seed()
    accounts_demo.seed()
    campaign = demo.seed()
    assert campaign.status == "in_progress" and campaign.teams.count() == 3
    for visit in campaign.visits.select_related("institution", "team"):
        assert visit.team is not None
        counties = set(AuditTeamMember.objects.filter(team=visit.team).values_list("county", flat=True))
        assert visit.institution.county not in counties
    notified = AuditVisit.objects.get(campaign=campaign, status="notified")
    assert notified.findings.get().files.count() == 1 and notified.rectify_by is not None
    counts = (AuditCampaign.objects.count(), AuditVisit.objects.count(), Deduction.objects.count())
    demo.seed()
    assert (AuditCampaign.objects.count(), AuditVisit.objects.count(), Deduction.objects.count()) == counts
