"""12333 工单 services: numbering, due dates by working days, the steps, the phoned-in accident."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError

from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent, OutboxMessage, PiiAccessLog
from gongshang.quickreports.models import QuickReport
from gongshang.service.models import ServiceSetting, Ticket, TicketEvent
from gongshang.service.services import tickets as services

from .factories_tickets import accident, hotline, make_case, make_ticket

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
BEFORE_NATIONAL_DAY = datetime(2026, 9, 30, 10, 0, tzinfo=TZ)


@pytest.fixture
def agent(db):
    return hotline(display_name="刘坐席")


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_due_dates_skip_the_national_day_holiday(agent):
    consultation = make_ticket(agent)
    complaint = make_ticket(agent, category="complaint", summary="单位拒绝提供劳动合同")
    # 2 working days after 9-30: 10-01..10-07 are holidays → 10-08, 10-09.
    assert consultation.due_at == datetime(2026, 10, 9, 23, 59, 59, tzinfo=TZ)
    # 5 working days: 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13.
    assert complaint.due_at == datetime(2026, 10, 13, 23, 59, 59, tzinfo=TZ)
    assert Ticket.objects.get(pk=consultation.pk).due_at == consultation.due_at


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_stored_due_dates_follow_a_calendar_change_until_closed(agent):
    from gongshang.core.models import HolidayOverride

    consultation, closed = make_ticket(agent), make_ticket(agent)
    Ticket.objects.filter(pk=closed.pk).update(status="closed")
    assert services.ticket_due_dates_refresh() == 0
    HolidayOverride.objects.create(date=datetime(2026, 10, 9).date(), is_workday=False, name="测试假日")
    assert services.ticket_due_dates_refresh() == 1
    assert Ticket.objects.get(pk=consultation.pk).due_at == datetime(2026, 10, 10, 23, 59, 59, tzinfo=TZ)  # 调休
    assert Ticket.objects.get(pk=closed.pk).due_at == datetime(2026, 10, 9, 23, 59, 59, tzinfo=TZ)


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_due_days_come_from_the_regional_setting(agent):
    ServiceSetting.objects.create(region="370200", valid_from=datetime(2026, 1, 1).date(), consultation_days=1)
    ticket = make_ticket(agent)
    assert ticket.due_at == datetime(2026, 10, 8, 23, 59, 59, tzinfo=TZ)


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_numbers_are_sequential_per_region_and_year(agent):
    first, second = make_ticket(agent), make_ticket(agent)
    other = make_ticket(hotline(region="370700"))
    assert (first.number, second.number) == ("12333-370200-2026-000001", "12333-370200-2026-000002")
    assert other.number == "12333-370700-2026-000001"
    created = TicketEvent.objects.filter(ticket=first, event_type="ticket.created").get()
    assert created.actor == agent
    assert AuditEvent.objects.filter(event_type="service_ticket.created", target_id=str(first.pk)).exists()


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_a_number_taken_concurrently_is_retried(agent):
    make_ticket(agent)
    real = services.next_ticket_number
    calls = []

    def stale(region, year):
        calls.append(1)
        # The first read is stale (another agent's insert committed in between): the number exists.
        return "12333-370200-2026-000001" if len(calls) == 1 else real(region, year)

    with mock.patch.object(services, "next_ticket_number", side_effect=stale):
        ticket = make_ticket(agent)
    assert ticket.number == "12333-370200-2026-000002" and len(calls) == 2
    assert Ticket.objects.count() == 2


def test_the_number_is_unique_in_the_database(agent):
    ticket = make_ticket(agent)
    with pytest.raises(IntegrityError):
        Ticket.objects.create(region="370200", number=ticket.number, channel="phone", category="help",
                              summary="x", due_at=ticket.due_at, created_by=agent)


def test_refusals_name_the_field_and_write_nothing(agent):
    with pytest.raises(FieldErrors) as caught:
        make_ticket(agent, category="complaint", caller_mobile="", summary=" ", caller_id_number="123")
    assert set(caught.value.errors) == {"caller_mobile", "summary", "caller_id_number"}
    assert "caller_mobile" in caught.value.errors["caller_mobile"]
    assert not Ticket.objects.exists()


def test_case_number_must_be_of_the_agents_region(agent):
    other_case = make_case(agent, region="370700")
    with pytest.raises(FieldErrors) as caught:
        make_ticket(agent, case_number=other_case.number)
    assert "case_number" in caught.value.errors and "本统筹区" in caught.value.errors["case_number"]
    own = make_case(agent)
    assert make_ticket(agent, case_number=own.number).case == own


def test_answered_during_the_call_is_closed_at_once(agent):
    ticket = make_ticket(agent, answer="已告知：工伤认定申请须提交劳动关系证明和医疗诊断证明。")
    assert ticket.status == "closed" and ticket.closed_at is not None
    assert ticket.reply.startswith("已告知")
    assert list(ticket.events.values_list("event_type", flat=True)) == ["ticket.created", "ticket.closed"]


def test_transfer_reply_close(agent, staff_factory):
    intake = staff_factory("intake")
    investigator = staff_factory("investigator")
    ticket = make_ticket(agent, category="complaint", summary="认定超过 60 日仍未作出决定")
    with pytest.raises(FieldErrors):
        services.ticket_transfer(actor=agent, ticket=ticket, desk="hotline")
    services.ticket_transfer(actor=agent, ticket=ticket, desk="intake", note="请核实认定进度")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.desk) == ("transferred", "intake")
    # Only the desk replies: not the agent, not another desk.
    for someone in (agent, investigator):
        with pytest.raises(Forbidden):
            services.ticket_reply(actor=someone, ticket=ticket, text="答复")
    services.ticket_reply(actor=intake, ticket=ticket, text="已于 10 月 9 日作出认定决定，正在送达。")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("replied", intake)
    with pytest.raises(Forbidden):  # closing is the agent's (the matrix)
        services.ticket_close(actor=intake, ticket=ticket, note="x")
    services.ticket_close(actor=agent, ticket=ticket, note="已电话告知来电人认定决定已作出。")
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_at is not None
    with pytest.raises(DomainError) as caught:
        services.ticket_transfer(actor=agent, ticket=ticket, desk="intake")
    assert caught.value.status == 409 and caught.value.code == "ticket_closed"
    assert list(ticket.events.values_list("event_type", flat=True)) == [
        "ticket.created", "ticket.transferred", "ticket.replied", "ticket.closed"]
    assert AuditEvent.objects.filter(event_type="service_ticket.replied", target_id=str(ticket.pk)).exists()


def test_the_agent_replies_before_any_transfer(agent, staff_factory):
    ticket = make_ticket(agent)
    with pytest.raises(Forbidden):
        services.ticket_reply(actor=staff_factory("intake"), ticket=ticket, text="x")
    with pytest.raises(FieldErrors):
        services.ticket_reply(actor=agent, ticket=ticket, text=" ")
    services.ticket_reply(actor=agent, ticket=ticket, text="见知识库口径")
    assert Ticket.objects.get(pk=ticket.pk).status == "replied"


def test_reveal_is_logged(agent, staff_factory):
    ticket = make_ticket(agent, caller_id_number="370202198803151237")
    assert services.ticket_reveal(actor=agent, ticket=ticket, field_name="caller_mobile") == "13812340001"
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.field, log.target_id) == (agent, "caller_mobile", str(ticket.pk))
    assert ticket.events.filter(event_type="ticket.revealed").count() == 1
    with pytest.raises(Forbidden):
        services.ticket_reveal(actor=staff_factory("window"), ticket=ticket, field_name="caller_mobile")
    with pytest.raises(FieldErrors):
        services.ticket_reveal(actor=agent, ticket=ticket, field_name="summary")
    assert PiiAccessLog.objects.count() == 1


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_phoned_in_accident_files_a_quick_report_and_texts_the_code(agent, zhang_wei):
    result = services.ticket_create(actor=agent, data=services.TicketInput(
        channel="phone", category="accident_filing", summary="来电报告工地事故", caller_name="赵强",
        caller_mobile="13812340009", accident=accident(BEFORE_NATIONAL_DAY - timedelta(hours=2),
                                                       injured_name="张伟", injured_id_number="370202198803151237",
                                                       injured_mobile="13900000001")))
    ticket = result.ticket
    report = QuickReport.objects.get()
    assert ticket.quick_report == report and Ticket.objects.get(pk=ticket.pk).quick_report == report
    assert (report.reporter_kind, report.reporter, report.reporter_mobile) == ("hotline", agent, "13812340009")
    assert report.reporter_name == "赵强" and report.region == "370200"
    case = report.accident.cases.get()
    assert case.person == zhang_wei and result.case_numbers == [case.number]
    # The code went by SMS (secret template) to the caller and to the injured person's own mobile.
    sms = OutboxMessage.objects.filter(template="sms_quickreport_code")
    assert sorted(m.recipient for m in sms) == ["13812340009", "13900000001"]
    assert all("快报唯一标志码" in m.body for m in sms)
    assert result.sms_to == ["138****0009", "139****0001"]
    event = ticket.events.get(event_type="ticket.quick_report")
    assert event.details["case_numbers"] == [case.number] and len(event.details["outbox"]) == 2
    # 1 working day for an accident filing: the first working day after the holiday.
    assert ticket.due_at == datetime(2026, 10, 8, 23, 59, 59, tzinfo=TZ)


@time_machine.travel(BEFORE_NATIONAL_DAY, tick=False)
def test_phoned_in_accident_keeps_the_quick_report_checks(agent):
    too_old = accident(BEFORE_NATIONAL_DAY - timedelta(hours=49))
    with pytest.raises(FieldErrors) as caught:
        make_ticket(agent, category="accident_filing", caller_mobile="13812340009", accident=too_old)
    assert "accident.accident_at" in caught.value.errors and "48 小时" in caught.value.errors["accident.accident_at"]
    with pytest.raises(FieldErrors) as caught:
        make_ticket(agent, category="accident_filing", caller_mobile="13812340009",
                    accident=accident(BEFORE_NATIONAL_DAY, address="", description="", pledge_read=False))
    assert {"accident.address", "accident.description", "accident.pledge_read"} <= set(caught.value.errors)
    with pytest.raises(FieldErrors) as caught:  # a landline cannot receive the code
        make_ticket(agent, category="accident_filing", caller_mobile="0532-88886666",
                    accident=accident(BEFORE_NATIONAL_DAY))
    assert "caller_mobile" in caught.value.errors
    with pytest.raises(FieldErrors) as caught:
        make_ticket(agent, category="accident_filing", accident=None)
    assert "accident" in caught.value.errors
    assert not Ticket.objects.exists() and not QuickReport.objects.exists() and not OutboxMessage.objects.exists()


def test_window_staff_may_register_but_not_transfer(staff_factory):
    window = staff_factory("window")
    ticket = make_ticket(window, channel="window")
    with pytest.raises(Forbidden):
        services.ticket_transfer(actor=window, ticket=ticket, desk="intake")
    with pytest.raises(Forbidden):
        make_ticket(staff_factory("intake"))


def test_the_window_closes_what_it_answered_at_the_counter(staff_factory, agent):
    """综合窗口: a question answered at the counter is closed there, at once or when the visitor comes
    back; a call (phone or online) is the hotline's to close after telling the caller."""
    window = staff_factory("window")
    answered = make_ticket(window, channel="window", answer="已当场告知认定所需材料")
    assert answered.status == "closed" and answered.reply == "已当场告知认定所需材料"
    assert Ticket.objects.get(pk=answered.pk).closed_at is not None
    later = make_ticket(window, channel="window")
    closed = services.ticket_close(actor=window, ticket=later, note="来访人再次到窗口，已当面答复")
    assert closed.status == "closed" and TicketEvent.objects.filter(ticket=later, event_type="ticket.closed",
                                                                    actor=window).exists()
    with pytest.raises(FieldErrors) as caught:  # not a counter visit: the hotline tracks and closes it
        make_ticket(window, channel="phone", answer="已告知")
    assert "热线坐席" in caught.value.errors["answer"]
    phoned = make_ticket(agent)
    with pytest.raises(Forbidden):
        services.ticket_close(actor=window, ticket=phoned, note="已告知")
    assert Ticket.objects.get(pk=phoned.pk).status == "open"
    assert Ticket.objects.filter(channel="phone", created_by=window).count() == 0


@pytest.mark.parametrize(("called_at", "due_on"), [
    # The example: a referred question answered within 2 working days (Tuesday → Thursday).
    (datetime(2026, 11, 3, 10, 0, tzinfo=TZ), datetime(2026, 11, 5, 23, 59, 59, tzinfo=TZ)),
    # Friday → Tuesday: the weekend is not counted.
    (datetime(2026, 11, 6, 23, 30, tzinfo=TZ), datetime(2026, 11, 10, 23, 59, 59, tzinfo=TZ)),
    # 00:30 on Saturday in 青岛 is still Friday in UTC: the local day counts (Saturday → Tuesday).
    (datetime(2026, 11, 7, 0, 30, tzinfo=TZ), datetime(2026, 11, 10, 23, 59, 59, tzinfo=TZ)),
    # A call during the Spring Festival holiday (2026-02-15..23; 2-14 and 2-28 are 调休 working Saturdays).
    (datetime(2026, 2, 16, 9, 0, tzinfo=TZ), datetime(2026, 2, 25, 23, 59, 59, tzinfo=TZ)),
    (datetime(2026, 2, 26, 9, 0, tzinfo=TZ), datetime(2026, 2, 28, 23, 59, 59, tzinfo=TZ)),
])
def test_two_working_days_across_weekends_and_holidays(agent, called_at, due_on):
    with time_machine.travel(called_at, tick=False):
        ticket = make_ticket(agent)
    assert ticket.due_at == due_on and Ticket.objects.get(pk=ticket.pk).due_at == due_on
