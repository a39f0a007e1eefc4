"""The population register client (adapters/population.py) and the fake register's rules
(fakes/population.py), with the test identities file they read (samples/)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongshang.core.validators import validate_id_number
from gongshang.registry.tests.factories import InsuredPersonFactory

from ..adapters import population
from ..choices import IdentityResult as R
from ..fakes import population as fake
from .factories_identity import (
    DECEASED_ID,
    DECEASED_NAME,
    DOWN,
    LISTED_ID,
    LISTED_NAME,
    SINGLE,
    UNKNOWN_ID,
    UNKNOWN_ID_2,
    death_record,
)

pytestmark = pytest.mark.django_db


def test_the_sample_file_lists_valid_test_identities():
    listed = fake.test_identities()
    assert listed[LISTED_ID] == (LISTED_NAME, fake.ALIVE)
    assert listed[DECEASED_ID] == (DECEASED_NAME, fake.DEAD)
    assert {k for k, (_n, s) in listed.items() if s == fake.UNKNOWN} == {UNKNOWN_ID, UNKNOWN_ID_2}
    assert len(listed) == 5
    for id_number in listed:
        assert validate_id_number(id_number) == id_number


@pytest.mark.parametrize("content, problem", [
    ("身份证号,姓名\n370202198506120311,周建国\n", "表头"),
    ("身份证号,姓名,登记状态\n370202198506120311,周建国,注销\n", "第 2 行"),
    ("身份证号,姓名,登记状态\n,周建国,在册\n", "第 2 行"),
])
def test_a_malformed_identities_file_is_a_setup_error(tmp_path, content, problem):
    path = tmp_path / "ids.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=problem):
        fake.test_identities(path)


def test_rule_order_of_the_fake_register():
    register = fake.FakePopulationRegister()
    InsuredPersonFactory(id_number=LISTED_ID, name="周某某")  # the file's name wins over the registry's
    InsuredPersonFactory(id_number=UNKNOWN_ID, name="查无人")  # 查无 wins even for an insured person
    assert register.check(UNKNOWN_ID, "查无人") == R.NOT_FOUND
    assert register.check(DECEASED_ID, DECEASED_NAME) == R.DECEASED
    assert register.check(DECEASED_ID, "别人") == R.DECEASED
    assert register.check(LISTED_ID, LISTED_NAME) == R.MATCH
    assert register.check(LISTED_ID, " 周 建国 ") == R.MATCH  # spaces do not count
    assert register.check(LISTED_ID, "周某某") == R.NAME_MISMATCH
    assert register.check(LISTED_ID.lower(), LISTED_NAME) == R.MATCH


def test_insured_persons_match_by_their_registry_name():
    person = InsuredPersonFactory(name="欧阳娜娜")
    register = fake.FakePopulationRegister()
    assert register.check(person.id_number, "欧阳娜娜") == R.MATCH
    assert register.check(person.id_number, "欧阳娜") == R.NAME_MISMATCH


def test_a_death_record_makes_the_person_deceased():
    person = InsuredPersonFactory(name="王刚")
    register = fake.FakePopulationRegister()
    assert register.check(person.id_number, "王刚") == R.MATCH
    death_record(person.id_number, "王刚")
    assert register.check(person.id_number, "王刚") == R.DECEASED


def test_an_id_number_the_fake_has_never_seen_matches_any_name():
    register = fake.FakePopulationRegister()
    assert register.check("370202199001010090", "任何人") == R.MATCH


def test_check_many_answers_in_order_in_a_few_queries(django_assert_max_num_queries):
    persons = [InsuredPersonFactory() for _ in range(3)]
    pairs = [(p.id_number, p.name) for p in persons] + [(UNKNOWN_ID, "甲"), (persons[0].id_number, "别人")]
    pairs = pairs * 400  # 2,000 pairs: chunks of 900 distinct indexes at most
    with django_assert_max_num_queries(2):
        answers = fake.FakePopulationRegister().check_many(pairs)
    assert answers[:5] == [R.MATCH, R.MATCH, R.MATCH, R.NOT_FOUND, R.NAME_MISMATCH]
    assert answers == answers[:5] * 400


def test_the_backend_is_chosen_by_setting(settings):
    assert isinstance(population.register(), fake.FakePopulationRegister)
    settings.POPULATION_REGISTER_BACKEND = DOWN
    down = population.register()
    assert isinstance(down, population.PopulationRegister)
    with pytest.raises(population.RegisterUnavailable):
        down.check(LISTED_ID, LISTED_NAME)
    with pytest.raises(population.RegisterUnavailable):
        population.check_many(down, [(LISTED_ID, LISTED_NAME)])


def test_check_many_falls_back_to_one_check_per_pair(settings):
    settings.POPULATION_REGISTER_BACKEND = SINGLE
    backend = population.register()
    assert not hasattr(backend, "check_many")
    assert population.check_many(backend, [(LISTED_ID, "x"), (UNKNOWN_ID, "y")]) == [R.MATCH, R.MATCH]
