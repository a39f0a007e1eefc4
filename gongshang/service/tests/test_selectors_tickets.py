"""Caller lookup and the queue's filters."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.registry.tests.factories import InsuredPersonFactory
from gongshang.service.presenters.tickets import lookup_dict
from gongshang.service.selectors.tickets import caller_lookup, ticket_list
from gongshang.service.services import tickets as services

from .factories_tickets import hotline, make_case, make_ticket

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def agent(db):
    return hotline()


def test_lookup_by_id_number_finds_person_cases_and_tickets_masked(agent, zhang_wei):
    case = make_case(agent, person=zhang_wei)
    earlier = make_ticket(agent, caller_id_number="370202198803151237")
    make_case(agent, region="370700", name="李四", id_number="370202198803151237")  # another 统筹区
    found = lookup_dict(caller_lookup(actor=agent, id_number="370202198803151237"))
    assert found["persons"] == [{"name": "张*", "id_number": "370202********1237", "mobile": "139****0001",
                                 "region": "370200"}]
    assert [c["number"] for c in found["cases"]] == [case.number]
    assert found["cases"][0]["injured_name"] == "张*"
    assert [t["number"] for t in found["tickets"]] == [earlier.number]


def test_lookup_by_mobile(agent, zhang_wei):
    make_case(agent, person=zhang_wei)
    found = caller_lookup(actor=agent, mobile="139 0000 0001")
    assert found.by == "mobile" and found.persons == [zhang_wei] and len(found.cases) == 1
    assert caller_lookup(actor=agent, mobile="13700000000").persons == []


def test_lookup_refusals(agent, staff_factory):
    with pytest.raises(DomainError) as caught:
        caller_lookup(actor=agent)
    assert caught.value.status == 422
    with pytest.raises(FieldErrors):
        caller_lookup(actor=agent, id_number="123")
    with pytest.raises(Forbidden):
        caller_lookup(actor=staff_factory("intake"), mobile="13900000001")
    InsuredPersonFactory(id_number="370211199207084569", region="370700", mobile="13900000002")
    assert caller_lookup(actor=agent, id_number="370211199207084569").persons == []


def test_queue_filters(agent, staff_factory):
    intake = staff_factory("intake")
    with time_machine.travel(datetime(2026, 9, 1, 9, tzinfo=TZ), tick=False):
        late = make_ticket(agent, category="complaint")
        services.ticket_transfer(actor=agent, ticket=late, desk="intake")
    with time_machine.travel(datetime(2026, 9, 10, 9, tzinfo=TZ), tick=False):
        fresh = make_ticket(hotline(), category="consultation")
        closed = make_ticket(agent, answer="已答复")
        make_ticket(hotline(region="370700"))
        assert {t.pk for t in ticket_list(actor=agent)} == {late.pk, fresh.pk, closed.pk}
        assert {t.pk for t in ticket_list(actor=agent, filters={"view": "mine"})} == {late.pk, closed.pk}
        assert [t.pk for t in ticket_list(actor=agent, filters={"view": "overdue"})] == [late.pk]
        assert [t.pk for t in ticket_list(actor=agent, filters={"view": "complaints"})] == [late.pk]
        assert [t.pk for t in ticket_list(actor=intake, filters={"view": "desk"})] == [late.pk]
        assert list(ticket_list(actor=agent, filters={"view": "desk"})) == []
        assert [t.pk for t in ticket_list(actor=agent, filters={"status": "closed"})] == [closed.pk]
        assert list(ticket_list(actor=staff_factory("leader"))) == []
