"""领导驾驶舱 figures on a small world counted by hand (factories_dashboard), on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongshang.core.errors import Forbidden
from gongshang.service.selectors import dashboard as d

from .factories_dashboard import (
    HOME,
    OTHER,
    TODAY,
    at,
    dashboard_world,
    make_payment,
    make_rating,
    make_ticket,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(at(2026, 11, 15, 10))]


@pytest.fixture
def world():
    return dashboard_world()


def _month(figures, key):
    return next(row for row in figures["series"] if row["month"] == key)


def test_month_range_defaults_to_twelve_months_and_refuses_bad_ranges():
    months = d.month_range(today=TODAY)
    assert (months.first, months.last) == (date(2025, 12, 1), date(2026, 11, 1))
    assert len(months.months) == 12
    assert d.month_range(today=date(2027, 1, 31), start=date(2026, 12, 5), end=date(2027, 1, 31)).months == [
        date(2026, 12, 1), date(2027, 1, 1)]
    with pytest.raises(d.RangeError) as future:  # months not yet begun
        d.month_range(today=TODAY, start=date(2026, 12, 5), end=date(2027, 1, 31))
    assert future.value.field == "end"
    with pytest.raises(d.RangeError):
        d.month_range(today=TODAY, start=date(2026, 11, 1), end=date(2026, 10, 1))
    with pytest.raises(d.RangeError):
        d.month_range(today=TODAY, start=date(2024, 1, 1), end=date(2026, 1, 1))


def test_stages_count_the_home_region_today(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    stages = figures["stages"]
    assert {r["status"]: r["count"] for r in stages["cases"]} == {"opened": 2, "reported": 1}
    assert {r["status"]: r["count"] for r in stages["recognition"]} == {"decided": 2, "delivered": 1,
                                                                        "investigating": 1}
    assert [(r["status"], r["label"], r["count"]) for r in stages["appraisal"]] == [("submitted", "已提交待审核", 1)]
    assert {r["status"]: r["count"] for r in stages["entitlements"]} == {"active": 1, "pending": 1}


def test_recognition_deadlines_met_and_missed_with_suspension(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    october = _month(figures, "2026-10")
    assert (october["recognition_decided"], october["recognition_met"], october["recognition_missed"]) == (3, 2, 1)
    assert figures["totals"]["recognition_decided"] == 3
    assert figures["recognition_overdue_now"] == 1


def test_hotline_volume_response_and_due_times(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    october, november = _month(figures, "2026-10"), _month(figures, "2026-11")
    assert (october["tickets"], october["tickets_answered"], october["ticket_response_hours"]) == (
        2, 2, Decimal("134.0"))
    assert (october["tickets_met"], october["tickets_missed"]) == (1, 1)
    # Filed at 00:30 on 1 November (Asia/Shanghai): November, not October in UTC.
    assert (november["tickets"], november["tickets_answered"], november["ticket_response_hours"]) == (1, 0, None)
    assert november["tickets_missed"] == 1
    assert figures["tickets_overdue_now"] == 1
    assert figures["totals"]["tickets"] == 3


def test_ratings_bad_share_and_late_follow_ups(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    october, november = _month(figures, "2026-10"), _month(figures, "2026-11")
    assert (october["ratings"], october["rating_average"], october["ratings_bad"]) == (3, Decimal("3.33"), 1)
    assert (november["ratings"], november["rating_average"], november["ratings_bad"]) == (2, Decimal("3.50"), 1)
    assert (october["follow_ups"], october["follow_ups_late"]) == (1, 1)
    assert (november["follow_ups"], november["follow_ups_late"]) == (1, 1)
    assert figures["follow_ups_open"] == 1
    assert figures["totals"]["ratings"] == 5 and figures["totals"]["ratings_bad"] == 2


def test_prevention_spend_by_month_and_year(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    assert _month(figures, "2025-12")["prevention_paid"] == Decimal("10000.00")
    assert _month(figures, "2026-06")["prevention_paid"] == Decimal("50000.00")
    assert _month(figures, "2026-10")["prevention_paid"] == Decimal("80000.00")
    assert figures["totals"]["prevention_paid"] == Decimal("140000.00")
    assert figures["prevention_years"] == [
        {"year": 2025, "budget": Decimal("200000.00"), "paid": Decimal("10000.00")},
        {"year": 2026, "budget": Decimal("300000.00"), "paid": Decimal("130000.00")}]


def test_benefits_paid_by_month(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    assert _month(figures, "2026-10")["benefits_paid"] == Decimal("1000.00")
    assert _month(figures, "2026-09")["benefits_paid"] == Decimal("234.56")
    assert figures["totals"]["benefits_paid"] == Decimal("1234.56")
    assert figures["totals"]["payments"] == 2


def test_new_cases_by_month_and_the_range(world):
    figures = d.dashboard(actor=world.leader, today=TODAY)
    assert [r["month"] for r in figures["series"]][:2] == ["2025-12", "2026-01"]
    assert (_month(figures, "2026-10")["new_cases"], _month(figures, "2026-11")["new_cases"]) == (2, 1)
    narrow = d.dashboard(actor=world.leader, today=TODAY, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert [r["month"] for r in narrow["series"]] == ["2026-11"]
    assert narrow["totals"]["new_cases"] == 1 and narrow["totals"]["recognition_decided"] == 0


def test_another_region_sees_only_its_own(world, staff_factory):
    leader = staff_factory("leader", jurisdiction=OTHER)
    figures = d.dashboard(actor=leader, today=TODAY)
    assert figures["region"] == OTHER
    assert figures["totals"]["new_cases"] == 1
    assert figures["totals"]["tickets"] == 1
    assert figures["totals"]["benefits_paid"] == Decimal("777.00")
    assert figures["totals"]["prevention_paid"] == Decimal("7000.00")
    assert (figures["totals"]["recognition_decided"], figures["totals"]["recognition_missed"]) == (1, 1)


def test_only_the_leader_reads_it(world, staff_factory):
    for role in ("reviewer", "hotline", "cooperator", "benefits_reviewer"):
        with pytest.raises(Forbidden):
            d.dashboard(actor=staff_factory(role), today=TODAY)


def test_query_count_does_not_grow_with_rows(world):
    d.dashboard(actor=world.leader, today=TODAY)  # the leader's roles are loaded once per account
    with CaptureQueriesContext(connection) as before:
        d.dashboard(actor=world.leader, today=TODAY)
    staff = world.staff
    for day in range(1, 20):
        make_ticket(HOME, staff, created=at(2026, 9, day), due=at(2026, 9, day, 17), replied=at(2026, 9, day, 11))
        make_rating(HOME, score=3, rated=at(2026, 9, day))
    from .factories_dashboard import make_recognition
    for case in world.cases:
        make_recognition(case, staff, accepted_on=date(2026, 8, 1), decided_on=date(2026, 9, 20),
                         suspensions=[(date(2026, 8, 5), date(2026, 8, 6))])
    from gongshang.benefits.models import Payment
    first = Payment.objects.filter(region=HOME).first()
    for month in range(1, 8):
        make_payment(first.entitlement, first.run, amount="10.00", period=date(2026, month, 1),
                     paid_on=date(2026, month, 3))
    with CaptureQueriesContext(connection) as after:
        figures = d.dashboard(actor=world.leader, today=TODAY)
    assert _month(figures, "2026-09")["tickets"] == 19
    assert _month(figures, "2026-09")["recognition_decided"] == 3
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(after.captured_queries) < 30


def test_deadlines_met_and_missed_agree_with_the_recognition_engine_for_green_channel_and_suspension(
        world, staff_factory):
    """绿色通道 (5 working days, across the National Day holiday) and 中止 (the clock stops): each
    decision counted met or missed exactly as the recognition page's own deadline says."""
    from gongshang.cases.models import InjuryCase
    from gongshang.recognition import deadlines as engine
    from gongshang.recognition.models import RecognitionApplication

    from .factories_dashboard import make_case, make_recognition

    staff = world.staff
    green_case = make_case(HOME, created=at(2026, 9, 20))
    InjuryCase.objects.filter(pk=green_case.pk).update(green_channel=True)
    green_case.refresh_from_db()
    made = []
    for accepted, decided, quick in ((date(2026, 9, 28), date(2026, 10, 9), True),   # across 国庆: in time
                                     (date(2026, 9, 1), date(2026, 9, 14), True),    # 5 working days passed
                                     (date(2026, 9, 1), date(2026, 9, 14), False)):  # not from a quick report: 60 days
        application = make_recognition(green_case, staff, accepted_on=accepted, decided_on=decided)
        RecognitionApplication.objects.filter(pk=application.pk).update(from_quick_report=quick)
        made.append(application.pk)
    suspended = make_recognition(green_case, staff, accepted_on=date(2026, 8, 1), decided_on=date(2026, 10, 10),
                                 suspensions=[(date(2026, 8, 10), date(2026, 9, 30))])
    made.append(suspended.pk)
    expected = {"2026-09": [0, 0], "2026-10": [0, 0]}
    for application in RecognitionApplication.objects.filter(region=HOME, decided_on__isnull=False):
        due = engine.decision_due(application)
        expected[f"{application.decided_on:%Y-%m}"][0 if due.in_time else 1] += 1
    figures = d.dashboard(actor=world.leader, today=TODAY)
    for key, (met, missed) in expected.items():
        row = _month(figures, key)
        assert (row["recognition_met"], row["recognition_missed"]) == (met, missed), key
    # By hand: September has the late green-channel decision (missed) and the 60-day one (met).
    assert (_month(figures, "2026-09")["recognition_met"], _month(figures, "2026-09")["recognition_missed"]) == (1, 1)
    # October: the three of the world (2 met, 1 missed), the green channel across 国庆 and the suspended one, met.
    assert (_month(figures, "2026-10")["recognition_met"], _month(figures, "2026-10")["recognition_missed"]) == (4, 1)
