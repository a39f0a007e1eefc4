"""Registry reads, each scoped by the actor (employer: its own people; staff: jurisdiction)."""

from django.db.models import Exists, OuterRef, Q

from gongshang.accounts.choices import Audience
from gongshang.core.errors import NotFound
from gongshang.registry.choices import EnrolmentStatus, InsuranceType
from gongshang.registry.models import Employer, Enrolment, InsuredPerson


def person_list(*, actor):
    """Insured persons the actor may see."""
    qs = InsuredPerson.objects.all()
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.kind == Audience.STAFF:
        return qs.filter(region=actor.jurisdiction) if actor.jurisdiction else qs.none()
    if actor.kind == Audience.EMPLOYER:
        employed = Enrolment.objects.filter(person=OuterRef("pk"), employer_id=actor.employer_id)
        return qs.filter(Exists(employed))
    if actor.kind == Audience.INDIVIDUAL:
        return qs.filter(pk=actor.person_id) if actor.person_id else qs.none()
    return qs.none()


def person_get(*, actor, person_id: int) -> InsuredPerson:
    person = person_list(actor=actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return person


def employer_list(*, actor):
    qs = Employer.objects.all()
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.kind == Audience.STAFF:
        return qs.filter(region=actor.jurisdiction)
    if actor.kind == Audience.EMPLOYER:
        return qs.filter(pk=actor.employer_id)
    return qs.none()


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
