"""The province demo: the whole 再次鉴定 loop with the fake province (package sent, conclusion back,
package answered), a worker transferred in waiting, last month's report; running it again changes
nothing."""

import io

import pytest

from gongshang.appraisal.demo.conclusions import seed_conclusions
from gongshang.appraisal.models import AppraisalConclusion

from ..choices import PackageStatus, TransferStatus
from ..demo import province as demo
from ..models import CasePackage, ExchangeBatch, StatisticsReport, TransferIn

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-16 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _counts() -> tuple:
    return (CasePackage.objects.count(), ExchangeBatch.objects.count(), TransferIn.objects.count(),
            StatisticsReport.objects.count(), AppraisalConclusion.objects.count())


def test_the_demo_shows_the_whole_loop_and_runs_twice():
    seed_conclusions()
    out = io.StringIO()
    demo.seed(stdout=out)
    package = CasePackage.objects.get()
    assert package.status == PackageStatus.ANSWERED and package.answer["grade"] == 7
    provincial = AppraisalConclusion.objects.get(provincial=True)
    assert provincial.case == package.case and provincial.grade == 7
    assert TransferIn.objects.get().status == TransferStatus.RECEIVED
    assert StatisticsReport.objects.get().month.isoformat() == "2026-02-01"
    assert "省级结论已登记" in out.getvalue()
    before = _counts()
    demo.seed(stdout=io.StringIO())
    assert _counts() == before
