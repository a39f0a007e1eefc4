"""Writes to cases: numbering, creation, the one transition helper, corrections, green channel.

Every function runs in (or joins) a transaction and appends a CaseEvent; audit events record the
state changes for the platform-wide audit log.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError

from . import rules
from .choices import CaseEventType, CaseSource, CaseStatus
from .errors import CaseErrorCode
from .models import Accident, CaseCounter, CaseEvent, InjuryCase


def _label(actor, actor_label: str = "") -> str:
    if actor_label:
        return actor_label[:100]
    return str(actor)[:100] if getattr(actor, "pk", None) else ""


def case_event_append(*, case: InjuryCase, event_type: str, actor=None, actor_label: str = "",
                      details: dict | None = None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, event_type=event_type,
                                    actor=actor if getattr(actor, "pk", None) else None,
                                    actor_label=_label(actor, actor_label), details=details or {})


def next_case_number(*, region: str, year: int) -> str:
    """Take the next sequence for (region, year) under a row lock: no gaps from races, no repeats."""
    with transaction.atomic():
        counter = CaseCounter.objects.select_for_update().filter(region=region, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    CaseCounter.objects.create(region=region, year=year, last_value=0)
            except IntegrityError:
                pass  # another transaction created it first; lock theirs
            counter = CaseCounter.objects.select_for_update().get(region=region, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return rules.case_number(region, year, counter.last_value)


def accident_create(*, region: str, occurred_at, employer=None, address: str = "", latitude=None,
                    longitude=None, accuracy_m=None, description: str = "") -> Accident:
    return Accident.objects.create(region=region, employer=employer, occurred_at=occurred_at, address=address,
                                   latitude=latitude, longitude=longitude, location_accuracy_m=accuracy_m,
                                   description=description)


@transaction.atomic
def case_create(*, actor, accident: Accident, injured: dict, source: str = CaseSource.QUICK_REPORT,
                actor_label: str = "", request=None) -> InjuryCase:
    """One case for one injured person of `accident`. `injured`: name, id_number, mobile, person,
    employer, body_part, injury_type (any may be empty: the scene is no place for paperwork)."""
    year = timezone.localtime().year
    case = InjuryCase.objects.create(
        number=next_case_number(region=accident.region, year=year), region=accident.region,
        accident=accident, employer=injured.get("employer") or accident.employer, person=injured.get("person"),
        injured_name=injured.get("name", ""), injured_id_number=injured.get("id_number", ""),
        injured_mobile=injured.get("mobile", ""), body_part=injured.get("body_part", ""),
        injury_type=injured.get("injury_type", ""), source=source)
    case_event_append(case=case, event_type=CaseEventType.CREATED, actor=actor, actor_label=actor_label,
                      details={"source": str(source)})
    record_event(actor=actor, actor_label=_label(actor, actor_label), event_type=CaseEventType.CREATED,
                 target=case, request=request, region=case.region, details={"number": case.number})
    return case


@transaction.atomic
def case_transition(*, actor, case: InjuryCase, to: str, reason: str = "", request=None) -> InjuryCase:
    """The one status helper: checks the table, locks the row, appends the timeline event."""
    locked = InjuryCase.objects.select_for_update().get(pk=case.pk)
    if not rules.can_transition(locked.status, to):
        raise DomainError(CaseErrorCode.TRANSITION_NOT_ALLOWED, status=409,
                          details={"from": locked.status, "to": str(to)})
    previous = locked.status
    locked.status = to
    locked.save(update_fields=["status"])
    details = {"from": previous, "to": str(to), "reason": reason}
    case_event_append(case=locked, event_type=CaseEventType.STATUS_CHANGED, actor=actor, details=details)
    record_event(actor=actor, event_type=CaseEventType.STATUS_CHANGED, target=locked, request=request,
                 region=locked.region, details=details)
    return locked


@transaction.atomic
def case_mark_green_channel(*, actor, case: InjuryCase, request=None) -> InjuryCase:
    locked = InjuryCase.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise DomainError(CaseErrorCode.GREEN_CHANNEL_CLOSED, status=409)
    if locked.green_channel:
        return locked
    locked.green_channel = True
    locked.green_channel_at = timezone.now()
    locked.save(update_fields=["green_channel", "green_channel_at"])
    details = {"decision_workdays": rules.GREEN_CHANNEL_DECISION_WORKDAYS}
    case_event_append(case=locked, event_type=CaseEventType.GREEN_CHANNEL, actor=actor, details=details)
    record_event(actor=actor, event_type=CaseEventType.GREEN_CHANNEL, target=locked, request=request,
                 region=locked.region, details=details)
    return locked


INJURED_FIELDS = ("injured_name", "injured_id_number", "injured_mobile", "body_part", "injury_type")


@transaction.atomic
def case_correct_injured(*, actor, case: InjuryCase, changes: dict, person=None, employer=None,
                         actor_label: str = "") -> dict:
    """Correct the injured person's data; returns {field: [old, new]} of what really changed.
    The old values stay in the (encrypted) timeline: nothing is lost.

    `person` / `employer` are what the registry says for the (new) ID number. When the ID number
    changes they replace the links, None included: a corrected ID that matches nobody unlinks
    the person (and the employer found through him), never leaving a stale link. Otherwise they
    only fill links still missing."""
    locked = InjuryCase.objects.select_for_update().get(pk=case.pk)
    diff = {}
    for field in INJURED_FIELDS:
        if field in changes and (changes[field] or "") != (getattr(locked, field) or ""):
            diff[field] = [getattr(locked, field) or "", changes[field] or ""]
            setattr(locked, field, changes[field] or "")
    relink = "injured_id_number" in diff
    new_person_id = person.pk if person is not None else None
    if (relink or person is not None) and locked.person_id != new_person_id:
        diff["person_id"] = [locked.person_id, new_person_id]
        locked.person = person
    new_employer_id = employer.pk if employer is not None else None
    if relink and locked.employer_id != new_employer_id:
        diff["employer_id"] = [locked.employer_id, new_employer_id]
        locked.employer = employer
    elif not relink and employer is not None and locked.employer_id is None:
        diff["employer_id"] = [None, employer.pk]
        locked.employer = employer
    if diff:
        locked.save()
        case_event_append(case=locked, event_type=CaseEventType.INJURED_CORRECTED, actor=actor,
                          actor_label=actor_label, details={"changes": diff})
    return diff


ACCIDENT_FIELDS = ("occurred_at", "address", "latitude", "longitude", "location_accuracy_m", "description")


@transaction.atomic
def accident_correct(*, actor, accident: Accident, changes: dict, actor_label: str = "") -> dict:
    locked = Accident.objects.select_for_update().get(pk=accident.pk)
    diff = {}
    for field in ACCIDENT_FIELDS:
        if field in changes and changes[field] != getattr(locked, field):
            diff[field] = [_jsonable(getattr(locked, field)), _jsonable(changes[field])]
            setattr(locked, field, changes[field])
    if diff:
        locked.save()
        for case in locked.cases.all():
            case_event_append(case=case, event_type=CaseEventType.ACCIDENT_CORRECTED, actor=actor,
                              actor_label=actor_label, details={"changes": diff})
    return diff


def _jsonable(value):
    if value is None or isinstance(value, str | int):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
