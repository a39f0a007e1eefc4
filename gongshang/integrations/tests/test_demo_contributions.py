"""The contributions demo: last month's tax file applied through the adapter (one difference of each
kind, one checked by the 数据交换管理员, 杨帆's raise recorded); running it again changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from gongshang.registry.models import ContributionRecord

from ..demo import contributions
from ..models import ContributionMismatch, ExchangeBatch

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +08:00")]


def _state():
    return (ExchangeBatch.objects.count(), ContributionRecord.objects.count(),
            sorted(ContributionMismatch.objects.values_list("kind", "name", "status")))


def test_demo_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from gongshang.accounts import demo as accounts_demo
    from gongshang.registry import demo as registry_demo

    registry_demo.seed()
    accounts_demo.seed()
    contributions.seed()
    state = _state()
    contributions.seed()
    assert _state() == state
    batch = ExchangeBatch.objects.get()
    assert (batch.status, batch.total, batch.accepted, batch.duplicate, batch.rejected) == ("done", 7, 3, 3, 0)
    assert batch.summary["skipped_other_insurance"] == 1 and batch.summary["records_updated"] == 1
    assert state[2] == [("employer_unknown", "王磊", "resolved"), ("enrolled_unpaid", "刘洋", "open"),
                        ("enrolled_unpaid", "陈静", "open"), ("paid_not_enrolled", "王磊", "open")]
    raised = ContributionRecord.objects.get(person__name="杨帆", month=date(2026, 10, 1))
    assert raised.wage_base == Decimal("4800.00")
