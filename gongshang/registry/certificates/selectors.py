"""What the certificates say: reads of the registry scoped by the actor, shaped for the templates.

An employer sees only its own people and only the records at itself; staff see their
jurisdiction (统筹区) and every employer's records there.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Q

from gongshang.accounts.access import get_for, restrict
from gongshang.core.errors import FieldErrors
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import validate_id_number
from gongshang.registry import selectors as registry_selectors
from gongshang.registry.choices import ChangeDirection, ChangeStatus, EnrolmentStatus, InsuranceType
from gongshang.registry.models import ContributionRecord, Enrolment, EnrolmentChange, InsuredPerson

REPORT_STATUSES = (ChangeStatus.PENDING, ChangeStatus.CONFIRMED)
RECENT_MONTHS = 12
SEARCH_LIMIT = 20


def person_by_id_number(*, actor, id_number: str) -> InsuredPerson:
    """One of the actor's people by ID number: an invalid number is a field error (422), an
    unknown or foreign person the one 404."""
    try:
        number = validate_id_number(id_number)
    except ValidationError as exc:
        raise FieldErrors({"id_number": exc.messages[0]}) from exc
    return get_for(actor, InsuredPerson, action="view", id_number_index=blind_index(number))


def person_by_pk(*, actor, person_id: int) -> InsuredPerson:
    return get_for(actor, InsuredPerson, person_id, "view")


def person_search(*, actor, query: str) -> list[InsuredPerson]:
    """Among the actor's people: an exact ID number, or names containing `query` (at most 20)."""
    query = (query or "").strip()
    if not query:
        return []
    people = registry_selectors.person_list(actor=actor, action="search")
    if any(ch.isdigit() for ch in query):
        return list(people.filter(id_number_index=blind_index(query.upper()))[:1])
    return list(people.filter(name__contains=query).order_by("name", "pk")[:SEARCH_LIMIT])


def _month_list(values) -> list[date]:
    return sorted({value for value in values})


def employer_facts(*, employer, today: date) -> dict:
    """工伤保险单位参保证明: the employer's injury insurance as of today."""
    injury = Enrolment.objects.filter(employer=employer, insurance_type=InsuranceType.INJURY)
    counts = injury.aggregate(first=Min("start_month"), total=Count("pk"),
                              active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
                              suspended=Count("pk", filter=Q(status=EnrolmentStatus.SUSPENDED)))
    contributions = ContributionRecord.objects.filter(employer=employer, insurance_type=InsuranceType.INJURY)
    owed = _month_list(contributions.filter(paid=False).values_list("month", flat=True).distinct())
    # 缴费至: paid for everyone without a gap: the last paid month before the earliest month still owed
    # (a paid December does not make "缴费至 12月" true while November is owed).
    paid = contributions.filter(paid=True).exclude(month__in=owed)
    if owed:
        paid = paid.filter(month__lt=owed[0])
    paid_through = paid.aggregate(m=Max("month"))["m"]
    return {"first_month": counts["first"], "ever": counts["total"], "active": counts["active"],
            "suspended": counts["suspended"], "paid_through": paid_through, "owed_months": owed,
            "as_of": today}


def _enrolments_for(*, actor, person):
    return list(registry_selectors.enrolment_list_for_person(actor=actor, person=person))


def _contribution_summary(records) -> dict:
    paid = [r.month for r in records if r.paid]
    return {"first": min(paid) if paid else None, "last": max(paid) if paid else None,
            "paid_months": len(set(paid)), "owed_months": len({r.month for r in records if not r.paid})}


def person_facts(*, actor, person) -> dict:
    """个人参保证明: the person's enrolments by type (at the employer, or in the jurisdiction for
    staff) with their contribution months, and the last 12 months of injury contributions."""
    enrolments = _enrolments_for(actor=actor, person=person)
    employer_ids = {e.employer_id for e in enrolments}
    records = list(ContributionRecord.objects.filter(person=person, employer_id__in=employer_ids)
                   .select_related("employer").order_by("-month"))
    by_key = defaultdict(list)
    for record in records:
        by_key[(record.employer_id, record.insurance_type)].append(record)
    rows = [{"enrolment": e, "contributions": _contribution_summary(by_key[(e.employer_id, e.insurance_type)])}
            for e in enrolments]
    recent = [r for r in records if r.insurance_type == InsuranceType.INJURY][:RECENT_MONTHS]
    injury = [e for e in enrolments if e.insurance_type == InsuranceType.INJURY]
    return {"rows": rows, "recent_injury": recent, "injury_enrolments": injury,
            "injury_paid_months": len({r.month for r in records if r.paid and r.insurance_type == InsuranceType.INJURY})}


def change_report_rows(*, actor, start: date, end: date):
    """Pending and confirmed 增员/减员 requests with an effective month in [start, end]."""
    return (restrict(actor, EnrolmentChange).filter(effective_month__gte=start, effective_month__lte=end, status__in=REPORT_STATUSES)
            .select_related("employer").order_by("effective_month", "direction", "created_at", "pk"))


def change_report_totals(rows) -> dict:
    totals = {"add": 0, "reduce": 0, "add_confirmed": 0, "reduce_confirmed": 0}
    for row in rows:
        key = "add" if row.direction == ChangeDirection.ADD else "reduce"
        totals[key] += 1
        if row.status == ChangeStatus.CONFIRMED:
            totals[f"{key}_confirmed"] += 1
    totals["add_pending"] = totals["add"] - totals["add_confirmed"]
    totals["reduce_pending"] = totals["reduce"] - totals["reduce_confirmed"]
    return totals
