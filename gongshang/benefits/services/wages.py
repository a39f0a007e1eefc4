"""本人工资 from the registry: the contribution bases of the 12 months before the injury."""

from decimal import Decimal

from django.utils import timezone

from gongshang.registry.models import ContributionRecord

from ..rules.leave import add_months


def contribution_wages(case) -> list[Decimal]:
    """The monthly wage bases the case's employer declared for the person in the 12 months before
    the injury month (条例 第六十四条); fewer when fewer exist."""
    if not case.person_id:
        return []
    injury_month = timezone.localtime(case.accident.occurred_at).date().replace(day=1)
    records = ContributionRecord.objects.filter(person_id=case.person_id, insurance_type="injury",
                                                month__gte=add_months(injury_month, -12), month__lt=injury_month)
    if case.employer_id:
        records = records.filter(employer_id=case.employer_id)
    return [r.wage_base for r in records.order_by("month")]
