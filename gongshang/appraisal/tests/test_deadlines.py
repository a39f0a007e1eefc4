"""Deadlines of an appraisal application through the workday engine (rules/deadlines.py)."""

from datetime import date

import pytest

from gongshang.appraisal import deadlines
from gongshang.appraisal.rules import deadlines as rules
from gongshang.appraisal.services.transition import move

pytestmark = pytest.mark.django_db


@pytest.mark.time_machine("2026-03-02 10:00 +08:00")
def test_submit_stores_the_completeness_check_due_in_five_working_days(application_factory, worker):
    application = application_factory()
    # Monday 2 March 2026: 5 working days → Monday 9 March.
    application = move(worker, application, "submit", changes={"received_on": date(2026, 3, 2)})
    assert application.completeness_due == date(2026, 3, 9)
    assert application.due_on == date(2026, 3, 9) and application.due_label == "材料审核时限"


@pytest.mark.time_machine("2026-03-02 10:00 +08:00")
def test_conclusion_due_is_sixty_days_extended_once_by_thirty_and_moved_by_postponements(application_factory):
    application = application_factory(status="accepted", received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 2))
    # 60 days from 2 March 2026 → 1 May 2026, inside 劳动节 (1–5 May): the first working day after it.
    assert deadlines.conclusion_due(application).due == date(2026, 5, 6)
    # Extended once by 30 days → 31 May 2026, a Sunday → Monday 1 June.
    application.extended_on = date(2026, 4, 1)
    assert deadlines.conclusion_due(application).due == date(2026, 6, 1)
    # The worker asked for 10 days: 100 days → Wednesday 10 June.
    application.postponed_days = 10
    due = deadlines.conclusion_due(application)
    assert due.due == date(2026, 6, 10) and "顺延" in due.basis


def test_review_may_be_filed_one_year_after_the_conclusion():
    assert rules.review_earliest(date(2025, 4, 10)) == date(2026, 4, 10)
    assert rules.review_earliest(date(2024, 2, 29)) == date(2025, 2, 28)


@pytest.mark.time_machine("2026-03-02 10:00 +08:00")
def test_resubmitted_application_shows_the_restarted_completeness_check_as_not_yet_met(application_factory):
    # corrected and resubmitted on 2 March: the notice of 20 February answered the old submission only
    application = application_factory(status="submitted", received_on=date(2026, 3, 2),
                                      correction_notified_on=date(2026, 2, 20), correction_items=["诊断证明"])
    due = deadlines.completeness_due(application)
    assert due.due == date(2026, 3, 9)
    assert not due.met and due.met_on is None
    application.accepted_on = date(2026, 3, 4)
    assert deadlines.completeness_due(application).met_on == date(2026, 3, 4)
