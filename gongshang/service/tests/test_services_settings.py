"""服务参数: a new version from a date closes the open one."""

from datetime import date
from decimal import Decimal

import pytest

from gongshang.core.errors import FieldErrors, Forbidden
from gongshang.service.models import ServiceSetting
from gongshang.service.selectors.settings import setting_for
from gongshang.service.services.settings import service_setting_add

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2025-12-01 10:00 +08:00")]
DATA = {"valid_from": date(2026, 1, 1), "consultation_days": 2, "complaint_days": 5, "suggestion_days": 5,
        "accident_filing_days": 1, "help_days": 2, "rating_follow_up_days": 10,
        "prevention_cap_percent": Decimal("3.00"), "source": "演示值"}


def test_add_versions(staff_factory):
    prevention = staff_factory("prevention")
    first = service_setting_add(actor=staff_factory("hotline"), data=DATA)
    second = service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2026, 7, 1),
                                                                        "complaint_days": 3})
    first.refresh_from_db()
    assert first.valid_to == date(2026, 6, 30) and second.valid_to is None
    assert setting_for("370200", date(2026, 3, 1)).complaint_days == 5
    assert setting_for("370200", date(2026, 7, 1)).complaint_days == 3
    assert second.rating_follow_up_days == 10 and second.prevention_cap_percent == Decimal("3.00")
    with pytest.raises(FieldErrors) as caught:
        service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2026, 7, 1),
                                                                  "complaint_days": 3})
    assert "valid_from" in caught.value.errors
    assert prevention.pk


def test_refusals(staff_factory):
    with pytest.raises(FieldErrors) as caught:
        service_setting_add(actor=staff_factory("hotline"), data={**DATA, "complaint_days": 0, "source": "",
                                                                  "prevention_cap_percent": "abc"})
    assert set(caught.value.errors) == {"complaint_days", "source", "prevention_cap_percent"}
    with pytest.raises(Forbidden):
        service_setting_add(actor=staff_factory("window"), data=DATA)
    assert not ServiceSetting.objects.exists()


def test_a_new_version_keeps_the_payment_bands_it_does_not_edit(staff_factory):
    """The form has no field for the prevention payment bands: a new version carries the region's
    bands over instead of silently going back to the platform's defaults."""
    bands = [{"min_score": "95", "percent": "100"}, {"min_score": "75", "percent": "70"}]
    ServiceSetting.objects.create(region="370200", valid_from=date(2025, 1, 1), prevention_payment_bands=bands,
                                  source="市人社局文件")
    added = service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2026, 7, 1)})
    assert ServiceSetting.objects.get(pk=added.pk).prevention_payment_bands == bands
    assert setting_for("370200", date(2026, 7, 1)).prevention_payment_bands == bands


def test_each_role_changes_only_the_figures_it_answers_for(staff_factory):
    """The 热线坐席 sets the tickets' and follow-ups' working days, the 工伤预防专管员 the prevention
    cap; the other's figures must stay as they are (422 on that field, nothing saved)."""
    hotline, prevention = staff_factory("hotline"), staff_factory("prevention")
    with pytest.raises(FieldErrors) as caught:
        service_setting_add(actor=hotline, data={**DATA, "prevention_cap_percent": Decimal("5.00")})
    assert set(caught.value.errors) == {"prevention_cap_percent"}
    with pytest.raises(FieldErrors) as caught:
        service_setting_add(actor=prevention, data={**DATA, "rating_follow_up_days": 5, "complaint_days": 9})
    assert set(caught.value.errors) == {"complaint_days"} and "热线坐席" in caught.value.errors["complaint_days"]
    assert not ServiceSetting.objects.exists()
    raised = service_setting_add(actor=prevention, data={**DATA, "rating_follow_up_days": 5,
                                                         "prevention_cap_percent": Decimal("2.50")})
    assert raised.prevention_cap_percent == Decimal("2.50")


def test_a_version_never_starts_in_the_past(staff_factory):
    with pytest.raises(FieldErrors) as caught:
        service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2025, 11, 30)})
    assert "不能早于今天" in caught.value.errors["valid_from"]
    assert not ServiceSetting.objects.exists()


@pytest.mark.time_machine("2026-09-30 10:00 +08:00", tick=False)
def test_a_version_starting_today_moves_the_due_times_of_todays_open_tickets(staff_factory):
    """A ticket registered this morning under 2 working days is due 10-09 (10-01..10-07 holidays);
    a version from today with 1 day governs it too: its stored due time moves at once. Closed tickets,
    yesterday's tickets and other regions' tickets keep theirs."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from gongshang.service.models import Ticket

    from .factories_tickets import hotline, make_ticket

    tz = ZoneInfo("Asia/Shanghai")
    agent = hotline(display_name="刘坐席")
    today, closed = make_ticket(agent), make_ticket(agent)
    Ticket.objects.filter(pk=closed.pk).update(status="closed")
    yesterday = make_ticket(agent)
    Ticket.objects.filter(pk=yesterday.pk).update(created_at=datetime(2026, 9, 29, 16, 0, tzinfo=tz),
                                                  due_at=datetime(2026, 10, 8, 23, 59, 59, tzinfo=tz))
    assert today.due_at == datetime(2026, 10, 9, 23, 59, 59, tzinfo=tz)

    service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2026, 9, 30),
                                                              "consultation_days": 1})
    assert Ticket.objects.get(pk=today.pk).due_at == datetime(2026, 10, 8, 23, 59, 59, tzinfo=tz)
    assert Ticket.objects.get(pk=closed.pk).due_at == datetime(2026, 10, 9, 23, 59, 59, tzinfo=tz)
    assert Ticket.objects.get(pk=yesterday.pk).due_at == datetime(2026, 10, 8, 23, 59, 59, tzinfo=tz)


@pytest.mark.time_machine("2026-09-30 00:45 +08:00", tick=False)
def test_the_due_time_refresh_follows_the_local_day_and_the_region(staff_factory):
    """Local days, not UTC ones: a ticket registered at 00:30 on the first day moves (16:30 UTC the
    day before), one registered at 23:59 the evening before does not; nor does another region's
    ticket registered today. A version starting later moves nothing."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from gongshang.service.models import Ticket

    from .factories_tickets import hotline, make_ticket

    tz = ZoneInfo("Asia/Shanghai")
    marker = datetime(2026, 12, 31, 23, 59, 59, tzinfo=tz)  # a due time no refresh would compute
    agent = hotline(display_name="刘坐席")
    early, evening = make_ticket(agent), make_ticket(agent)
    elsewhere = make_ticket(hotline(region="370300", display_name="王坐席"))
    Ticket.objects.filter(pk=early.pk).update(created_at=datetime(2026, 9, 30, 0, 30, tzinfo=tz))
    Ticket.objects.filter(pk=evening.pk).update(created_at=datetime(2026, 9, 29, 23, 59, tzinfo=tz), due_at=marker)
    Ticket.objects.filter(pk=elsewhere.pk).update(due_at=marker)

    service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2026, 9, 30),
                                                              "consultation_days": 1})
    assert Ticket.objects.get(pk=early.pk).due_at == datetime(2026, 10, 8, 23, 59, 59, tzinfo=tz)
    assert Ticket.objects.get(pk=evening.pk).due_at == marker
    assert Ticket.objects.get(pk=elsewhere.pk).due_at == marker

    service_setting_add(actor=staff_factory("hotline"), data={**DATA, "valid_from": date(2026, 10, 8),
                                                              "consultation_days": 5})
    assert Ticket.objects.get(pk=early.pk).due_at == datetime(2026, 10, 8, 23, 59, 59, tzinfo=tz)  # not its day
