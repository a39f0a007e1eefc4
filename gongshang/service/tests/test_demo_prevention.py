"""The 工伤预防 demo seed: the fund income, three plans in three statuses, projects up to one paid;
running it again adds nothing."""

from decimal import Decimal

import pytest

from gongshang.service.demo import prevention as demo
from gongshang.service.models import FundIncome, PreventionPlan, PreventionProject

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_seed_is_complete_and_idempotent():
    from gongshang.accounts.tests.factories import StaffUserFactory

    for username in ("prevention", "prevention2"):      # the demo accounts (accounts/demo.py)
        StaffUserFactory(username=username, roles=["prevention"], jurisdiction="370200")
    demo.seed()
    demo.seed()
    assert FundIncome.objects.get(region="370200", year=2025).contribution_income == Decimal("1200000000.00")
    assert dict(PreventionPlan.objects.values_list("county", "status")) == {
        "370202": "approved", "370211": "submitted", "370212": "draft"}
    statuses = dict(PreventionProject.objects.values_list("title", "status"))
    assert sorted(statuses.values()) == ["approved", "contracted", "paid", "proposed"]
    paid = PreventionProject.objects.get(status="paid")
    assert paid.evaluation_score == Decimal("90.50") and paid.payable_amount == Decimal("180000.00")
    assert paid.paid_by.username == "prevention2" and paid.accepted_by.username == "prevention"


def test_seed_without_accounts_does_nothing():
    demo.seed()
    assert not PreventionPlan.objects.exists()
