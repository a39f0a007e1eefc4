"""单位注册, handlers, password reset by SMS; 实名绑定 of individuals."""

import pytest
from django.test import RequestFactory

from gongshang.accounts.choices import Audience, AuthEvent, SmsPurpose
from gongshang.accounts.models import SmsCode, User
from gongshang.accounts.services import employers, individuals
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.registry.models import Employer

pytestmark = pytest.mark.django_db

NEW = dict(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司", legal_rep_name="王海川",
           legal_rep_id_number="370202197505063218", handler_name="刘经办", handler_mobile="13800000001",
           password="Strong#Pass2026", region="370202")


def _request():
    request = RequestFactory().post("/")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return request


def test_register_new_employer():
    user = employers.employer_register(**NEW)
    assert user.username == NEW["uscc"] and user.kind == Audience.EMPLOYER and user.is_primary_handler
    employer = Employer.objects.get(uscc=NEW["uscc"])
    assert employer.region == "370200"  # the 统筹区 of 市南区 is 青岛市
    assert employer.reserved_mobile == "13800000001"
    assert AuditEvent.objects.filter(event_type=AuthEvent.EMPLOYER_REGISTERED).exists()


def test_register_validates_every_field_at_once():
    with pytest.raises(FieldErrors) as exc:
        employers.employer_register(**{**NEW, "uscc": "91370200MA3C5UWK4D",
                                                   "legal_rep_id_number": "370202197505063219",
                                                   "handler_mobile": "1234", "handler_name": ""})
    assert set(exc.value.errors) == {"uscc", "legal_rep_id_number", "handler_mobile", "handler_name"}
    assert not Employer.objects.exists()


def test_register_refuses_common_password():
    with pytest.raises(FieldErrors) as exc:
        employers.employer_register(**{**NEW, "password": "12345678"})
    assert "password" in exc.value.errors


def test_register_existing_employer_must_match_legal_rep(employer_a):
    with pytest.raises(FieldErrors) as exc:
        employers.employer_register(**{**NEW, "legal_rep_name": "李四"})
    assert "legal_rep_name" in exc.value.errors
    user = employers.employer_register(**NEW)
    assert user.employer == employer_a


def test_register_twice_refused(employer_user_a):
    with pytest.raises(DomainError) as exc:
        employers.employer_register(**NEW)
    assert exc.value.code == "already_registered" and exc.value.status == 409


def test_primary_handler_adds_handler(employer_user_a):
    handler = employers.employer_handler_add(actor=employer_user_a, username="91370200MA3C5UWK4C-02",
                                             display_name="第二经办", mobile="13800000011",
                                             password="Strong#Pass2026")
    assert handler.employer == employer_user_a.employer and not handler.is_primary_handler
    with pytest.raises(DomainError):
        employers.employer_handler_add(actor=handler, username="third-one", display_name="第三",
                                       mobile="13800000012", password="Strong#Pass2026")


def test_password_reset_by_sms_to_reserved_mobile(employer_user_a):
    masked, code = employers.employer_password_reset_send(username=employer_user_a.username,
                                                          legal_rep_name="王海川")
    assert masked == "138****0001"
    assert OutboxMessage.objects.get().recipient == "13800000001"
    with pytest.raises(FieldErrors):
        employers.employer_password_reset(username=employer_user_a.username, legal_rep_name="王海川",
                                          code="000000" if code != "000000" else "111111",
                                          new_password="NewStrong#2026")
    employers.employer_password_reset(username=employer_user_a.username, legal_rep_name="王海川",
                                      code=code, new_password="NewStrong#2026")
    employer_user_a.refresh_from_db()
    assert employer_user_a.check_password("NewStrong#2026")
    assert SmsCode.objects.get(purpose=SmsPurpose.RESET_PASSWORD).consumed_at is not None


def test_password_reset_requires_matching_legal_rep(employer_user_a):
    with pytest.raises(FieldErrors):
        employers.employer_password_reset_send(username=employer_user_a.username, legal_rep_name="别人")
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def zhang_wei_login(db):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    return IndividualUserFactory(mobile="13900000001")


def test_bind_person_matches_registry(zhang_wei_login, zhang_wei):
    with pytest.raises(DomainError) as exc:
        individuals.person_bind(_request(), actor=zhang_wei_login, id_number=zhang_wei.id_number, name="张三")
    assert exc.value.status == 422
    with pytest.raises(FieldErrors):
        individuals.person_bind(_request(), actor=zhang_wei_login, id_number="370202198803151238", name="张伟")
    individuals.person_bind(_request(), actor=zhang_wei_login, id_number=zhang_wei.id_number, name="张伟")
    zhang_wei_login.refresh_from_db()
    assert zhang_wei_login.person == zhang_wei
    assert AuditEvent.objects.filter(event_type=AuthEvent.REAL_NAME_BOUND).exists()
    assert AuditEvent.objects.filter(event_type=AuthEvent.BIND_FAILED).count() == 1


def test_bind_requires_the_registered_mobile(individual_user, zhang_wei):
    with pytest.raises(DomainError) as exc:
        individuals.person_bind(_request(), actor=individual_user, id_number=zhang_wei.id_number, name="张伟")
    assert "手机号" in exc.value.message
    individual_user.refresh_from_db()
    assert individual_user.person is None


def test_bind_guessing_is_locked_out(individual_user, zhang_wei):
    for _ in range(4):
        with pytest.raises(DomainError):
            individuals.person_bind(_request(), actor=individual_user, id_number=zhang_wei.id_number, name="某某")
    with pytest.raises(DomainError) as exc:
        individuals.person_bind(_request(), actor=individual_user, id_number=zhang_wei.id_number, name="某某")
    assert exc.value.code == "locked_out"


def test_person_cannot_be_bound_to_two_accounts(zhang_wei_login, zhang_wei):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    individuals.person_bind(_request(), actor=zhang_wei_login, id_number=zhang_wei.id_number, name="张伟")
    other = IndividualUserFactory(mobile="13900000001")
    with pytest.raises(DomainError) as exc:
        individuals.person_bind(_request(), actor=other, id_number=zhang_wei.id_number, name="张伟")
    assert exc.value.status == 409
    assert User.objects.filter(person=zhang_wei).count() == 1


def test_new_employer_is_pending_until_verified():
    employers.employer_register(**NEW)
    assert Employer.objects.get(uscc=NEW["uscc"]).status == "pending"


def test_handler_username_cannot_be_a_credit_code(employer_user_a):
    with pytest.raises(FieldErrors) as exc:
        employers.employer_handler_add(actor=employer_user_a, username="91370211MA3D8QXL2Y",
                                       display_name="冒名", mobile="13800000011", password="Strong#Pass2026")
    assert "统一社会信用代码" in exc.value.errors["username"]


def test_password_reset_revokes_api_tokens(employer_user_a):
    from gongshang.accounts.models import ApiToken
    from gongshang.accounts.services.auth import api_token_issue, api_token_resolve

    key, _ = api_token_issue(user=employer_user_a)
    _, code = employers.employer_password_reset_send(username=employer_user_a.username,
                                                     legal_rep_name="王海川")
    employers.employer_password_reset(username=employer_user_a.username, legal_rep_name="王海川",
                                      code=code, new_password="NewStrong#2026")
    assert api_token_resolve(key) is None
    assert ApiToken.objects.get().revoked_reason == "password_reset"
