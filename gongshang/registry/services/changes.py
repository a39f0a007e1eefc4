"""人员异动申报: employers submit, modify and withdraw; staff confirm or reject.

The roster (Enrolment) changes only in `change_confirm`. Every status change goes through the one
transition helper (core.workflow) and the tables in registry/rules/workflows.py; every step is an
audit event written in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import get_for, require
from gongshang.core.audit import record_event
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import gender_from_id
from gongshang.core.workflow import transition
from gongshang.integrations.choices import IdentityContext
from gongshang.integrations.rules.identity import enrolment_refusal
from gongshang.integrations.services.identity import identity_check
from gongshang.registry.choices import (
    ADD_KINDS,
    ChangeDirection,
    ChangeKind,
    EmployerStatus,
    EnrolmentStatus,
    InsuranceType,
)
from gongshang.registry.errors import RegistryErrorCode, RegistryEvent
from gongshang.registry.models import OPEN_ENROLMENT_STATUSES, Enrolment, EnrolmentChange, InsuredPerson
from gongshang.registry.rules.workflows import CHANGE_WORKFLOW, REDUCTION_ACTIONS
from gongshang.registry.services.checks import registry_problems
from gongshang.registry.validation import clean_change_input

EDITABLE_FIELDS = ("kind", "insurance_type", "effective_month", "id_number", "name", "mobile", "household_type",
                   "identity", "declared_wage")


def _employer_of(actor, action: str = "create"):
    require(actor, "enrolment_change", action)
    employer = actor.employer
    if employer.status == EmployerStatus.CLOSED:
        raise DomainError(RegistryErrorCode.EMPLOYER_CLOSED, status=409)
    return employer


def _checked(employer, raw: dict, *, exclude_change_id=None) -> dict:
    cleaned, problems = clean_change_input(raw)
    if not problems:
        problems = registry_problems(employer_id=employer.pk, rows=[cleaned],
                                     exclude_change_id=exclude_change_id)[0]
    if problems:
        errors = {}
        for field, message in problems:
            errors.setdefault(field, message)
        raise FieldErrors(errors)
    return cleaned


def _identity_checked(actor, employer, cleaned: dict) -> None:
    """增员: the ID number and name must be one living person's (公安人口库). A register that does
    not answer holds nobody up: the check is recorded and the 受理员 sees it on the request.
    Called before any transaction opens, so that a refused check stays recorded."""
    if cleaned["kind"] not in ADD_KINDS:
        return
    result = identity_check(actor=actor, id_number=cleaned["id_number"], name=cleaned["name"],
                            context=IdentityContext.ENROLMENT, region=employer.region)
    refusal = enrolment_refusal(result)
    if refusal is not None:
        raise FieldErrors({refusal[0]: refusal[1]})


def direction_of(kind: str) -> str:
    return ChangeDirection.ADD if kind in ADD_KINDS else ChangeDirection.REDUCE


def change_fields(cleaned: dict) -> dict:
    """Model field values of a cleaned change (shared by single submissions and batch imports)."""
    values = {field: cleaned[field] for field in EDITABLE_FIELDS}
    values["direction"] = direction_of(cleaned["kind"])
    values["person"] = InsuredPerson.objects.filter(id_number_index=blind_index(cleaned["id_number"])).first()
    return values


def _create(actor, employer, cleaned: dict) -> EnrolmentChange:
    try:
        with transaction.atomic():
            change = EnrolmentChange.objects.create(employer=employer, region=employer.region, created_by=actor,
                                                    **change_fields(cleaned))
            record_event(actor=actor, event_type=RegistryEvent.CHANGE_SUBMITTED, target=change,
                         region=employer.region, details=_summary(change))
    except IntegrityError as exc:  # a concurrent submission of the same person and type
        raise DomainError(RegistryErrorCode.CHANGE_DUPLICATE, status=409) from exc
    return change


def change_submit(*, actor, data: dict) -> EnrolmentChange:
    """增员/减员申报 for one person and one insurance type; pending until staff act."""
    employer = _employer_of(actor)
    cleaned = _checked(employer, data)
    _identity_checked(actor, employer, cleaned)
    return _create(actor, employer, cleaned)


def changes_submit_many(*, actor, data: dict, insurance_types: list[str]) -> list[EnrolmentChange]:
    """One declaration for several insurance types: every request is created, or none. The person
    is checked against 公安人口库 once, after every type passed its own checks."""
    if not insurance_types:
        raise FieldErrors({"insurance_types": "请至少选择一个险种。"})
    employer = _employer_of(actor)
    checked = []
    for insurance_type in dict.fromkeys(insurance_types):
        try:
            checked.append(_checked(employer, {**data, "insurance_type": insurance_type}))
        except FieldErrors as exc:
            label = dict(InsuranceType.choices).get(insurance_type, insurance_type)
            raise FieldErrors({f: f"【{label}】{m}" for f, m in exc.errors.items()}) from exc
    _identity_checked(actor, employer, checked[0])
    with transaction.atomic():
        return [_create(actor, employer, cleaned) for cleaned in checked]


def _locked(actor, change_id, action: str) -> EnrolmentChange:
    """The request locked for `action` (out of scope: 404; a role that may not: 403), checked
    against the transition table on the locked status (409)."""
    change = get_for(actor, EnrolmentChange.objects.select_for_update(), change_id, action)
    if not CHANGE_WORKFLOW.can(action, change.status):
        raise DomainError(RegistryErrorCode.CHANGE_NOT_PENDING, status=409)
    return change


def _transition(actor, change, action: str, *, event_type, changes=None, details=None) -> EnrolmentChange:
    target = CHANGE_WORKFLOW.target_of(action, change.status)
    return transition(actor, change, action, event_type=event_type, changes=changes, region=change.region,
                      details={**_summary(change), "status": target, **(details or {})},
                      code=RegistryErrorCode.CHANGE_NOT_PENDING)


def _merged(change, data: dict) -> dict:
    merged = {field: getattr(change, field) for field in EDITABLE_FIELDS}
    merged.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    return merged


def _identity_prechecked(actor, employer, change_id: int, data: dict) -> tuple | None:
    """change_update's identity check, on the request as it will read, before the transaction (an
    unlocked read; the locked one must then hold the same pair). None when there is nothing to ask
    yet: the locked steps refuse the request or its data with their own messages."""
    change = get_for(actor, EnrolmentChange, change_id, "edit")
    merged = _merged(change, data)
    if not CHANGE_WORKFLOW.can("edit", change.status) or merged["kind"] not in ADD_KINDS \
            or change.direction != ChangeDirection.ADD:
        return None
    cleaned = _checked(employer, merged, exclude_change_id=change.pk)
    _identity_checked(actor, employer, cleaned)
    return cleaned["id_number"], cleaned["name"]


def change_update(*, actor, change_id: int, data: dict) -> EnrolmentChange:
    """Modify a pending request (the employer's own only)."""
    employer = _employer_of(actor, "edit")
    asked = _identity_prechecked(actor, employer, change_id, data)
    with transaction.atomic():
        change = _locked(actor, change_id, "edit")
        merged = _merged(change, data)
        if merged["kind"] in ChangeKind.values and direction_of(merged["kind"]) != change.direction:
            raise FieldErrors({"kind": "不能把增员申报改为减员（或反之），请删除本申报后重新申报。"})
        cleaned = _checked(employer, merged, exclude_change_id=change.pk)
        if asked is not None and asked != (cleaned["id_number"], cleaned["name"]):
            raise DomainError(CoreErrorCode.CONFLICT, status=409)  # changed meanwhile: checked another pair
        for field, value in change_fields(cleaned).items():
            setattr(change, field, value)
        try:
            with transaction.atomic():
                change.save()
        except IntegrityError as exc:
            raise DomainError(RegistryErrorCode.CHANGE_DUPLICATE, status=409) from exc
        record_event(actor=actor, event_type=RegistryEvent.CHANGE_UPDATED, target=change,
                     region=change.region, details=_summary(change))
    return change


def change_withdraw(*, actor, change_id: int) -> EnrolmentChange:
    """Delete a pending request: kept as 已删除, never removed."""
    _employer_of(actor, "withdraw")
    with transaction.atomic():
        change = _locked(actor, change_id, "withdraw")
        return _transition(actor, change, "withdraw", event_type=RegistryEvent.CHANGE_WITHDRAWN)


def change_confirm(*, actor, change_id: int) -> EnrolmentChange:
    """增员确认 / 减员确认: re-check against the current roster, then apply it."""
    require(actor, "enrolment_change", "confirm")
    with transaction.atomic():
        change = _locked(actor, change_id, "confirm")
        cleaned, problems = clean_change_input({f: getattr(change, f) for f in EDITABLE_FIELDS})
        problems = problems or registry_problems(employer_id=change.employer_id, rows=[cleaned],
                                                 exclude_change_id=change.pk)[0]
        if problems:
            raise DomainError(RegistryErrorCode.CHANGE_NO_LONGER_VALID,
                              details=[{"field": f, "message": m} for f, m in problems], status=409)
        enrolment = _apply(actor, change, cleaned)
        return _transition(actor, change, "confirm", event_type=RegistryEvent.CHANGE_CONFIRMED, changes={
            "enrolment": enrolment, "person": enrolment.person, "decided_by": actor, "decided_at": timezone.now()})


def change_reject(*, actor, change_id: int, reason: str) -> EnrolmentChange:
    require(actor, "enrolment_change", "reject")
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "请填写退回原因，单位将看到这段说明。"})
    with transaction.atomic():
        change = _locked(actor, change_id, "reject")
        return _transition(actor, change, "reject", event_type=RegistryEvent.CHANGE_REJECTED, changes={
            "reject_reason": reason[:500], "decided_by": actor, "decided_at": timezone.now()},
            details={"reason": reason[:500]})


def changes_decide_many(*, actor, change_ids, action: str, reason: str = "") -> dict:
    """Several at once; each is its own transaction so one refusal does not hold back the others."""
    if action not in {"confirm", "reject"}:
        raise FieldErrors({"action": "请选择“确认通过”或“退回”。"})
    done, failed = [], []
    for change_id in dict.fromkeys(change_ids):
        try:
            if action == "confirm":
                change_confirm(actor=actor, change_id=change_id)
            else:
                change_reject(actor=actor, change_id=change_id, reason=reason)
            done.append(change_id)
        except DomainError as exc:
            failed.append({"id": change_id, "message": exc.message})
    return {"done": done, "failed": failed}


def _apply(actor, change: EnrolmentChange, cleaned: dict) -> Enrolment:
    """Write the confirmed change to the roster (a 减员 ends the open relation through its table)."""
    if change.direction == ChangeDirection.ADD:
        return _apply_addition(actor, change, cleaned)
    enrolment = (Enrolment.objects
                 .filter(person__id_number_index=blind_index(change.id_number), employer_id=change.employer_id,
                         insurance_type=change.insurance_type, status__in=OPEN_ENROLMENT_STATUSES)
                 .order_by("-start_month").first())
    return transition(actor, enrolment, REDUCTION_ACTIONS[change.kind], event_type=RegistryEvent.ENROLMENT_CHANGED,
                      changes={"stop_month": change.effective_month}, region=change.region,
                      details={"change_id": change.pk}, code=RegistryErrorCode.CHANGE_NO_LONGER_VALID)


def _apply_addition(actor, change, cleaned) -> Enrolment:
    person = InsuredPerson.objects.filter(id_number_index=blind_index(change.id_number)).first()
    if person is None:
        person = InsuredPerson.objects.create(
            id_number=change.id_number, name=change.name, mobile=change.mobile, gender=gender_from_id(change.id_number),
            birth_date=cleaned["birth_date"], household_type=change.household_type, region=change.region)
    else:
        _fill_blanks(person, change)
    suspended = Enrolment.objects.filter(
        person=person, employer_id=change.employer_id, insurance_type=change.insurance_type,
        status=EnrolmentStatus.SUSPENDED).first()
    if suspended is not None:  # 续保 of a suspended relation resumes it
        return transition(actor, suspended, "resume", event_type=RegistryEvent.ENROLMENT_CHANGED, changes={
            "stop_month": None, "identity": change.identity or suspended.identity,
            "declared_wage": change.declared_wage or suspended.declared_wage},
            region=change.region, details={"change_id": change.pk}, code=RegistryErrorCode.CHANGE_NO_LONGER_VALID)
    return Enrolment.objects.create(person=person, employer_id=change.employer_id,
                                    insurance_type=change.insurance_type, start_month=change.effective_month,
                                    status=EnrolmentStatus.ACTIVE, identity=change.identity,
                                    declared_wage=change.declared_wage)


def _fill_blanks(person, change) -> None:
    """An employer's declaration completes, never overwrites, the registry's own data."""
    updates = []
    if change.mobile and not person.mobile:
        person.mobile = change.mobile
        updates += ["mobile", "mobile_index"]
    if change.household_type and not person.household_type:
        person.household_type = change.household_type
        updates.append("household_type")
    if updates:
        person.save(update_fields=updates)


def _summary(change) -> dict:
    return {"kind": change.kind, "insurance_type": change.insurance_type,
            "effective_month": change.effective_month.isoformat()[:7], "status": change.status}
