"""Demo data of the review desk: idempotent, the statement waits for a second 稽核员, the dashboard
shows one outlier."""

from datetime import date

import pytest

from gongshang.accounts.tests.factories import StaffUserFactory

from ..demo.review import seed
from ..models import Encounter, InstitutionStatement
from ..selectors.outliers import dashboard
from .factories import review_case

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-03 10:00 +08:00")]


def test_seed_idempotent_with_a_statement_and_an_outlier():
    auditor = StaffUserFactory(username="auditor", roles=["inspector"])
    review_case()
    seed()
    counts = (Encounter.objects.count(), InstitutionStatement.objects.count())
    seed()
    assert (Encounter.objects.count(), InstitutionStatement.objects.count()) == counts == (20, 1)
    statement = InstitutionStatement.objects.get()
    assert statement.status == "computed" and statement.created_by == auditor and f"{statement.period:%Y-%m}" == "2026-11"
    assert Encounter.objects.filter(status="settled", flagged=True).count() == 2
    board = dashboard(actor=auditor, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert [o["institution"] for o in board.outliers if o["metric"] == "cost"] == ["青岛大学附属医院（演示）"]


def test_seed_without_cases_writes_nothing():
    seed()
    assert not Encounter.objects.exists()
