"""Registry reads, each scoped by the actor (employer: its own people; staff: jurisdiction)."""

from collections import defaultdict

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When

from gongshang.accounts.choices import Audience
from gongshang.accounts.permissions import get_scoped_or_404, restrict
from gongshang.core.pii.crypto import blind_index
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


def person_list(*, actor):
    """Insured persons the actor may see (employer: people enrolled with it, ever)."""
    return restrict(actor, InsuredPerson.objects.all(), region_field="region",
                    employer_field="enrolments__employer", person_field="pk").distinct()


def person_get(*, actor, person_id: int) -> InsuredPerson:
    return get_scoped_or_404(actor, person_list(actor=actor), pk=person_id)


def employer_list(*, actor):
    return restrict(actor, Employer.objects.all(), region_field="region", employer_field="pk")


def employer_summary(*, employer: Employer) -> dict:
    injury = Enrolment.objects.filter(employer=employer, insurance_type=InsuranceType.INJURY)
    return {
        "injury_active": injury.filter(status=EnrolmentStatus.ACTIVE).count(),
        "injury_inactive": injury.filter(~Q(status=EnrolmentStatus.ACTIVE)).count(),
    }


def enrolment_list_for_person(*, actor, person: InsuredPerson):
    """A person's enrolments; an employer sees only those at itself."""
    qs = person.enrolments.select_related("employer").order_by("insurance_type", "-start_month")
    if actor.kind == Audience.EMPLOYER:
        qs = qs.filter(employer_id=actor.employer_id)
    elif actor.kind == Audience.STAFF:
        qs = qs.filter(employer__region=actor.jurisdiction)
    return qs


def contribution_list_for_person(*, actor, person: InsuredPerson, limit: int = 24):
    """A person's latest contribution months; an employer sees only those it paid."""
    qs = person.contributions.order_by("-month", "insurance_type")
    if actor.kind == Audience.EMPLOYER:
        qs = qs.filter(employer_id=actor.employer_id)
    elif actor.kind == Audience.STAFF:
        qs = qs.filter(employer__region=actor.jurisdiction)
    return qs[:limit]


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
    employer = employer_get(actor=actor, employer_id=employer_id or actor.employer_id)
    contributions = ContributionRecord.objects.filter(person=OuterRef("person"), employer=OuterRef("employer"),
                                                      insurance_type=OuterRef("insurance_type"))
    qs = (Enrolment.objects.filter(employer=employer).select_related("person")
          .annotate(payment_status=Case(
              When(Exists(contributions.filter(paid=False)), then=Value(PaymentStatus.OWED)),
              When(Exists(contributions), then=Value(PaymentStatus.PAID)),
              default=Value(PaymentStatus.NONE)))
          .order_by("person__name", "pk"))
    if insurance_type:
        qs = qs.filter(insurance_type=insurance_type)
    if status:
        qs = qs.filter(status=status)
    if payment:
        qs = qs.filter(payment_status=payment)
    if identity:
        qs = qs.filter(identity=identity)
    if query:
        qs = qs.filter(_person_query("person__", query))
    return qs


def _person_query(prefix: str, query: str) -> Q:
    """An exact ID number (through its blind index) or part of a name."""
    query = query.strip()
    if len(query) == 18 and query[:17].isdigit():
        return Q(**{f"{prefix}id_number_index": blind_index(query.upper())})
    return Q(**{f"{prefix}name__icontains": query})


def employer_get(*, actor, employer_id: int) -> Employer:
    return get_scoped_or_404(actor, employer_list(actor=actor), pk=employer_id)


def person_search(*, actor, query: str):
    """个人综合查询 by ID number or name, among the people the actor may see."""
    if not (query or "").strip():
        return InsuredPerson.objects.none()
    return person_list(actor=actor).filter(_person_query("", query)).order_by("name", "pk")


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
    qs = restrict(actor, EnrolmentChange.objects.select_related("employer", "created_by"), region_field="region",
                  employer_field="employer")
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


def change_get(*, actor, change_id: int) -> EnrolmentChange:
    return get_scoped_or_404(actor, change_list(actor=actor), pk=change_id)


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
