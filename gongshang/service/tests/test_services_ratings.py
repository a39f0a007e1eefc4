"""好差评 services: who may rate which matter and when (finished / not finished per matter), once; a
bad rating's follow-up due in the region's working days (over a holiday); closing it tells the
applicant through the outbox; the 12333 callback records the caller's rating on the ticket."""

from datetime import date

import pytest
from django.utils import timezone

from gongshang.accounts.tests.factories import EmployerUserFactory, IndividualUserFactory
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.service.models import Rating, RatingFollowUp, ServiceSetting, TicketEvent
from gongshang.service.selectors.ratings_matters import ratable_matters
from gongshang.service.services.ratings import follow_up_close, rating_create, ticket_callback

from .factories_ratings import *  # noqa: F403
from .factories_ratings import (
    make_appraisal,
    make_bad_rating,
    make_entitlement,
    make_recognition,
    make_ticket,
    make_window,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def _refused(exc_info, status, code):
    assert (exc_info.value.status, exc_info.value.code) == (status, code)


# --- finished or not, per matter -------------------------------------------------------------------------

@pytest.mark.parametrize("status, finished", [("decided", True), ("delivered", True), ("accepted", False),
                                              ("investigating", False), ("not_accepted", False)])
def test_recognition_finished_when_decided_or_delivered(worker, case, employer_user_a, status, finished):
    application = make_recognition(case, employer_user_a, status=status)
    if finished:
        rating = rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=5, comment="很快")
        assert (rating.region, rating.case_id, rating.rater_id, rating.channel) == ("370200", case.pk, worker.pk, "online")
        assert rating.comment == "很快"
    else:
        with pytest.raises(DomainError) as exc:
            rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=5)
        _refused(exc, 409, "matter_not_finished")
        assert not Rating.objects.exists()


@pytest.mark.parametrize("status, finished", [("concluded", True), ("delivered", True), ("scheduled", False),
                                              ("accepted", False)])
def test_appraisal_finished_when_concluded_or_delivered(worker, case, employer_user_a, status, finished):
    application = make_appraisal(case, employer_user_a, status=status)
    call = lambda: rating_create(actor=worker, matter="appraisal", matter_id=application.pk, score=4)  # noqa: E731
    if finished:
        assert call().matter == "appraisal"
    else:
        with pytest.raises(DomainError) as exc:
            call()
        _refused(exc, 409, "matter_not_finished")


@pytest.mark.parametrize("status, approved, finished", [("active", True, True), ("stopped", True, True),
                                                        ("pending", False, False), ("rejected", False, False)])
def test_benefits_finished_with_an_approved_entitlement(worker, case, status, approved, finished):
    make_entitlement(case, status=status, approved=approved)
    call = lambda: rating_create(actor=worker, matter="benefits", matter_id=case.pk, score=3)  # noqa: E731
    if finished:
        assert call().matter_id == case.pk
    else:
        with pytest.raises(DomainError) as exc:
            call()
        _refused(exc, 409, "matter_not_finished")


@pytest.mark.parametrize("status, finished", [("closed", True), ("follow_ons_created", True),
                                              ("waiting_recognition", False), ("not_recognised", False)])
def test_window_request_finished_when_closed_or_follow_ons_created(employer_user_a, case, status, finished):
    request = make_window(case, employer_user_a, status=status)
    call = lambda: rating_create(actor=employer_user_a, matter="window", matter_id=request.pk, score=5)  # noqa: E731
    if finished:
        assert call().rater == employer_user_a
    else:
        with pytest.raises(DomainError) as exc:
            call()
        _refused(exc, 409, "matter_not_finished")


def test_ticket_rated_by_its_caller_once_closed(worker, hotline):
    closed = make_ticket(hotline, mobile="139 0000 0001")
    assert rating_create(actor=worker, matter="ticket", matter_id=closed.pk, score=5).matter == "ticket"
    still_open = make_ticket(hotline, status="replied")
    with pytest.raises(DomainError) as exc:
        rating_create(actor=worker, matter="ticket", matter_id=still_open.pk, score=5)
    _refused(exc, 409, "matter_not_finished")


def test_someone_elses_ticket_is_not_found(hotline):
    ticket = make_ticket(hotline, mobile="13900000001")
    stranger = IndividualUserFactory(mobile="13912345678")
    with pytest.raises(DomainError) as exc:
        rating_create(actor=stranger, matter="ticket", matter_id=ticket.pk, score=5)
    _refused(exc, 404, "not_found")


# --- who may rate ----------------------------------------------------------------------------------------

def test_employer_handler_of_the_case_may_rate_and_others_may_not(case, employer_user_a, employer_user_b):
    application = make_recognition(case, employer_user_a)
    assert rating_create(actor=employer_user_a, matter="recognition", matter_id=application.pk, score=4).score == 4
    with pytest.raises(DomainError) as exc:
        rating_create(actor=employer_user_b, matter="recognition", matter_id=application.pk, score=4)
    _refused(exc, 404, "not_found")
    unbound = IndividualUserFactory()
    with pytest.raises(DomainError) as exc:
        rating_create(actor=unbound, matter="recognition", matter_id=application.pk, score=4)
    _refused(exc, 404, "not_found")
    assert Rating.objects.count() == 1


def test_staff_may_not_rate(hotline, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    with pytest.raises(DomainError) as exc:
        rating_create(actor=hotline, matter="recognition", matter_id=application.pk, score=4)
    _refused(exc, 403, "forbidden")


def test_a_matter_is_rated_once_per_rater(worker, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=4)
    with pytest.raises(DomainError) as exc:
        rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=1)
    _refused(exc, 409, "already_rated")
    assert exc.value.message == "该事项您已评价过，不能重复评价。"
    # The employer is another applicant of the same matter: it rates too.
    rating_create(actor=employer_user_a, matter="recognition", matter_id=application.pk, score=5)
    assert Rating.objects.count() == 2 and not RatingFollowUp.objects.exists()


def test_bad_input_names_the_field(worker, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    with pytest.raises(FieldErrors) as exc:
        rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=6, comment="好" * 501)
    assert set(exc.value.errors) == {"score", "comment"} and "1 到 5 分" in exc.value.errors["score"]
    with pytest.raises(FieldErrors) as exc:
        rating_create(actor=worker, matter="holiday", matter_id=application.pk, score=5)
    assert "评价事项" in exc.value.errors["matter"]
    assert not Rating.objects.exists()


# --- the follow-up of a bad rating -------------------------------------------------------------------------

@pytest.mark.time_machine("2026-09-30 15:00 +08:00")
def test_bad_rating_follow_up_due_over_the_national_day_holiday(worker, case, employer_user_a):
    """5 working days from 30 September 2026: 1-7 October are 国庆 rest days, Saturday 10 October is
    a 调休 working day: 8, 9, 10, 12, 13 October."""
    application = make_recognition(case, employer_user_a)
    rating = rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=2, comment="材料反复退回")
    follow_up = RatingFollowUp.objects.get(rating=rating)
    assert (follow_up.status, follow_up.region, follow_up.due_date) == ("open", "370200", date(2026, 10, 13))
    event = AuditEvent.objects.filter(event_type="service_rating.created").get()
    assert event.details["follow_up_due"] == "2026-10-13"


def test_follow_up_days_come_from_the_regional_setting(worker, case, employer_user_a):
    ServiceSetting.objects.create(region="370200", valid_from=date(2026, 1, 1), rating_follow_up_days=15)
    application = make_recognition(case, employer_user_a)
    rating = rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=1)
    # 15 working days from Tuesday 10 March 2026 (no holiday in between): Tuesday 31 March.
    assert rating.follow_up.due_date == date(2026, 3, 31)


def test_good_and_middling_ratings_open_no_follow_up(worker, case, employer_user_a):
    application = make_recognition(case, employer_user_a)
    rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=3)
    assert not RatingFollowUp.objects.exists()


def test_closing_the_follow_up_tells_the_applicant(worker, case, hotline):
    rating, follow_up = make_bad_rating(worker, case)
    done = follow_up_close(actor=hotline, follow_up=follow_up, outcome="已约谈经办人员，补正材料改为一次告知。")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_by, follow_up.assignee) == ("closed", hotline, hotline)
    assert follow_up.told_at == follow_up.closed_at and timezone.localdate(follow_up.closed_at) == date(2026, 3, 10)
    assert done.outcome == "已约谈经办人员，补正材料改为一次告知。"
    sms = OutboxMessage.objects.get(template="sms_rating_follow_up")
    assert sms.recipient == "13900000001" and sms.region == "370200"
    assert sms.params["level"] == "非常不满意" and sms.params["matter"] == "工伤认定"
    event = AuditEvent.objects.get(event_type="service_rating.follow_up_closed")
    assert event.details["on_time"] is True and event.details["to"] == "closed"


def test_a_follow_up_is_closed_once_and_needs_an_outcome(worker, case, hotline, window_staff):
    rating, follow_up = make_bad_rating(worker, case)
    with pytest.raises(FieldErrors) as exc:
        follow_up_close(actor=hotline, follow_up=follow_up, outcome="  ")
    assert exc.value.errors == {"outcome": "请填写核实整改情况。"}
    follow_up_close(actor=window_staff, follow_up=follow_up, outcome="已整改")
    with pytest.raises(DomainError) as exc:
        follow_up_close(actor=hotline, follow_up=follow_up, outcome="再次办结")
    _refused(exc, 409, "rating_follow_up_closed")
    follow_up.refresh_from_db()
    assert follow_up.outcome == "已整改" and OutboxMessage.objects.count() == 1


def test_leader_may_not_close_a_follow_up(worker, case, leader):
    rating, follow_up = make_bad_rating(worker, case)
    with pytest.raises(DomainError) as exc:
        follow_up_close(actor=leader, follow_up=follow_up, outcome="已整改")
    _refused(exc, 403, "forbidden")
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


# --- 12333 callback ----------------------------------------------------------------------------------------

def test_callback_records_the_rating_on_the_ticket(hotline, case):
    ticket = make_ticket(hotline, case=case, mobile="13912345678")
    rating = ticket_callback(actor=hotline, ticket=ticket, score=2, note="认为答复不够清楚")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.callback_score, ticket.callback_note) == ("closed", 2, "认为答复不够清楚")
    assert timezone.localdate(ticket.callback_at) == date(2026, 3, 10)
    assert (rating.channel, rating.rater, rating.recorded_by, rating.matter, rating.case) == (
        "callback", None, hotline, "ticket", case)
    assert TicketEvent.objects.get(ticket=ticket).event_type == "ticket.called_back"
    assert AuditEvent.objects.filter(event_type="service_ticket.callback").exists()
    follow_up = rating.follow_up
    assert follow_up.due_date == date(2026, 3, 17)
    # Closing it tells the caller at the number they called from.
    follow_up_close(actor=hotline, follow_up=follow_up, outcome="已重新解释并寄送书面答复。")
    assert OutboxMessage.objects.get(template="sms_rating_follow_up").recipient == "13912345678"


def test_callback_once_and_only_after_closing(hotline, worker):
    ticket = make_ticket(hotline)
    ticket_callback(actor=hotline, ticket=ticket, score=5)
    with pytest.raises(DomainError) as exc:
        ticket_callback(actor=hotline, ticket=ticket, score=1)
    _refused(exc, 409, "already_rated")
    open_ticket = make_ticket(hotline, status="open")
    with pytest.raises(DomainError) as exc:
        ticket_callback(actor=hotline, ticket=open_ticket, score=5)
    _refused(exc, 409, "ticket_callback_not_closed")
    # The caller of a called-back ticket may not rate it again online.
    with pytest.raises(DomainError) as exc:
        rating_create(actor=worker, matter="ticket", matter_id=ticket.pk, score=1)
    _refused(exc, 409, "already_rated")
    rated_online = make_ticket(hotline)
    rating_create(actor=worker, matter="ticket", matter_id=rated_online.pk, score=4)
    with pytest.raises(DomainError) as exc:
        ticket_callback(actor=hotline, ticket=rated_online, score=5)
    _refused(exc, 409, "already_rated")
    assert Rating.objects.count() == 2


def test_callback_is_the_hotlines(window_staff, hotline):
    ticket = make_ticket(hotline)
    with pytest.raises(DomainError) as exc:
        ticket_callback(actor=window_staff, ticket=ticket, score=5)
    _refused(exc, 403, "forbidden")
    with pytest.raises(FieldErrors) as exc:
        ticket_callback(actor=hotline, ticket=ticket, score=0, note="x" * 501)
    assert set(exc.value.errors) == {"score", "note"}
    assert not Rating.objects.exists()


# --- what is waiting for a rating ------------------------------------------------------------------------

def test_ratable_matters_lists_the_finished_and_unrated(worker, case, employer_user_a, hotline):
    done = make_recognition(case, employer_user_a)
    make_recognition(case, employer_user_a, status="investigating")
    make_entitlement(case)
    ticket = make_ticket(hotline)
    make_ticket(hotline, mobile="13700000000")
    found = {(str(m.kind), m.id) for m in ratable_matters(worker)}
    assert found == {("recognition", done.pk), ("benefits", case.pk), ("ticket", ticket.pk)}
    rating_create(actor=worker, matter="benefits", matter_id=case.pk, score=5)
    assert ("benefits", case.pk) not in {(str(m.kind), m.id) for m in ratable_matters(worker)}
    employer_sees = {(str(m.kind), m.id) for m in ratable_matters(employer_user_a)}
    assert employer_sees == {("recognition", done.pk), ("benefits", case.pk)}
    assert ratable_matters(EmployerUserFactory(employer=None, username="nobody", mobile="")) == []


# --- on time or late, across the 国庆 holiday (the clock pinned at each step) -------------------------------

@pytest.mark.parametrize("closed_at, on_time", [
    ("2026-10-13 23:30 +08:00", True),   # the last hour of the due day (15:30 UTC)
    ("2026-10-14 00:30 +08:00", False),  # the next day in Beijing, still 13 October in UTC
])
def test_follow_up_closed_on_time_or_late_across_the_holiday(worker, case, employer_user_a, hotline, leader,
                                                             time_machine, closed_at, on_time):
    from gongshang.service.presenters.ratings import rating_dict
    from gongshang.service.selectors.ratings import ReportFilters, rating_list, rating_report

    time_machine.move_to("2026-09-30 15:00 +08:00")
    application = make_recognition(case, employer_user_a)
    rating = rating_create(actor=worker, matter="recognition", matter_id=application.pk, score=1, comment="太慢")
    assert rating.follow_up.due_date == date(2026, 10, 13)  # 1-7 October rest, Saturday 10 October worked
    time_machine.move_to(closed_at)
    follow_up_close(actor=hotline, follow_up=rating.follow_up, outcome="已约谈经办人员并致歉。")
    event = AuditEvent.objects.get(event_type="service_rating.follow_up_closed")
    assert event.details["on_time"] is on_time
    # The applicant is told the outcome (SMS and their page, which says whether it was on time).
    assert OutboxMessage.objects.get(template="sms_rating_follow_up").recipient == "13900000001"
    shown = rating_dict(rating_list(actor=worker).get())["follow_up"]
    assert shown["outcome"] == "已约谈经办人员并致歉。"
    assert shown["timeliness"] == ("on_time" if on_time else "late")
    total = rating_report(actor=leader, filters=ReportFilters())["total"]
    assert (total.follow_ups_on_time, total.follow_ups_late) == ((1, 0) if on_time else (0, 1))
