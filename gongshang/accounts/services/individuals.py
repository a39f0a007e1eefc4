"""个人账户: the account behind a mobile number, and real-name binding to an insured person
(ID number + name must match the registry, and the registry's mobile when it has one)."""

import secrets

from django.db import transaction

from gongshang.accounts.choices import Audience, AuthEvent
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import User
from gongshang.accounts.services import lockout
from gongshang.accounts.validation import collect, validated
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, Forbidden
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import validate_id_number
from gongshang.integrations.choices import IdentityContext
from gongshang.integrations.rules.identity import binding_refusal
from gongshang.integrations.services.identity import identity_check
from gongshang.registry.models import InsuredPerson


def individual_account_for_mobile(mobile: str) -> User:
    """The individual account of a (validated) mobile number, created on first use."""
    with transaction.atomic():
        user = User.objects.filter(kind=Audience.INDIVIDUAL, mobile_index=blind_index(mobile)).first()
        if user is None:
            user = User(username=f"p{secrets.token_hex(8)}", kind=Audience.INDIVIDUAL, mobile=mobile)
            user.set_unusable_password()
            user.save()
    return user


def _mismatch(request, actor: User, key: str, reason: str, message: str, status: int = 422) -> DomainError:
    record_event(actor=actor, event_type=AuthEvent.BIND_FAILED, details={"reason": reason})
    lockout.report_failure(request, key, label=actor.username, reason=f"bind_{reason}", send_signal=True)
    return DomainError(AccountsErrorCode.REGISTRY_MISMATCH, message,
                       details=[{"field": "id_number", "message": message}], status=status)


def _check_population_register(actor: User, id_number: str, name: str, person: InsuredPerson) -> None:
    """The pair the registry matched must also be one living person's in 公安人口库 (asked only
    now, so the register is never a way to test pairs the registry does not hold). A refusal is
    a data problem to fix at the window, not a guess: it does not count towards the lockout. A
    register that does not answer holds nobody up (recorded with the check)."""
    result = identity_check(actor=actor, id_number=id_number, name=name, context=IdentityContext.BINDING,
                            region=person.region)
    message = binding_refusal(result)
    if message is not None:
        record_event(actor=actor, event_type=AuthEvent.BIND_FAILED, details={"reason": "population_register",
                                                                            "result": str(result)})
        raise DomainError(AccountsErrorCode.REGISTRY_MISMATCH, message,
                          details=[{"field": "id_number", "message": message}], status=422)


def person_bind(request, *, actor: User, id_number: str, name: str) -> InsuredPerson:
    if actor.kind != Audience.INDIVIDUAL:
        raise Forbidden("只有个人账户可以实名绑定。")
    name = (name or "").strip()
    with collect() as errors:
        id_number = validated(errors, "id_number", validate_id_number, id_number)
        if not name:
            errors["name"] = "请填写姓名"
    # Failed attempts count like failed logins: guessing who is insured is locked out too.
    key = f"bind:{actor.pk}"
    lockout.ensure_allowed(request, key, label=actor.username)
    person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
    if person is None or person.name != name:
        # One answer for "not found" and "name differs": the page must not reveal who is insured.
        raise _mismatch(request, actor, key, "identity",
                        "身份证号与姓名不匹配，或尚无参保登记。请核对后重试；仍有问题请联系单位经办人或拨打 12333。")
    if person.mobile_index and person.mobile_index != actor.mobile_index:
        raise _mismatch(request, actor, key, "mobile",
                        "您的登录手机号与参保登记的手机号不一致。请用登记的手机号登录，或由单位经办人、经办窗口更新手机号后再绑定。")
    _check_population_register(actor, id_number, name, person)
    with transaction.atomic():
        if User.objects.filter(person=person).exclude(pk=actor.pk).exists():
            raise DomainError(AccountsErrorCode.REGISTRY_MISMATCH,
                              "该参保人已绑定其他手机号账户。如需更换手机号，请携带身份证到经办窗口办理。",
                              status=409)
        User.objects.filter(pk=actor.pk).update(person=person, display_name=person.name)
        actor.person, actor.display_name = person, person.name
        record_event(actor=actor, event_type=AuthEvent.REAL_NAME_BOUND, target=person,
                     region=person.region)
    lockout.reset(request, key)
    return person
