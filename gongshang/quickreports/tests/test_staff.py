"""services/staff.py: every staff action is checked through the matrix (inventory §7.1 item 9:
the services checked no role), and every status change goes through the workflow table."""

import pytest

from gongshang.cases.models import CaseEvent, InjuryCase
from gongshang.core.errors import DomainError, Forbidden
from gongshang.core.models import AuditEvent
from gongshang.quickreports.models import QuickReport, QuickReportEvent
from gongshang.quickreports.services import staff

pytestmark = pytest.mark.django_db

CALLS = {
    "receive": lambda actor, report: staff.quick_report_receive(actor=actor, report=report),
    "message": lambda actor, report: staff.quick_report_message(actor=actor, report=report, text="请补交材料"),
    "open_case": lambda actor, report: staff.quick_report_open_case(actor=actor, report=report),
    "green_channel": lambda actor, report: staff.quick_report_green_channel(actor=actor, report=report),
    "close_invalid": lambda actor, report: staff.quick_report_close_invalid(actor=actor, report=report,
                                                                            reason="误报"),
    "mark_viewed": lambda actor, report: staff.quick_report_mark_viewed(actor=actor, report=report),
}


@pytest.mark.parametrize("role", ["benefits_reviewer", "hotline", "system_admin", "reviewer", "appraisal_admin"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_roles_of_the_same_region_without_the_action_are_refused(worker, submit, staff_factory, role, name):
    report = submit(worker).report
    with pytest.raises(Forbidden):
        CALLS[name](staff_factory(role), report)
    fresh = QuickReport.objects.get()
    assert (fresh.status, fresh.first_viewed_at, fresh.flags) == ("new", None, report.flags)
    assert list(QuickReportEvent.objects.values_list("event_type", flat=True)) == ["quickreport.submitted"]
    assert InjuryCase.objects.get().status == "reported"


@pytest.mark.parametrize("outsider", ["worker", "employer_user_a"])
def test_outside_accounts_cannot_work_the_inbox(request, worker, submit, employer_user_a, outsider):
    report = submit(worker).report
    for name in ("receive", "open_case", "close_invalid", "message"):
        with pytest.raises((Forbidden, DomainError)) as exc:
            CALLS[name](request.getfixturevalue(outsider), report)
        assert exc.value.status in (403, 404)
    assert QuickReport.objects.get().status == "new"


@pytest.mark.parametrize("role", ["intake", "investigator"])
def test_inbox_roles_receive_open_and_the_cases_follow(worker, submit, staff_factory, role):
    officer = staff_factory(role)
    report = submit(worker).report
    assert staff.quick_report_receive(actor=officer, report=report).status == "received"
    assert staff.quick_report_open_case(actor=officer, report=report).status == "case_opened"
    case = InjuryCase.objects.get()
    assert case.status == "opened"
    assert CaseEvent.objects.get(case=case, event_type="case.status_changed").details == {
        "from": "reported", "to": "opened", "reason": "工伤快报立案"}
    received = QuickReportEvent.objects.get(event_type="quickreport.received")
    assert received.actor == officer and received.details == {"from": "new", "to": "received"}
    assert AuditEvent.objects.filter(event_type="quickreport.case_opened", actor=officer).exists()


def test_stale_status_is_409(worker, submit, staff_factory):
    officer = staff_factory("intake")
    report = submit(worker).report
    stale = QuickReport.objects.get(pk=report.pk)
    staff.quick_report_close_invalid(actor=officer, report=report, reason="误报")
    for name in ("receive", "open_case", "close_invalid", "green_channel"):
        with pytest.raises(DomainError) as exc:
            CALLS[name](officer, stale)
        assert exc.value.status == 409, name
    assert QuickReport.objects.get().status == "closed_invalid"
    assert InjuryCase.objects.get().status == "closed"


def test_receive_twice_is_409_with_a_message_for_the_officer(worker, submit, staff_factory):
    officer = staff_factory("intake")
    report = submit(worker).report
    staff.quick_report_receive(actor=officer, report=report)
    with pytest.raises(DomainError) as exc:
        staff.quick_report_receive(actor=officer, report=report)
    assert exc.value.status == 409 and "刷新" in exc.value.message


def test_green_channel_on_an_opened_report_marks_every_case(employer_user_a, zhang_wei, submit, staff_factory):
    from .conftest import other_person

    officer = staff_factory("investigator")
    report = submit(employer_user_a, reporter_kind="employer",
                    persons=[other_person(name="张伟", id_number=zhang_wei.id_number), other_person()]).report
    staff.quick_report_open_case(actor=officer, report=report)
    report = staff.quick_report_green_channel(actor=officer, report=report)
    assert report.status == "case_opened" and "green_channel" in report.flags
    assert list(InjuryCase.objects.values_list("green_channel", flat=True)) == [True, True]
    assert QuickReportEvent.objects.filter(event_type="quickreport.green_channel").count() == 1


def test_green_channel_twice_answers_409_and_records_once(worker, submit, staff_factory):
    """Two tabs: the second 开通绿色通道 is refused (409, in Chinese) and adds no second timeline
    entry or audit event."""
    officer = staff_factory("investigator")
    report = submit(worker).report
    stale = QuickReport.objects.get(pk=report.pk)
    staff.quick_report_green_channel(actor=officer, report=report)
    with pytest.raises(DomainError) as exc:
        staff.quick_report_green_channel(actor=officer, report=stale)
    assert exc.value.status == 409 and "已开通绿色通道" in exc.value.message
    assert QuickReportEvent.objects.filter(event_type="quickreport.green_channel").count() == 1
    assert AuditEvent.objects.filter(event_type="quickreport.green_channel").count() == 1
