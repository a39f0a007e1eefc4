"""本人工资 from the registry: the contribution bases of the 12 months before the injury."""

from decimal import Decimal

from django.utils import timezone

from gongshang.registry import selectors as registry_selectors


def contribution_wages(case) -> list[Decimal]:
    """The monthly wage bases the case's employer declared for the person in the 12 months before
    the injury month (条例 第六十四条); fewer when fewer exist."""
    if not case.person_id:
        return []
    injury_month = timezone.localtime(case.accident.occurred_at).date().replace(day=1)
    return registry_selectors.contribution_wages(person_id=case.person_id, employer_id=case.employer_id,
                                                 before_month=injury_month)
