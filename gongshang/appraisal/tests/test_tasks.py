"""The nightly refresh of stored deadlines."""

from datetime import date

import pytest

from ..models import AppraisalApplication
from ..tasks import refresh_application_deadlines

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_refresh_restores_stale_deadlines_of_open_applications(application_factory):
    stale = application_factory(status="submitted", received_on=date(2026, 3, 2), completeness_due=date(2026, 1, 1),
                                due_on=date(2026, 1, 1))
    accepted = application_factory(kind="device", status="accepted", accepted_on=date(2026, 3, 2),
                                   conclusion_due=date(2026, 4, 28), due_on=date(2026, 4, 28),
                                   due_label="作出结论时限", received_on=date(2026, 2, 27),
                                   completeness_due=date(2026, 3, 5))
    closed = application_factory(kind="relapse", status="withdrawn", received_on=date(2026, 3, 2),
                                 due_on=date(2026, 1, 1))
    assert refresh_application_deadlines.call() == 1
    stale.refresh_from_db()
    assert stale.completeness_due == date(2026, 3, 9) and stale.due_on == date(2026, 3, 9)
    assert stale.due_label == "材料审核时限"
    assert AppraisalApplication.objects.get(pk=accepted.pk).due_on == date(2026, 4, 28)  # 60 days from 27 Feb
    assert AppraisalApplication.objects.get(pk=closed.pk).due_on == date(2026, 1, 1)  # closed: left alone
    assert refresh_application_deadlines.call() == 0  # nothing left to change
