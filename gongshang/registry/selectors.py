"""Registry reads, each scoped by the actor (employer: its own people; staff: jurisdiction)."""

from collections import defaultdict

from django.db.models import Q

from gongshang.accounts.choices import Audience
from gongshang.accounts.permissions import get_scoped_or_404, restrict
from gongshang.core.pii.crypto import blind_index
from gongshang.registry import rules
from gongshang.registry.choices import EnrolmentStatus, InsuranceType
from gongshang.registry.models import OPEN_ENROLMENT_STATUSES, Employer, Enrolment, InsuredPerson


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
    return qs


def person_states_for(*, employer_id: int, entries) -> dict:
    """PersonState for each (id_number, name, insurance_type) in `entries`, in a few queries.

    Keyed by (id_number, insurance_type). Used for one change request and for every row of a
    batch alike, so a 100,000-row sheet costs a handful of set-based queries, not one per row.
    """
    entries = list(entries)
    indexes = {blind_index(id_number) for id_number, _name, _type in entries}
    persons = {}
    for chunk in _chunks(sorted(indexes), 900):  # SQLite's bound-parameter limit
        for person in InsuredPerson.objects.filter(id_number_index__in=chunk).only("id", "name", "id_number_index"):
            persons[person.id_number_index] = person
    enrolments = defaultdict(list)
    person_ids = [p.pk for p in persons.values()]
    for chunk in _chunks(person_ids, 900):
        rows = (Enrolment.objects.filter(person_id__in=chunk)
                .values("person_id", "employer_id", "insurance_type", "status", "start_month", "pk"))
        for row in rows:
            enrolments[(row["person_id"], row["insurance_type"])].append(row)
    states = {}
    for id_number, name, insurance_type in entries:
        person = persons.get(blind_index(id_number))
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
        ever_enrolled=bool(rows),
        open_elsewhere=any(r["status"] in OPEN_ENROLMENT_STATUSES for r in elsewhere),
        enrolled_elsewhere=bool(elsewhere),
    )


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
