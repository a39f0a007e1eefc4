"""Registry reads, each starting from the one access mechanism (accounts.access): the models declare
their scope (employer: its own people and rows; individual: its bound person; staff: jurisdiction)
and the matrix says which roles may read them."""

from collections import defaultdict

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When

from gongshang.accounts.access import get_for, restrict
from gongshang.core.errors import NotFound
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import ascii_digits
from gongshang.registry import rules
from gongshang.registry.choices import (
    ChangeDirection,
    ChangeStatus,
    EnrolmentStatus,
    InsuranceType,
    PaymentStatus,
)
from gongshang.registry.models import (
    OPEN_ENROLMENT_STATUSES,
    ContributionRecord,
    Employer,
    Enrolment,
    EnrolmentChange,
    InsuredPerson,
)


def person_list(*, actor, action: str = "view"):
    """Insured persons the actor may see (employer: people enrolled with it, ever)."""
    return restrict(actor, InsuredPerson, action)


def person_get(*, actor, person_id: int, action: str = "view") -> InsuredPerson:
    return get_for(actor, InsuredPerson, person_id, action)


def employer_list(*, actor, action: str = "view"):
    return restrict(actor, Employer, action)


def employer_summary(*, employer: Employer) -> dict:
    injury = Enrolment.objects.filter(employer=employer, insurance_type=InsuranceType.INJURY)
    return {
        "injury_active": injury.filter(status=EnrolmentStatus.ACTIVE).count(),
        "injury_inactive": injury.filter(~Q(status=EnrolmentStatus.ACTIVE)).count(),
    }


def enrolment_list_for_person(*, actor, person: InsuredPerson):
    """A person's enrolments; an employer sees only those at itself."""
    return (restrict(actor, Enrolment).filter(person=person).select_related("employer")
            .order_by("insurance_type", "-start_month"))


def contribution_list_for_person(*, actor, person: InsuredPerson, limit: int = 24):
    """A person's latest contribution months; an employer sees only those it paid."""
    return restrict(actor, ContributionRecord).filter(person=person).order_by("-month", "insurance_type")[:limit]


def person_states_for(*, employer_id: int, entries) -> dict:
    """PersonState for each (id_number, name, insurance_type) in `entries`, in a few queries.

    Keyed by (id_number, insurance_type). Used for one change request and for every row of a
    batch alike, so a 100,000-row sheet costs a handful of set-based queries, not one per row.
    """
    entries = list(entries)
    index_of = {id_number: blind_index(id_number) for id_number, _name, _type in entries}
    indexes = set(index_of.values())
    persons = {}
    for chunk in _chunks(sorted(indexes), 900):  # SQLite's bound-parameter limit
        for person in InsuredPerson.objects.filter(id_number_index__in=chunk).only("id", "name", "id_number_index"):
            persons[person.id_number_index] = person
    enrolments = defaultdict(list)
    person_ids = [p.pk for p in persons.values()]
    for chunk in _chunks(person_ids, 900):
        rows = (Enrolment.objects.filter(person_id__in=chunk)
                .values("person_id", "employer_id", "insurance_type", "status", "start_month", "stop_month", "pk"))
        for row in rows:
            enrolments[(row["person_id"], row["insurance_type"])].append(row)
    states = {}
    for id_number, name, insurance_type in entries:
        person = persons.get(index_of[id_number])
        states[(id_number, insurance_type)] = _state(person, name, enrolments, employer_id, insurance_type)
    return states


def _state(person, name, enrolments, employer_id, insurance_type) -> rules.PersonState:
    if person is None:
        return rules.PersonState()
    rows = enrolments.get((person.pk, insurance_type), [])
    here = sorted((r for r in rows if r["employer_id"] == employer_id), key=lambda r: (r["start_month"], r["pk"]))
    elsewhere = [r for r in rows if r["employer_id"] != employer_id]
    open_here = [r for r in here if r["status"] in OPEN_ENROLMENT_STATUSES]
    latest = open_here[-1] if open_here else (here[-1] if here else None)
    return rules.PersonState(
        in_registry=True,
        name_matches=(not name) or person.name == name,
        here_status=latest["status"] if latest else None,
        here_start=latest["start_month"] if latest else None,
        here_stop=latest["stop_month"] if latest else None,
        ever_enrolled=bool(rows),
        open_elsewhere=any(r["status"] in OPEN_ENROLMENT_STATUSES for r in elsewhere),
        enrolled_elsewhere=bool(elsewhere),
    )


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def roster_list(*, actor, employer_id: int | None = None, insurance_type: str = InsuranceType.INJURY,
                status: str = "", payment: str = "", identity: str = "", query: str = ""):
    """员工花名册: enrolments of one employer with the derived 个人缴费状态 (`payment_status`).

    An employer sees its own; staff pass `employer_id` of an employer in their jurisdiction.
    """
    employer = employer_get(actor=actor, employer_id=employer_id) if employer_id else own_employer(actor=actor)
    contributions = ContributionRecord.objects.filter(person=OuterRef("person"), employer=OuterRef("employer"),
                                                      insurance_type=OuterRef("insurance_type"))
    owed, any_paid = Exists(contributions.filter(paid=False)), Exists(contributions)
    qs = (restrict(actor, Enrolment).filter(employer=employer).select_related("person")
          .annotate(payment_status=Case(When(owed, then=Value(PaymentStatus.OWED)),
                                        When(any_paid, then=Value(PaymentStatus.PAID)),
                                        default=Value(PaymentStatus.NONE)))
          .order_by("person__name", "pk"))
    if insurance_type:
        qs = qs.filter(insurance_type=insurance_type)
    if status:
        qs = qs.filter(status=status)
    if payment:
        # The conditions themselves, not the CASE: the database can then join (semi/anti join).
        qs = qs.filter({PaymentStatus.OWED: Q(owed), PaymentStatus.PAID: Q(any_paid) & ~Q(owed),
                        PaymentStatus.NONE: ~Q(any_paid)}.get(payment, Q(payment_status=payment)))
    if identity:
        qs = qs.filter(identity=identity)
    if query:
        qs = qs.filter(_person_query("person__", query))
    return qs


def _person_query(prefix: str, query: str) -> Q:
    """An exact ID number (through its blind index) or the start of a name (the name index serves
    it: a match anywhere in the name would read every person)."""
    query = query.strip()
    if len(query) == 18 and ascii_digits(query[:17]):
        return Q(**{f"{prefix}id_number_index": blind_index(query.upper())})
    return Q(**{f"{prefix}name__startswith": query})


def employer_get(*, actor, employer_id: int, action: str = "view") -> Employer:
    return get_for(actor, Employer, employer_id, action)


def own_employer(*, actor, action: str = "view") -> Employer:
    """The employer of an employer account; 404 for any other account (the hall's own pages)."""
    if not getattr(actor, "employer_id", None):
        raise NotFound()
    return get_for(actor, Employer, actor.employer_id, action)


def person_search(*, actor, query: str):
    """个人综合查询 by ID number or name, among the people the actor may search."""
    if not (query or "").strip():
        return InsuredPerson.objects.none()
    return person_list(actor=actor, action="search").filter(_person_query("", query)).order_by("name", "pk")


def insurance_records(*, employer: Employer) -> list[dict]:
    """参保信息: for each insurance type, how many people are in each status."""
    counts = (Enrolment.objects.filter(employer=employer).values("insurance_type", "status")
              .annotate(n=Count("pk")))
    table = {t: dict.fromkeys(EnrolmentStatus.values, 0) for t in InsuranceType.values}
    for row in counts:
        table[row["insurance_type"]][row["status"]] = row["n"]
    return [{"insurance_type": t, "label": InsuranceType(t).label, "counts": table[t],
             "total": sum(table[t].values())} for t in InsuranceType.values]


def payment_records(*, employer: Employer, months: int = 24) -> list[dict]:
    """缴费信息: per month, people, the sum of wage bases and how many are unpaid (injury type)."""
    rows = (ContributionRecord.objects.filter(employer=employer, insurance_type=InsuranceType.INJURY)
            .values("month")
            .annotate(people=Count("pk"), wage_total=Sum("wage_base"),
                      unpaid=Count("pk", filter=Q(paid=False)))
            .order_by("-month")[:months])
    return list(rows)


def change_list(*, actor, direction: str = "", status: str = "", query: str = "", employer_id: int | None = None,
                month_from=None, month_to=None):
    """人员异动申报: an employer's own, or staff's jurisdiction (newest first)."""
    qs = restrict(actor, EnrolmentChange.objects.select_related("employer", "created_by"))
    if direction:
        qs = qs.filter(direction=direction)
    if status:
        qs = qs.filter(status=status)
    if employer_id:
        qs = qs.filter(employer_id=employer_id)
    if month_from:
        qs = qs.filter(effective_month__gte=month_from)
    if month_to:
        qs = qs.filter(effective_month__lte=month_to)
    if query:
        qs = qs.filter(_person_query("", query) | Q(employer__name__icontains=query.strip()))
    return qs


def change_get(*, actor, change_id: int, action: str = "view") -> EnrolmentChange:
    return get_for(actor, EnrolmentChange.objects.select_related("employer", "created_by"), change_id, action)


def pending_change_counts(*, actor) -> dict:
    """For the staff queue tabs and the workbench: pending additions and reductions."""
    rows = (change_list(actor=actor, status=ChangeStatus.PENDING).values("direction")
            .annotate(n=Count("pk")))
    counts = {ChangeDirection.ADD.value: 0, ChangeDirection.REDUCE.value: 0}
    counts.update({row["direction"]: row["n"] for row in rows})
    return counts


def contribution_wages(*, person_id: int, employer_id: int | None, before_month) -> list:
    """The injury contribution bases (Decimal) of the 12 calendar months before `before_month`,
    oldest first; fewer when fewer exist. The one source of 本人工资 (条例 第六十四条) for
    recognition (shown on the application) and benefits (the calculation)."""
    records = ContributionRecord.objects.filter(person_id=person_id, insurance_type=InsuranceType.INJURY,
                                                month__gte=rules.add_months(before_month, -12),
                                                month__lt=before_month)
    if employer_id:
        records = records.filter(employer_id=employer_id)
    return list(records.order_by("month").values_list("wage_base", flat=True))
