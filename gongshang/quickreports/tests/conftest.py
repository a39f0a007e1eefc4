import pytest
from django.core.cache import cache
from django.utils import timezone

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.quickreports import content
from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _watermarks_at_once(request, monkeypatch):
    """Most tests look at the watermarked copy right after submitting: derive it at once instead of
    after the commit (the test's transaction never commits). Tests of the deferral itself are marked
    `deferred_watermarks` and keep the real path (on_commit → task → derive)."""
    if request.node.get_closest_marker("deferred_watermarks"):
        return
    from gongshang.quickreports.services import watermarks

    monkeypatch.setattr(watermarks, "schedule", watermarks.derive)


@pytest.fixture(autouse=True)
def _identity_checks_at_once(monkeypatch):
    """Identity checks run in a task after the commit (which a test's transaction never reaches):
    made at once here; test_people.py tests the deferral itself."""
    from gongshang.quickreports.services import people

    monkeypatch.setattr(people, "schedule_identity_checks", people.check_identities)


@pytest.fixture
def worker(zhang_wei):
    """张伟, signed up as an individual and bound to his registry record (insured at employer_a)."""
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def bystander(db):
    return IndividualUserFactory(mobile="13700000009", display_name="路人甲")


def report_input(**overrides) -> ReportInput:
    values = {"reporter_kind": "self", "accident_at": timezone.now() - timezone.timedelta(hours=1),
              "description": "搬运钢材时被砸伤左脚", "address": "青岛市市南区香港中路 100 号车间",
              "pledge_version": content.PLEDGE_VERSION}
    values.update(overrides)
    return ReportInput(**values)


@pytest.fixture
def submit():
    def run(actor, photos=(), video=None, **overrides):
        return quick_report_submit(actor=actor, data=report_input(**overrides), photos=list(photos), video=video)

    return run


def other_person(**kw) -> InjuredInput:
    return InjuredInput(**{"name": "王五", "id_number": "", "mobile": "13600000003", **kw})
