"""The 身份核验 demo seed: the exchange administrator's manual checks, every answer once; idempotent."""

from importlib import import_module

import pytest

from ..demo import identity as demo
from ..models import IdentityCheck

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


@pytest.fixture
def demo_world(settings):
    settings.DEMO_DATA_ALLOWED = True
    from gongshang.web.management.commands.seed_demo import SEEDERS

    for path in SEEDERS:
        if path != "gongshang.integrations.demo":
            import_module(path).seed()


def test_seed_identity(demo_world):
    system_checks = IdentityCheck.objects.count()  # 增员, binding and quick reports of the other seeds
    assert system_checks > 0
    assert set(IdentityCheck.objects.values_list("result", flat=True)) == {"match"}
    demo.seed()
    staff = IdentityCheck.objects.filter(context="staff", actor__username="exchange").order_by("pk")
    assert list(staff.values_list("result", flat=True)) == [
        "match", "name_mismatch", "deceased", "not_found", "unavailable"]
    assert set(staff.values_list("region", flat=True)) == {"370200"}
    demo.seed()
    assert IdentityCheck.objects.count() == system_checks + 5
