"""身份核验 service (services/identity.py): the record, the cache, outages, the rate limit, batches."""

import pytest
from django.db import connection

from gongshang.core.errors import FieldErrors, RateLimited
from gongshang.core.models import AuditEvent
from gongshang.core.pii.crypto import blind_index

from ..choices import ExchangeEventType, IdentityContext
from ..choices import IdentityResult as R
from ..models import IdentityCheck
from ..services import identity as services
from .factories_identity import (
    BROKEN,
    COUNTING,
    DECEASED_ID,
    DOWN,
    LISTED_ID,
    LISTED_NAME,
    UNKNOWN_ID,
    ZHANG_WEI_ID,
    CountingRegister,
    IdentityCheckFactory,
    aged,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]


@pytest.fixture
def counting(settings):
    settings.POPULATION_REGISTER_BACKEND = COUNTING
    CountingRegister.asked = []
    return CountingRegister


@pytest.fixture
def clerk(staff_factory):
    return staff_factory("exchange")


def check(actor, id_number=LISTED_ID, name=LISTED_NAME, context=IdentityContext.STAFF, region="370200"):
    return services.identity_check_record(actor=actor, id_number=id_number, name=name, context=context, region=region)


def test_a_check_is_recorded_without_the_plain_id_number_or_name(clerk, counting):
    found = check(clerk, f" {LISTED_ID} ", LISTED_NAME)
    assert (found.result, found.cached, found.context, found.region, found.actor) == (
        R.MATCH, False, "staff", "370200", clerk)
    assert found.id_number_index == blind_index(LISTED_ID)
    assert found.name_index == services.name_index(LISTED_NAME) != services.name_index("周建华")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, name_index FROM integrations_identitycheck")
        raw_id, raw_name = cursor.fetchone()
    assert LISTED_ID not in raw_id and LISTED_NAME not in raw_name and len(raw_name) == 64
    event = AuditEvent.objects.get(event_type=ExchangeEventType.IDENTITY_CHECKED)
    assert (event.target_id, event.region, event.details) == (
        str(found.pk), "370200", {"context": "staff", "result": "match", "cached": False})
    assert counting.asked == [(LISTED_ID, LISTED_NAME)]


def test_identity_check_returns_the_answer(clerk):
    assert services.identity_check(actor=clerk, id_number=UNKNOWN_ID, name="甲", context="staff") == R.NOT_FOUND
    assert services.identity_check(actor=clerk, id_number=DECEASED_ID, name="甲", context="staff") == R.DECEASED
    assert services.identity_check(actor=clerk, id_number=LISTED_ID, name="周建华", context="staff") == R.NAME_MISMATCH
    assert IdentityCheck.objects.count() == 3


def test_an_answer_is_reused_for_the_same_pair_within_the_cache_period(clerk, counting, time_machine):
    first = check(clerk)
    second = check(clerk, name=f" {LISTED_NAME} ")  # the same name
    assert (second.result, second.cached) == (R.MATCH, True)
    assert len(counting.asked) == 1
    assert check(clerk, name="周建华").cached is False  # another name: asked
    time_machine.shift(30 * 86400 - 60)
    assert check(clerk).cached is True
    time_machine.shift(120)  # 30 days after the register's answer: asked again
    assert check(clerk).cached is False
    assert len(counting.asked) == 3
    assert IdentityCheck.objects.filter(cached=True).count() == 2
    assert first.pk < second.pk


def test_a_cached_copy_is_never_the_source_of_another(clerk, counting, settings):
    settings.IDENTITY_CACHE_DAYS = 10
    aged(IdentityCheckFactory(id_number=LISTED_ID, name=LISTED_NAME, result=R.NAME_MISMATCH), 12)
    aged(IdentityCheckFactory(id_number=LISTED_ID, name=LISTED_NAME, result=R.NAME_MISMATCH, cached=True), 3)
    found = check(clerk)
    assert (found.result, found.cached) == (R.MATCH, False)
    assert len(counting.asked) == 1


def test_the_latest_answer_within_the_period_is_reused(clerk, counting):
    aged(IdentityCheckFactory(id_number=LISTED_ID, name=LISTED_NAME, result=R.NAME_MISMATCH), 5)
    aged(IdentityCheckFactory(id_number=LISTED_ID, name=LISTED_NAME, result=R.DECEASED), 2)
    assert (check(clerk).result, counting.asked) == (R.DECEASED, [])


def test_an_outage_is_recorded_and_never_cached(clerk, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    assert check(clerk).result == R.UNAVAILABLE
    assert check(clerk).cached is False  # asked again
    settings.POPULATION_REGISTER_BACKEND = BROKEN  # a client bug is an outage for the caller too
    assert check(clerk).result == R.UNAVAILABLE
    settings.POPULATION_REGISTER_BACKEND = COUNTING
    assert (check(clerk).result, check(clerk).cached) == (R.MATCH, True)
    assert list(IdentityCheck.objects.order_by("pk").values_list("result", flat=True)) == [
        "unavailable", "unavailable", "unavailable", "match", "match"]


@pytest.mark.parametrize("id_number, name, field", [
    ("37020219850612031", LISTED_NAME, "id_number"),
    ("370202198506120312", LISTED_NAME, "id_number"),
    (LISTED_ID, "   ", "name"),
    (LISTED_ID, "周" * 51, "name"),
])
def test_bad_input_names_the_field_and_records_nothing(clerk, id_number, name, field):
    with pytest.raises(FieldErrors) as exc:
        check(clerk, id_number, name)
    assert exc.value.status == 422 and list(exc.value.errors) == [field]
    assert not IdentityCheck.objects.exists()


def test_the_rate_limit_counts_per_actor(clerk, staff_factory, settings):
    settings.IDENTITY_CHECK_RATE_LIMIT = 2
    check(clerk)
    check(clerk)
    with pytest.raises(RateLimited) as exc:
        check(clerk)
    assert exc.value.status == 429 and "身份核验过于频繁" in exc.value.message
    check(staff_factory("intake"))  # another account has its own count
    assert IdentityCheck.objects.count() == 3
    assert services.identity_check_if_possible(actor=clerk, id_number=LISTED_ID, name=LISTED_NAME,
                                               context="quick_report") is None
    assert IdentityCheck.objects.count() == 3


def test_check_if_possible_skips_what_cannot_be_checked(clerk):
    for id_number, name in (("", "甲"), ("12345", "甲"), (LISTED_ID, ""), (LISTED_ID, "周" * 51)):
        assert services.identity_check_if_possible(actor=clerk, id_number=id_number, name=name,
                                                   context="quick_report") is None
    assert services.identity_check_if_possible(actor=None, id_number=UNKNOWN_ID, name="甲",
                                               context="quick_report") == R.NOT_FOUND
    found = IdentityCheck.objects.get()
    assert (found.actor, found.context, found.region) == (None, "quick_report", "")


def test_unknown_context_is_a_programming_error(clerk):
    with pytest.raises(ValueError):
        check(clerk, context="elsewhere")
    with pytest.raises(ValueError):
        services.identity_check_many(actor=clerk, entries=[], context="elsewhere")


def test_a_batch_asks_once_per_distinct_pair_and_records_each(clerk, counting, django_assert_max_num_queries):
    IdentityCheckFactory(id_number=ZHANG_WEI_ID, name="张伟", result=R.MATCH)  # cached for the batch
    entries = [(LISTED_ID, LISTED_NAME), (UNKNOWN_ID, "甲"), (LISTED_ID, LISTED_NAME), (ZHANG_WEI_ID, "张伟"),
               (LISTED_ID.lower(), f"{LISTED_NAME} "), (DECEASED_ID, "乙")]
    with django_assert_max_num_queries(10):
        answers = services.identity_check_many(actor=clerk, entries=entries, context="enrolment", region="370200")
    assert answers == [R.MATCH, R.NOT_FOUND, R.MATCH, R.MATCH, R.MATCH, R.DECEASED]
    assert counting.asked == [(LISTED_ID, LISTED_NAME), (UNKNOWN_ID, "甲"), (DECEASED_ID, "乙")]
    rows = IdentityCheck.objects.filter(context="enrolment").order_by("pk")
    assert [(r.id_number, r.result, r.cached, r.region, r.actor_id) for r in rows] == [
        (LISTED_ID, "match", False, "370200", clerk.pk), (UNKNOWN_ID, "not_found", False, "370200", clerk.pk),
        (ZHANG_WEI_ID, "match", True, "370200", clerk.pk), (DECEASED_ID, "deceased", False, "370200", clerk.pk)]
    assert rows[0].name_index == services.name_index(LISTED_NAME) and rows[0].checked_at is not None
    event = AuditEvent.objects.get(event_type=ExchangeEventType.IDENTITY_CHECKED)
    assert event.details == {"context": "enrolment", "checked": 4, "cached": 1,
                             "results": {"match": 2, "not_found": 1, "deceased": 1}}
    # A second batch: everything from the cache, the register is not asked.
    again = services.identity_check_many(actor=clerk, entries=entries, context="enrolment", region="370200")
    assert again == answers and len(counting.asked) == 3
    assert IdentityCheck.objects.filter(context="enrolment", cached=True).count() == 5


def test_a_batch_during_an_outage_is_all_unavailable(clerk, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    entries = [(LISTED_ID, LISTED_NAME), (UNKNOWN_ID, "甲")]
    answers = services.identity_check_many(actor=None, entries=entries, context="enrolment")
    assert answers == [R.UNAVAILABLE, R.UNAVAILABLE]
    assert list(IdentityCheck.objects.values_list("result", "actor", "region")) == [("unavailable", None, "")] * 2


def test_an_empty_batch_writes_nothing(clerk):
    assert services.identity_check_many(actor=clerk, entries=[], context="enrolment") == []
    assert not IdentityCheck.objects.exists() and not AuditEvent.objects.exists()


def test_a_check_by_hand_needs_the_right_to_check(staff_factory, employer_user_a):
    from gongshang.core.errors import Forbidden

    for actor in (staff_factory("benefits_reviewer"), employer_user_a):
        with pytest.raises(Forbidden):
            check(actor)
    assert check(employer_user_a, context=IdentityContext.ENROLMENT).result == R.MATCH  # the system's, for 增员
    assert IdentityCheck.objects.count() == 1


def test_a_batch_counts_each_distinct_pair_against_the_uploaders_budget(clerk, staff_factory, counting, settings):
    # Without a budget a batch import was a way round the rate limit: any number of files, each
    # row's answer read off the refused rows.
    settings.IDENTITY_BATCH_CHECK_LIMIT = 3
    entries = [(LISTED_ID, LISTED_NAME), (LISTED_ID, LISTED_NAME), (UNKNOWN_ID, "甲")]
    assert services.identity_check_many(actor=clerk, entries=entries, context="enrolment") == [
        R.MATCH, R.MATCH, R.NOT_FOUND]  # 2 distinct pairs of 3
    with pytest.raises(RateLimited) as exc:
        services.identity_check_many(actor=clerk, entries=[(DECEASED_ID, "乙"), (ZHANG_WEI_ID, "张伟")],
                                     context="enrolment")
    assert exc.value.status == 429 and "身份核验" in exc.value.message and "3" in exc.value.message
    assert IdentityCheck.objects.count() == 2 and len(counting.asked) == 2  # the refused batch asked nobody
    other = staff_factory("intake")  # another account has its own budget
    assert services.identity_check_many(actor=other, entries=[(DECEASED_ID, "乙")], context="enrolment") == [
        R.DECEASED]


def test_a_register_answering_fewer_pairs_than_asked_is_an_outage(clerk, settings):
    settings.POPULATION_REGISTER_BACKEND = "gongshang.integrations.tests.factories_identity.ShortRegister"
    entries = [(LISTED_ID, LISTED_NAME), (UNKNOWN_ID, "甲")]
    answers = services.identity_check_many(actor=clerk, entries=entries, context="enrolment")
    assert answers == [R.UNAVAILABLE, R.UNAVAILABLE]  # never an answer given to the wrong person
    assert list(IdentityCheck.objects.values_list("result", flat=True)) == ["unavailable", "unavailable"]
