"""The 资格认证 demo: a lapsed, a due and an in-person confirmed certification through the real
services and the cycle; no individual account bound; running it twice changes nothing."""

import pytest

from gongshang.accounts.models import User
from gongshang.benefits.models import Entitlement
from gongshang.core.models import OutboxMessage
from gongshang.integrations.models import Certification

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-06 10:00 +08:00")]


def test_demo_is_idempotent():
    from gongshang.accounts import demo as accounts_demo
    from gongshang.benefits.demo import seed_parameters
    from gongshang.integrations.demo import eligibility
    from gongshang.medical.demo import institutions
    from gongshang.registry import demo as registry_demo

    registry_demo.seed()
    accounts_demo.seed()
    seed_parameters()
    institutions.seed()
    individuals = User.objects.filter(kind="individual").count()
    eligibility.seed()
    state = sorted(Certification.objects.values_list("beneficiary_name", "year", "due_on", "status"))
    counts = [m.objects.count() for m in (Certification, Entitlement, OutboxMessage, User)]
    eligibility.seed()
    assert sorted(Certification.objects.values_list("beneficiary_name", "year", "due_on", "status")) == state
    assert counts == [m.objects.count() for m in (Certification, Entitlement, OutboxMessage, User)]
    assert User.objects.filter(kind="individual").count() == individuals
    rows = {c.beneficiary_name: c for c in Certification.objects.all()}
    assert {name: c.status for name, c in rows.items()} == {"杨帆": "lapsed", "刘洋": "due", "陈静": "confirmed"}
    assert [r["days"] for r in rows["杨帆"].reminders] == [30, 7]
    assert Entitlement.objects.get(pk__in=rows["杨帆"].suspended_entitlements).status == "suspended"
    assert rows["陈静"].method == "institution" and rows["陈静"].institution.name == "青岛大学附属医院（演示）"
