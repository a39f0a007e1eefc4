"""Writes to cases: numbering, creation, 立案/关闭 and 绿色通道 (through core.workflow.transition), corrections.

Every function runs in (or joins) a transaction and appends a CaseEvent; audit events record the
state changes for the platform-wide audit log.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gongshang.accounts.access import check
from gongshang.core.audit import record_event
from gongshang.core.workflow import transition

from . import rules
from .choices import CaseEventType, CaseSource
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
    """Take the next sequence for (region, year): one UPDATE … RETURNING, whose row lock lasts to the
    end of the caller's transaction, so no gaps from races and no repeats. The first number of a
    region-year creates the counter (a concurrent creator's row is then the one counted)."""
    value = _counter_increment(region, year)
    if value is None:
        try:
            with transaction.atomic():
                CaseCounter.objects.create(region=region, year=year, last_value=0)
        except IntegrityError:
            pass  # another transaction created it first; count on theirs
        value = _counter_increment(region, year)
    return rules.case_number(region, year, value)


def _counter_increment(region: str, year: int) -> int | None:
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_value = last_value + 1 "  # noqa: S608 (table name from _meta)
                       "WHERE region = %s AND year = %s RETURNING last_value", [region, year])
        row = cursor.fetchone()
    return row[0] if row else None


def accident_create(*, region: str, occurred_at, employer=None, address: str = "", latitude=None,
                    longitude=None, accuracy_m=None, description: str = "") -> Accident:
    return Accident.objects.create(region=region, employer=employer, occurred_at=occurred_at, address=address,
                                   latitude=latitude, longitude=longitude, location_accuracy_m=accuracy_m,
                                   description=description)


@transaction.atomic(savepoint=False)  # all or nothing with the caller's write, no savepoint of its own
def case_create(*, actor, accident: Accident, injured: dict, source: str = CaseSource.QUICK_REPORT,
                actor_label: str = "") -> InjuryCase:
    """One case for one injured person of `accident`. `injured`: name, id_number, mobile, person,
    employer, body_part, injury_type (any may be empty: the scene is no place for paperwork).
    Created with the quick report or the recognition application it comes from (checked there)."""
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
                 target=case, region=case.region, details={"number": case.number})
    return case


def _step(actor, case, action, *, reason="", check_access=True) -> InjuryCase:
    return transition(actor, case, action, event_type=CaseEventType.STATUS_CHANGED,
                      details={"reason": reason}, message=CaseErrorCode.TRANSITION_NOT_ALLOWED.label,
                      check_access=check_access)


def case_open(*, actor, case: InjuryCase, reason: str = "", check_access: bool = True) -> InjuryCase:
    """立案. `check_access=False` only when the step follows an action already checked on the case's
    quick report or recognition application (its own matrix row decided who)."""
    return _step(actor, case, "open", reason=reason, check_access=check_access)


def case_close(*, actor, case: InjuryCase, reason: str = "", check_access: bool = True) -> InjuryCase:
    """关闭 (see case_open for `check_access`)."""
    return _step(actor, case, "close", reason=reason, check_access=check_access)


@transaction.atomic
def case_mark_green_channel(*, actor, case: InjuryCase, check_access: bool = True) -> InjuryCase:
    """绿色通道 (a flag; refused on a closed case). Marking a case already marked changes nothing."""
    locked = InjuryCase.objects.select_for_update().get(pk=case.pk)
    if locked.green_channel:
        if actor is not None and check_access:
            check(actor, locked, "green_channel")
        return locked
    return transition(actor, locked, "green_channel", event_type=CaseEventType.GREEN_CHANNEL,
                      details={"decision_workdays": rules.GREEN_CHANNEL_DECISION_WORKDAYS},
                      changes={"green_channel": True, "green_channel_at": timezone.now()},
                      message=CaseErrorCode.GREEN_CHANNEL_CLOSED.label, check_access=check_access)


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
