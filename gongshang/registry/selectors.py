"""Registry reads, each scoped by the actor (employer: its own people; staff: jurisdiction)."""

from django.db.models import Q

from gongshang.accounts.choices import Audience
from gongshang.accounts.permissions import get_scoped_or_404, restrict
from gongshang.registry.choices import EnrolmentStatus, InsuranceType
from gongshang.registry.models import Employer, Enrolment, InsuredPerson


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
