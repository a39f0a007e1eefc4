"""入出院通知 reads: the staff list and detail (scoped by the access model), the notices shown on a
case, the open cases a notice may link to, and the hospital stays of a person (for the yearly
eligibility check, which reads them as proof of life)."""

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from gongshang.accounts.access import get_for, in_scope, may, restrict
from gongshang.benefits.models import Entitlement
from gongshang.benefits.rules import workflows as benefit_states
from gongshang.cases.choices import CaseStatus
from gongshang.cases.models import InjuryCase
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.rules import workflow as recognition_states

from ..models import HospitalNotice
from ..rules.hospitals import Candidate

NOTICES = HospitalNotice.objects.select_related("case", "batch", "handled_by", "institution")

# A recognition still being worked on: the case stays open whatever an earlier application decided.
RECOGNITION_IN_PROGRESS = (recognition_states.SUBMITTED, recognition_states.ALLOCATED, recognition_states.ACCEPTED,
                           recognition_states.CORRECTION_REQUESTED, recognition_states.INVESTIGATING,
                           recognition_states.SUSPENDED)
RECOGNITION_DECIDED = (recognition_states.DECIDED, recognition_states.DELIVERED)
RECOGNISED = ("recognized", "deemed")
# Benefits that still run (or are about to): a recognised case with one of these is open.
BENEFITS_RUNNING = (benefit_states.PENDING, benefit_states.ACTIVE, benefit_states.SUSPENDED)


def hospital_notice_list(*, actor, filters: dict | None = None):
    """The notices of the actor's 统筹区, newest event first. Filters: status, kind, date_from,
    date_to (the admission or discharge day, inclusive)."""
    filters = filters or {}
    qs = restrict(actor, NOTICES, "view")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("date_from"):
        qs = qs.filter(event_date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(event_date__lte=filters["date_to"])
    return qs.order_by("-event_date", "-pk")


def hospital_notice_get(*, actor, notice_id: int, action: str = "view") -> HospitalNotice:
    """Load-and-check: another 统筹区's notice (or none) 404; a role without `action` 403."""
    return get_for(actor, NOTICES, notice_id, action)


def case_hospital_notices(*, actor, case) -> list[HospitalNotice] | None:
    """The notices linked to `case` for its page; None when the actor may not see notices at all."""
    if not may(actor, "hospital_notice", "view"):
        return None
    return list(restrict(actor, HospitalNotice.objects.filter(case=case), "view").order_by("event_date", "pk"))


def hospital_stays_of(beneficiary_id_index: str, since: date):
    """Every notice of the person with this ID blind index whose day is on or after `since`, oldest
    first, whatever its status (a dismissed admission is still a hospital stay). Platform read: no
    actor; the caller (the eligibility cycle) acts for the platform."""
    if not beneficiary_id_index:
        return HospitalNotice.objects.none()
    return HospitalNotice.objects.filter(id_number_index=beneficiary_id_index, event_date__gte=since) \
        .order_by("event_date", "pk")


# --- linking -------------------------------------------------------------------------------------------

def open_cases():
    """Injury cases a hospital stay may belong to: not closed, recognition not refused for good (an
    application decided 不予认定 with nothing recognised and nothing in progress since) and, when
    benefits were granted, some still running (a recognised case whose benefits all ended is over)."""
    apps = RecognitionApplication.objects.filter(case=OuterRef("pk"))
    refused = Exists(apps.filter(status__in=RECOGNITION_DECIDED, decision_result="not_recognized"))
    recognised = Exists(apps.filter(status__in=RECOGNITION_DECIDED, decision_result__in=RECOGNISED))
    in_progress = Exists(apps.filter(status__in=RECOGNITION_IN_PROGRESS))
    entitlements = Entitlement.objects.filter(case=OuterRef("pk"))
    granted = Exists(entitlements)
    running = Exists(entitlements.filter(status__in=BENEFITS_RUNNING))
    return (InjuryCase.objects.exclude(status=CaseStatus.CLOSED)
            .exclude(refused & ~recognised & ~in_progress)
            .exclude(granted & ~running))


def open_cases_by_person(*, region: str, id_indexes) -> dict[str, list[Candidate]]:
    """{ID blind index: the open cases of that person in `region`} for a chunk of notices, in one
    query. The person is the case's injured worker by the ID number reported on the case, or the
    registry person the case is linked to."""
    indexes = {i for i in id_indexes if i}
    if not indexes:
        return {}
    rows = (open_cases().filter(region=region)
            .filter(Q(injured_id_number_index__in=indexes) | Q(person__id_number_index__in=indexes))
            .values_list("pk", "number", "injured_id_number_index", "person__id_number_index", "accident__occurred_at"))
    found: dict[str, list[Candidate]] = {}
    for pk, number, injured_index, person_index, occurred_at in rows:
        candidate = Candidate(case_id=pk, number=number, accident_date=timezone.localtime(occurred_at).date())
        for index in {injured_index, person_index} & indexes:
            found.setdefault(index, []).append(candidate)
    return found


def admission_cases(*, region: str, keys) -> dict[tuple[str, str], list[tuple[date, int, int | None, str]]]:
    """{(hospital code, ID index): [(admission day, notice id, case id or None, status), …]} of the
    admissions of these people at these hospitals in `region` (linked or not: a discharge belongs to
    its latest admission, and follows that one's case only)."""
    keys = {k for k in keys if k[0] and k[1]}
    if not keys:
        return {}
    codes, indexes = {k[0] for k in keys}, {k[1] for k in keys}
    rows = (HospitalNotice.objects.filter(region=region, kind="admission", hospital_code__in=codes,
                                          id_number_index__in=indexes)
            .values_list("hospital_code", "id_number_index", "event_date", "pk", "case_id", "status"))
    found: dict[tuple[str, str], list[tuple[date, int, int | None, str]]] = {}
    for code, index, day, pk, case_id, status in rows:
        if (code, index) in keys:
            found.setdefault((code, index), []).append((day, pk, case_id, status))
    return found


def case_of_person(*, actor, case_number: str, id_number_index: str) -> tuple[InjuryCase | None, bool]:
    """(the case of that number in the actor's 统筹区 or None, whether it is the notice's person's)."""
    number = str(case_number or "").strip().upper()[:32]
    case = in_scope(actor, InjuryCase.objects.select_related("person")).filter(number=number).first() \
        if number else None
    if case is None:
        return None, False
    same = id_number_index in {case.injured_id_number_index, getattr(case.person, "id_number_index", None)}
    return case, bool(id_number_index) and same
