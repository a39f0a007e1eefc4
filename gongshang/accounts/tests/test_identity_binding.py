"""身份核验 at 实名绑定 (services/individuals.py): after the registry matched the ID number, the name
and the mobile, the population register must agree too; its refusal is told plainly and recorded."""

import pytest
from django.test import RequestFactory

from gongshang.accounts.choices import AuthEvent
from gongshang.accounts.services import individuals
from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent
from gongshang.integrations.models import IdentityCheck
from gongshang.integrations.tests.factories_identity import DOWN, UNKNOWN_ID, death_record
from gongshang.registry.tests.factories import InsuredPersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-06-10 10:00 +08:00")]
FIX = "请核对身份证号和姓名是否与身份证一致"


def _request():
    request = RequestFactory().post("/")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return request


def bind(actor, person, name=None):
    return individuals.person_bind(_request(), actor=actor, id_number=person.id_number, name=name or person.name)


@pytest.fixture
def login(db):
    return IndividualUserFactory(mobile="13900000077")


def person_with(id_number=None, name="赵磊"):
    extra = {"id_number": id_number} if id_number else {}
    return InsuredPersonFactory(name=name, mobile="13900000077", region="370200", **extra)


def test_binding_records_a_matching_check(login):
    person = person_with()
    assert bind(login, person) == person
    check = IdentityCheck.objects.get()
    assert (check.context, check.result, check.actor, check.region) == ("binding", "match", login, "370200")


def test_the_register_not_knowing_the_id_number_refuses(login):
    person = person_with(UNKNOWN_ID)  # in the registry, unknown to 公安人口库
    with pytest.raises(DomainError) as exc:
        bind(login, person)
    assert exc.value.status == 422 and "查无此身份证号" in exc.value.message and FIX in exc.value.message
    assert exc.value.details == [{"field": "id_number", "message": exc.value.message}]
    login.refresh_from_db()
    assert login.person is None
    assert IdentityCheck.objects.get().result == "not_found"
    failed = AuditEvent.objects.get(event_type=AuthEvent.BIND_FAILED)
    assert failed.details == {"reason": "population_register", "result": "not_found"}


def test_a_reported_death_refuses(login):
    person = person_with()
    death_record(person.id_number, person.name)
    with pytest.raises(DomainError) as exc:
        bind(login, person)
    assert "已死亡" in exc.value.message
    login.refresh_from_db()
    assert login.person is None


def test_an_outage_does_not_hold_the_binding_up(login, settings):
    settings.POPULATION_REGISTER_BACKEND = DOWN
    person = person_with(UNKNOWN_ID)
    assert bind(login, person) == person
    assert IdentityCheck.objects.get().result == "unavailable"


def test_a_pair_the_registry_refuses_never_reaches_the_register(login):
    person = person_with()
    with pytest.raises(DomainError):
        bind(login, person, name="别人")
    assert not IdentityCheck.objects.exists()
