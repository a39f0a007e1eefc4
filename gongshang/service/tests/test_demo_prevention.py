"""The 工伤预防 demo seed: the fund income, three plans in three statuses, projects up to one paid;
running it again adds nothing."""

from decimal import Decimal

import pytest

from gongshang.core.models import AuditEvent
from gongshang.service.demo import prevention as demo
from gongshang.service.models import FundIncome, PreventionPlan, PreventionProject, TrainingSession

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
    assert paid.evaluation_score == Decimal("91.85") and paid.payable_amount == Decimal("180000.00")
    # Its session went through the training services: a reviewed course, sign-ins on the phone with
    # their questionnaires, the organiser's forms, closed before the delivery.
    session = TrainingSession.objects.get(project=paid)
    assert session.status == "closed" and session.course.status == "approved" and session.course.reviewed_by
    assert session.attendances.count() == 12
    assert set(session.evaluations.values_list("kind", flat=True)) == {"evaluation_form", "questionnaire"}
    assert AuditEvent.objects.filter(event_type="training.signed_in").count() == 12
    assert AuditEvent.objects.filter(event_type="training_session.close", target_id=str(session.pk)).exists()
    assert paid.paid_by.username == "prevention2" and paid.accepted_by.username == "prevention"


def test_seed_without_accounts_does_nothing():
    demo.seed()
    assert not PreventionPlan.objects.exists()
