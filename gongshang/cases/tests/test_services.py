from datetime import date

import pytest
from django.utils import timezone

from gongshang.cases import selectors, services
from gongshang.cases.models import CaseEvent, InjuryCase
from gongshang.core.errors import DomainError, Forbidden, NotFound

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


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_gives_each_case_its_own_number():
    """Six transactions number cases of a region-year nobody has numbered yet, at once: the first
    creates the counter (the others count on it), each gets its own number, none is skipped."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks are checked on PostgreSQL (SQLite serialises whole-database writes)")
    numbers, errors, barrier = [], [], threading.Barrier(6)

    def run():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(services.next_case_number(region="379900", year=2030))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert sorted(numbers) == [f"GS379900-2030-{n:06d}" for n in range(1, 7)]


def test_a_case_that_fails_takes_the_callers_write_with_it():
    """case_create has no savepoint of its own: an error after it rolls back the case, its number,
    event and audit row together with the caller's transaction."""
    from django.db import transaction

    from gongshang.core.models import AuditEvent

    year = timezone.localtime().year
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case()
        raise RuntimeError("the caller's next step fails")
    assert not InjuryCase.objects.exists() and not CaseEvent.objects.exists()
    assert not AuditEvent.objects.filter(event_type="case.created").exists()
    assert make_case().number == f"GS370200-{year}-000001"  # the number was not used up


def test_id_number_encrypted_with_blind_index():
    case = make_case()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT injured_id_number FROM cases_injurycase WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert "370202198803151237" not in raw and case.injured_id_number_index


def test_transition_checks_table_and_appends_event(staff_factory):
    case = make_case()
    services.case_open(actor=staff_factory("intake"), case=case, reason="工伤快报立案")
    with pytest.raises(DomainError) as exc:
        services.case_open(actor=None, case=case)
    assert exc.value.status == 409 and exc.value.details["status"] == "opened"
    events = list(CaseEvent.objects.filter(case=case))
    assert [e.event_type for e in events] == ["case.created", "case.status_changed"]
    assert events[1].details == {"from": "reported", "to": "opened", "reason": "工伤快报立案"}


def test_stale_status_is_409_even_when_the_caller_holds_an_old_copy(staff_factory):
    case = make_case()
    stale = InjuryCase.objects.get(pk=case.pk)
    services.case_close(actor=staff_factory("intake"), case=case, reason="无效")
    with pytest.raises(DomainError) as exc:
        services.case_open(actor=staff_factory("intake"), case=stale)
    assert exc.value.status == 409
    assert InjuryCase.objects.get().status == "closed"


@pytest.mark.parametrize("role", ["hotline", "system_admin", "benefits_reviewer"])
def test_roles_without_the_action_are_refused(staff_factory, role):
    case = make_case()
    actor = staff_factory(role)
    for call in (services.case_open, services.case_close):
        with pytest.raises(Forbidden):
            call(actor=actor, case=case)
    with pytest.raises(Forbidden):
        services.case_mark_green_channel(actor=actor, case=case)
    case.refresh_from_db()
    assert (case.status, case.green_channel) == ("reported", False)


def test_a_step_following_the_callers_checked_action_skips_the_case_matrix_not_the_table(individual_user):
    """recognition closes the case an applicant's deleted application created: the case matrix is
    not asked again (check_access=False), the table is."""
    case = make_case()
    assert services.case_close(actor=individual_user, case=case, check_access=False).status == "closed"
    with pytest.raises(DomainError) as exc:
        services.case_open(actor=None, case=case)
    assert exc.value.status == 409


def test_green_channel_refused_on_a_closed_case_and_idempotent(staff_factory):
    officer = staff_factory("investigator")
    case = services.case_mark_green_channel(actor=officer, case=make_case())
    again = services.case_mark_green_channel(actor=officer, case=case)
    assert again.green_channel and CaseEvent.objects.filter(case=case, event_type="case.green_channel").count() == 1
    closed = make_case()
    services.case_close(actor=officer, case=closed)
    with pytest.raises(DomainError) as exc:
        services.case_mark_green_channel(actor=officer, case=closed)
    assert exc.value.status == 409 and "已关闭的案件" in exc.value.message


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


@pytest.mark.parametrize("role", ["intake", "investigator", "reviewer", "appraisal_admin", "benefits_reviewer"])
def test_case_access_staff_roles_that_work_cases(staff_factory, role):
    case = make_case()
    actor = staff_factory(role)
    assert selectors.case_access(actor=actor, case_id=case.pk) == case
    assert list(selectors.case_list(actor=actor)) == [case]


@pytest.mark.parametrize("role", ["hotline", "system_admin", "security_admin", "audit_admin", "inspector"])
def test_case_access_other_roles_of_the_region_403_and_list_nothing(staff_factory, role):
    """Inventory §7.1: case_access checked no role; a 热线坐席 or 系统管理员 of the region read cases."""
    case = make_case()
    actor = staff_factory(role)
    with pytest.raises(Forbidden):
        selectors.case_access(actor=actor, case_id=case.pk)
    assert not selectors.case_list(actor=actor).exists()


def test_case_access_knows_the_action(staff_factory, employer_user_a, employer_a):
    case = make_case(employer=employer_a)
    assert selectors.case_access(actor=staff_factory("benefits_reviewer"), case_id=case.pk,
                                 action="record_conclusion") == case
    with pytest.raises(Forbidden):
        selectors.case_access(actor=staff_factory("intake"), case_id=case.pk, action="record_conclusion")
    with pytest.raises(Forbidden):
        selectors.case_access(actor=employer_user_a, case_id=case.pk, action="open")


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
