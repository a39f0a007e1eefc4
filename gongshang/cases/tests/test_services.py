from datetime import date

import pytest
from django.utils import timezone

from gongshang.cases import selectors, services
from gongshang.cases.models import CaseEvent, InjuryCase
from gongshang.core.errors import DomainError, NotFound

pytestmark = pytest.mark.django_db


def make_case(employer=None, region="370200"):
    accident = services.accident_create(region=region, occurred_at=timezone.now(), employer=employer)
    return services.case_create(actor=None, accident=accident, injured={"name": "张伟", "id_number": "370202198803151237"})


def test_numbers_are_sequential_per_region_and_year():
    year = timezone.localtime().year
    a, b, c = make_case(), make_case(), make_case(region="370100")
    assert a.number == f"GS370200-{year}-000001" and b.number == f"GS370200-{year}-000002"
    assert c.number == f"GS370100-{year}-000001"
    assert services.next_case_number(region="370200", year=year + 1).endswith(f"{year + 1}-000001")


def test_id_number_encrypted_with_blind_index():
    case = make_case()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT injured_id_number FROM cases_injurycase WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert "370202198803151237" not in raw and case.injured_id_number_index


def test_transition_checks_table_and_appends_event():
    case = make_case()
    services.case_transition(actor=None, case=case, to="opened")
    with pytest.raises(DomainError) as exc:
        services.case_transition(actor=None, case=case, to="reported")
    assert exc.value.status == 409
    assert list(CaseEvent.objects.filter(case=case).values_list("event_type", flat=True)) == [
        "case.created", "case.status_changed"]


def test_events_are_append_only():
    event = CaseEvent.objects.filter(case=make_case()).first()
    event.actor_label = "changed"
    with pytest.raises(ValueError):
        event.save()


def test_green_channel_due_in_five_workdays():
    case = make_case()
    assert selectors.green_channel_due(case=case, accepted_on=date(2026, 11, 20)) is None
    case = services.case_mark_green_channel(actor=None, case=case)
    due = selectors.green_channel_due(case=case, accepted_on=date(2026, 11, 20))  # a Friday
    assert due.due == date(2026, 11, 27)


def test_correct_injured_keeps_old_values_in_timeline():
    case = make_case()
    diff = services.case_correct_injured(actor=None, case=case, changes={"injured_name": "张卫"})
    assert diff == {"injured_name": ["张伟", "张卫"]}
    assert InjuryCase.objects.get().injured_name == "张卫"


def test_case_access_scoped(employer_a, employer_user_a, employer_user_b, staff_factory):
    case = make_case(employer=employer_a)
    assert selectors.case_access(actor=employer_user_a, case_id=case.pk) == case
    with pytest.raises(NotFound):
        selectors.case_access(actor=employer_user_b, case_id=case.pk)
    with pytest.raises(NotFound):
        selectors.case_access(actor=staff_factory("intake", jurisdiction="370100"), case_id=case.pk)


def _linked_case(person, employer):
    accident = services.accident_create(region="370200", occurred_at=timezone.now(), employer=employer)
    return services.case_create(actor=None, accident=accident, injured={
        "name": person.name, "id_number": person.id_number, "person": person, "employer": employer})


def test_corrected_id_matching_nobody_unlinks_person_and_employer(zhang_wei, employer_a):
    case = _linked_case(zhang_wei, employer_a)
    diff = services.case_correct_injured(actor=None, case=case, changes={"injured_id_number": "110101199003077777"},
                                         person=None, employer=None)
    case.refresh_from_db()
    assert case.person_id is None and case.employer_id is None  # no stale link to 张伟 / his employer
    assert diff["person_id"] == [zhang_wei.pk, None] and diff["employer_id"] == [employer_a.pk, None]
    event = CaseEvent.objects.filter(case=case, event_type="case.injured_corrected").get()
    assert event.details["changes"]["injured_id_number"][0] == "370202198803151237"


def test_corrected_id_relinks_to_the_other_person_and_his_employer(zhang_wei, employer_a, employer_b):
    from gongshang.registry.tests.factories import EnrolmentFactory, InsuredPersonFactory

    li = InsuredPersonFactory(id_number="110101199003077777", name="李四")
    EnrolmentFactory(person=li, employer=employer_b)
    case = _linked_case(zhang_wei, employer_a)
    services.case_correct_injured(actor=None, case=case, changes={"injured_id_number": li.id_number},
                                  person=li, employer=employer_b)
    case.refresh_from_db()
    assert (case.person_id, case.employer_id) == (li.pk, employer_b.pk)


def test_correction_without_id_change_keeps_links(zhang_wei, employer_a):
    case = _linked_case(zhang_wei, employer_a)
    services.case_correct_injured(actor=None, case=case, changes={"injured_name": "张卫"}, person=None,
                                  employer=None)
    case.refresh_from_db()
    assert (case.person_id, case.employer_id) == (zhang_wei.pk, employer_a.pk)
