"""The 死亡信息 demo: the fake 民政 file and 公安's repeat applied through the real adapter; idempotent."""

from importlib import import_module

import pytest

from gongshang.benefits.models import Entitlement, Payment
from gongshang.core.models import OutboxMessage

from ..choices import DeathStatus
from ..demo import deaths as demo
from ..models import DeathRecord, ExchangeBatch, Overpayment

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-01 10:00 +08:00")]


@pytest.fixture
def demo_world(settings):
    settings.DEMO_DATA_ALLOWED = True
    from gongshang.web.management.commands.seed_demo import SEEDERS

    for path in SEEDERS:
        if path != "gongshang.integrations.demo":
            import_module(path).seed()


def test_seed_deaths(demo_world):
    demo.seed()
    statuses = dict(DeathRecord.objects.values_list("name", "status"))
    assert statuses == {"王建国": DeathStatus.APPLIED, "孙秀英": DeathStatus.APPLIED,
                        "赵德顺": DeathStatus.NO_BENEFITS, "周立平": DeathStatus.UNMATCHED}
    wang = DeathRecord.objects.get(name="王建国")
    assert [r["code"] for r in wang.effects["routes"]] == ["grade_1_to_4"]
    assert [w["period"] for w in wang.effects["withdrawn"]] == ["2026-10"]
    assert Overpayment.objects.get().payment.period.isoformat() == "2026-09-01"
    sun = DeathRecord.objects.get(name="孙秀英")
    assert Entitlement.objects.get(pk__in=sun.effects["suspended"]).benefit_type == "dependant_pension"
    batches = ExchangeBatch.objects.order_by("pk")
    assert [(b.partner, b.total, b.accepted, b.duplicate, b.status) for b in batches] == [
        ("civil_affairs", 4, 4, 0, "done"), ("public_security", 1, 0, 1, "done")]
    # The demo's staff accounts have no mobile: the queue itself tells them; the family is told nothing.
    assert not OutboxMessage.objects.filter(template="sms_exchange_deaths_applied").exists()
    counts = (DeathRecord.objects.count(), ExchangeBatch.objects.count(), Payment.objects.count(),
              Overpayment.objects.count(), OutboxMessage.objects.count())
    demo.seed()
    assert (DeathRecord.objects.count(), ExchangeBatch.objects.count(), Payment.objects.count(),
            Overpayment.objects.count(), OutboxMessage.objects.count()) == counts


@pytest.mark.time_machine("2026-10-15 10:00 +08:00")
def test_before_the_files_dates_nothing_is_written(demo_world):
    demo.seed()
    assert not DeathRecord.objects.exists() and not ExchangeBatch.objects.exists()
