"""个人账户: real-name binding to an insured person (ID number + name must match the registry)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from gongshang.accounts.choices import Audience, AuthEvent
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import User
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import validate_id_number
from gongshang.registry.models import InsuredPerson


def person_bind(request, *, actor: User, id_number: str, name: str) -> InsuredPerson:
    if actor.kind != Audience.INDIVIDUAL:
        raise DomainError("forbidden", "只有个人账户可以实名绑定。", status=403)
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        raise FieldErrors({"id_number": "；".join(exc.messages)}) from exc
    name = (name or "").strip()
    if not name:
        raise FieldErrors({"name": "请填写姓名"})
    person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
    if person is None or person.name != name:
        # One answer for "not found" and "name differs": the page must not reveal who is insured.
        raise DomainError(AccountsErrorCode.REGISTRY_MISMATCH,
                          "身份证号与姓名不匹配，或尚无参保登记。请核对后重试；仍有问题请联系单位经办人或拨打 12333。",
                          details=[{"field": "id_number", "message": "身份证号与姓名不匹配"}], status=422)
    with transaction.atomic():
        other = User.objects.filter(person=person).exclude(pk=actor.pk).exists()
        if other:
            raise DomainError(AccountsErrorCode.REGISTRY_MISMATCH,
                              "该参保人已绑定其他手机号账户。如需更换手机号，请携带身份证到经办窗口办理。",
                              status=409)
        User.objects.filter(pk=actor.pk).update(person=person, display_name=person.name)
        actor.person, actor.display_name = person, person.name
        record_event(actor=actor, event_type=AuthEvent.REAL_NAME_BOUND, target=person, request=request,
                     region=person.region)
    return person
