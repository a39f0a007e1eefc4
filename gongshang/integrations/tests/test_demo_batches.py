"""The batches demo: one failed batch of the tax bureau's wrongly formatted file; idempotent; nothing
without the tax adapter."""

from io import StringIO

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.tests.factories import StaffUserFactory

from ..choices import BatchStatus
from ..demo import batches as demo
from ..models import ExchangeBatch
from .factories_batches import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def admin(db):
    return StaffUserFactory(username="exchange", roles=[StaffRole.EXCHANGE], jurisdiction="370200")


def test_seed_twice_leaves_one_failed_batch(fake_partner, admin):
    out = StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    batch = ExchangeBatch.objects.get()
    assert (batch.status, batch.created_by, batch.region) == (BatchStatus.FAILED, admin, "370200")
    assert batch.failure_message.startswith("第 1 行表头应为")
    assert out.getvalue().count("数据交换：演示批次") == 1


def test_nothing_without_the_tax_adapter(admin, monkeypatch):
    from .. import adapters

    monkeypatch.setattr(adapters, "INBOUND", {})
    demo.seed()
    assert not ExchangeBatch.objects.exists()
