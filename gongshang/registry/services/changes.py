"""人员异动申报: employers submit, modify and withdraw; staff confirm or reject.

The roster (Enrolment) changes only in `change_confirm`. Every step is an audit event written in
the same transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.choices import Audience, StaffRole
from gongshang.accounts.permissions import get_scoped_or_404, require_audience, require_role, restrict
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import gender_from_id
from gongshang.registry.choices import (
    ADD_KINDS,
    ChangeDirection,
    ChangeKind,
    ChangeStatus,
    EmployerStatus,
    EnrolmentStatus,
    InsuranceType,
)
from gongshang.registry.errors import RegistryErrorCode, RegistryEvent
from gongshang.registry.models import OPEN_ENROLMENT_STATUSES, Enrolment, EnrolmentChange, InsuredPerson
from gongshang.registry.services.checks import registry_problems
from gongshang.registry.validation import clean_change_input

# The one transition table of a change request.
TRANSITIONS = {
    ChangeStatus.PENDING: {ChangeStatus.CONFIRMED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN},
    ChangeStatus.CONFIRMED: set(),
    ChangeStatus.REJECTED: set(),
    ChangeStatus.WITHDRAWN: set(),
}

EDITABLE_FIELDS = ("kind", "insurance_type", "effective_month", "id_number", "name", "mobile", "household_type",
                   "identity", "declared_wage")


def _employer_of(actor):
    require_audience(actor, Audience.EMPLOYER)
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


def direction_of(kind: str) -> str:
    return ChangeDirection.ADD if kind in ADD_KINDS else ChangeDirection.REDUCE


def change_fields(cleaned: dict) -> dict:
    """Model field values of a cleaned change (shared by single submissions and batch imports)."""
    values = {field: cleaned[field] for field in EDITABLE_FIELDS}
    values["direction"] = direction_of(cleaned["kind"])
    values["person"] = InsuredPerson.objects.filter(id_number_index=blind_index(cleaned["id_number"])).first()
    return values


def change_submit(*, actor, data: dict, request=None) -> EnrolmentChange:
    """增员/减员申报 for one person and one insurance type; pending until staff act."""
    employer = _employer_of(actor)
    cleaned = _checked(employer, data)
    try:
        with transaction.atomic():
            change = EnrolmentChange.objects.create(employer=employer, region=employer.region, created_by=actor,
                                                    **change_fields(cleaned))
            record_event(actor=actor, event_type=RegistryEvent.CHANGE_SUBMITTED, target=change, request=request,
                         region=employer.region, details=_summary(change))
    except IntegrityError as exc:  # a concurrent submission of the same person and type
        raise DomainError(RegistryErrorCode.CHANGE_DUPLICATE, status=409) from exc
    return change


def changes_submit_many(*, actor, data: dict, insurance_types: list[str], request=None) -> list[EnrolmentChange]:
    """One declaration for several insurance types: every request is created, or none."""
    if not insurance_types:
        raise FieldErrors({"insurance_types": "请至少选择一个险种。"})
    created = []
    with transaction.atomic():
        for insurance_type in dict.fromkeys(insurance_types):
            try:
                created.append(change_submit(actor=actor, data={**data, "insurance_type": insurance_type},
                                             request=request))
            except FieldErrors as exc:
                label = dict(InsuranceType.choices).get(insurance_type, insurance_type)
                raise FieldErrors({f: f"【{label}】{m}" for f, m in exc.errors.items()}) from exc
    return created


def _lock_own(actor, change_id) -> EnrolmentChange:
    qs = EnrolmentChange.objects.select_for_update().filter(employer_id=actor.employer_id)
    change = get_scoped_or_404(actor, qs, pk=change_id)
    if change.status != ChangeStatus.PENDING:
        raise DomainError(RegistryErrorCode.CHANGE_NOT_PENDING, status=409)
    return change


def change_update(*, actor, change_id: int, data: dict, request=None) -> EnrolmentChange:
    """Modify a pending request (the employer's own only)."""
    employer = _employer_of(actor)
    with transaction.atomic():
        change = _lock_own(actor, change_id)
        merged = {field: getattr(change, field) for field in EDITABLE_FIELDS}
        merged.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
        if merged["kind"] in ChangeKind.values and direction_of(merged["kind"]) != change.direction:
            raise FieldErrors({"kind": "不能把增员申报改为减员（或反之），请删除本申报后重新申报。"})
        cleaned = _checked(employer, merged, exclude_change_id=change.pk)
        for field, value in change_fields(cleaned).items():
            setattr(change, field, value)
        try:
            with transaction.atomic():
                change.save()
        except IntegrityError as exc:
            raise DomainError(RegistryErrorCode.CHANGE_DUPLICATE, status=409) from exc
        record_event(actor=actor, event_type=RegistryEvent.CHANGE_UPDATED, target=change, request=request,
                     region=change.region, details=_summary(change))
    return change


def change_withdraw(*, actor, change_id: int, request=None) -> EnrolmentChange:
    """Delete a pending request: kept as 已删除, never removed."""
    _employer_of(actor)
    with transaction.atomic():
        change = _lock_own(actor, change_id)
        _transition(change, ChangeStatus.WITHDRAWN)
        change.save(update_fields=["status", "updated_at"])
        record_event(actor=actor, event_type=RegistryEvent.CHANGE_WITHDRAWN, target=change, request=request,
                     region=change.region, details=_summary(change))
    return change


def _transition(change, to) -> None:
    if to not in TRANSITIONS[ChangeStatus(change.status)]:
        raise DomainError(RegistryErrorCode.CHANGE_NOT_PENDING, status=409)
    change.status = to


def _lock_for_staff(actor, change_id) -> EnrolmentChange:
    require_role(actor, StaffRole.INTAKE)
    qs = restrict(actor, EnrolmentChange.objects.select_for_update(), region_field="region")
    return get_scoped_or_404(actor, qs, pk=change_id)


def change_confirm(*, actor, change_id: int, request=None) -> EnrolmentChange:
    """增员确认 / 减员确认: re-check against the current roster, then apply it."""
    with transaction.atomic():
        change = _lock_for_staff(actor, change_id)
        _transition(change, ChangeStatus.CONFIRMED)
        cleaned, problems = clean_change_input({f: getattr(change, f) for f in EDITABLE_FIELDS})
        problems = problems or registry_problems(employer_id=change.employer_id, rows=[cleaned],
                                                 exclude_change_id=change.pk)[0]
        if problems:
            raise DomainError(RegistryErrorCode.CHANGE_NO_LONGER_VALID,
                              details=[{"field": f, "message": m} for f, m in problems], status=409)
        change.enrolment = _apply(change, cleaned)
        change.person = change.enrolment.person
        change.decided_by, change.decided_at = actor, timezone.now()
        change.save()
        record_event(actor=actor, event_type=RegistryEvent.CHANGE_CONFIRMED, target=change, request=request,
                     region=change.region, details=_summary(change))
    return change


def change_reject(*, actor, change_id: int, reason: str, request=None) -> EnrolmentChange:
    require_role(actor, StaffRole.INTAKE)
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "请填写退回原因，单位将看到这段说明。"})
    with transaction.atomic():
        change = _lock_for_staff(actor, change_id)
        _transition(change, ChangeStatus.REJECTED)
        change.reject_reason = reason[:500]
        change.decided_by, change.decided_at = actor, timezone.now()
        change.save()
        record_event(actor=actor, event_type=RegistryEvent.CHANGE_REJECTED, target=change, request=request,
                     region=change.region, details={**_summary(change), "reason": change.reject_reason})
    return change


def changes_decide_many(*, actor, change_ids, action: str, reason: str = "", request=None) -> dict:
    """Several at once; each is its own transaction so one refusal does not hold back the others."""
    if action not in {"confirm", "reject"}:
        raise FieldErrors({"action": "请选择“确认通过”或“退回”。"})
    done, failed = [], []
    for change_id in dict.fromkeys(change_ids):
        try:
            if action == "confirm":
                change_confirm(actor=actor, change_id=change_id, request=request)
            else:
                change_reject(actor=actor, change_id=change_id, reason=reason, request=request)
            done.append(change_id)
        except DomainError as exc:
            failed.append({"id": change_id, "message": exc.message})
    return {"done": done, "failed": failed}


def _apply(change: EnrolmentChange, cleaned: dict) -> Enrolment:
    """Write the confirmed change to the roster."""
    if change.direction == ChangeDirection.ADD:
        return _apply_addition(change, cleaned)
    enrolment = (Enrolment.objects.select_for_update()
                 .filter(person__id_number_index=blind_index(change.id_number), employer_id=change.employer_id,
                         insurance_type=change.insurance_type, status__in=OPEN_ENROLMENT_STATUSES)
                 .order_by("-start_month").first())
    enrolment.status = {ChangeKind.REDUCE_SUSPEND: EnrolmentStatus.SUSPENDED,
                        ChangeKind.REDUCE_TERMINATE: EnrolmentStatus.TERMINATED,
                        ChangeKind.REDUCE_RETIRE: EnrolmentStatus.RETIRED}[ChangeKind(change.kind)]
    enrolment.stop_month = change.effective_month
    enrolment.save(update_fields=["status", "stop_month", "updated_at"])
    return enrolment


def _apply_addition(change, cleaned) -> Enrolment:
    person = InsuredPerson.objects.filter(id_number_index=blind_index(change.id_number)).first()
    if person is None:
        person = InsuredPerson.objects.create(
            id_number=change.id_number, name=change.name, mobile=change.mobile, gender=gender_from_id(change.id_number),
            birth_date=cleaned["birth_date"], household_type=change.household_type, region=change.region)
    else:
        _fill_blanks(person, change)
    suspended = Enrolment.objects.select_for_update().filter(
        person=person, employer_id=change.employer_id, insurance_type=change.insurance_type,
        status=EnrolmentStatus.SUSPENDED).first()
    if suspended is not None:  # 续保 of a suspended relation resumes it
        suspended.status, suspended.stop_month = EnrolmentStatus.ACTIVE, None
        suspended.identity = change.identity or suspended.identity
        suspended.declared_wage = change.declared_wage or suspended.declared_wage
        suspended.save()
        return suspended
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
