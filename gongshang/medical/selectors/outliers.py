"""异常指标 dashboard: per institution and diagnosis group over a period, set-based (two grouped
queries), then the peers' medians and the findings by the pure rules (rules/outliers.py)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Substr, Upper
from django.utils import timezone

from gongshang.accounts.access import restrict

from ..choices import EncounterKind, EncounterStatus, LineCategory
from ..models import AgreementInstitution, BillLine, CatalogueItem, Encounter
from ..rules import outliers as rules

SETTLED = (EncounterStatus.SETTLED, EncounterStatus.QUERIED, EncounterStatus.APPROVED, EncounterStatus.DEDUCTED,
           EncounterStatus.IN_STATEMENT)


@dataclass
class Dashboard:
    start: date
    end: date
    figures: list          # GroupFigures
    outliers: list         # dicts: institution, group, metric_label, ratio, explanation
    institutions: dict     # id → name
    groups: list           # [{"group", "rows": [{"institution", "stays", "cost", "length", "tests", "bar"...}]}]


def _bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return (datetime(start.year, start.month, start.day, tzinfo=tz),
            datetime(end.year, end.month, end.day, tzinfo=tz) + timedelta(days=1))


def group_figures(*, actor, start: date, end: date) -> list[rules.GroupFigures]:
    """Inpatient stays discharged in [start, end] of the actor's region, per institution and ICD-10
    category: stays, total cost, total days, test lines."""
    since, until = _bounds(start, end)
    stays = (restrict(actor, Encounter, "analyse")
             .filter(kind=EncounterKind.INPATIENT, status__in=SETTLED, discharged_at__gte=since,
                     discharged_at__lt=until)
             .exclude(main_diagnosis_code=""))
    los = ExpressionWrapper(F("discharged_at") - F("admitted_at"), output_field=DurationField())
    per_group = (stays.annotate(group=Upper(Substr("main_diagnosis_code", 1, 3)))
                 .values("institution_id", "group")
                 .annotate(stays=Count("pk"), cost=Sum("total"), length=Sum(los))
                 .order_by())
    # The region's own catalogue and the national one: another 统筹区's price classes say nothing here.
    test_codes = CatalogueItem.objects.filter(price_class__in=rules.TEST_PRICE_CLASSES,
                                              region__in={actor.jurisdiction or "", ""}).values("code")
    tests = (BillLine.objects.filter(encounter__in=stays.values("pk"), category=LineCategory.SERVICE)
             .filter(Q(catalogue_code__in=test_codes))
             .annotate(group=Upper(Substr("encounter__main_diagnosis_code", 1, 3)))
             .values("encounter__institution_id", "group").annotate(n=Count("pk")).order_by())
    levels = dict(AgreementInstitution.objects.filter(pk__in={r["institution_id"] for r in per_group})
                  .values_list("pk", "level"))
    test_count = {(t["encounter__institution_id"], t["group"]): t["n"] for t in tests}
    result = []
    for row in per_group:
        length = row["length"] or timedelta(0)
        days = Decimal(length.total_seconds()) / Decimal(86400)
        result.append(rules.GroupFigures(institution_id=row["institution_id"], group=row["group"],
                                         stays=row["stays"], cost=row["cost"] or Decimal(0), days=days,
                                         tests=test_count.get((row["institution_id"], row["group"]), 0),
                                         level=levels.get(row["institution_id"], "")))
    return sorted(result, key=lambda f: (f.group, f.institution_id))


BAR_WIDTH = 240  # px of the widest bar in a group's chart


def dashboard(*, actor, start: date, end: date) -> Dashboard:
    figures = group_figures(actor=actor, start=start, end=end)
    ids = {f.institution_id for f in figures}
    names = dict(AgreementInstitution.objects.filter(pk__in=ids).values_list("pk", "name"))
    found = rules.find_outliers(figures)
    outliers = [{"institution_id": o.institution_id, "institution": names.get(o.institution_id, ""),
                 "group": o.group, "metric": o.metric, "metric_label": rules.METRIC_LABELS[o.metric],
                 "ratio": o.ratio.quantize(Decimal("0.1")), "stays": o.stays, "explanation": o.explanation}
                for o in found]
    flagged = {(o.institution_id, o.group, o.metric) for o in found}
    groups = []
    for group in sorted({f.group for f in figures}):
        members = [f for f in figures if f.group == group]
        top = max((f.per_stay(rules.COST) for f in members), default=Decimal(0)) or Decimal(1)
        rows = []
        for f in members:
            cost = f.per_stay(rules.COST)
            rows.append({"institution": names.get(f.institution_id, ""), "stays": f.stays,
                         "cost": cost.quantize(Decimal("0.01")), "length": f.per_stay(rules.LENGTH).quantize(Decimal("0.1")),
                         "tests": f.per_stay(rules.TESTS).quantize(Decimal("0.1")),
                         "bar": int(cost / top * BAR_WIDTH),
                         "outlier": any((f.institution_id, group, m) in flagged for m in rules.METRIC_LABELS)})
        for i, row in enumerate(rows):
            row["y"] = i * 26
        groups.append({"group": group, "rows": rows, "height": len(rows) * 26})
    return Dashboard(start=start, end=end, figures=figures, outliers=outliers, institutions=names, groups=groups)
