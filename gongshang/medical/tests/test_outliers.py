"""异常指标: the pure rule's boundaries (1.5× the peer median, 5 stays), the explanation sentence,
and the set-based figures per institution and diagnosis group."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ..models import CatalogueItem
from ..rules import outliers as rules
from ..rules.outliers import GroupFigures, find_outliers
from ..selectors import outliers as selectors
from .factories import InstitutionFactory, ReviewBillLineFactory, ReviewEncounterFactory


def fig(inst, stays, cost, days=Decimal(0), tests=0, group="S62"):
    return GroupFigures(institution_id=inst, group=group, stays=stays, cost=Decimal(cost), days=Decimal(days),
                        tests=tests)


def peers():
    # Per-stay cost 6,000 at institutions 2 and 3, 5,000 and 7,000: median 6,000.
    return [fig(2, 5, "25000"), fig(3, 5, "35000")]


def test_exactly_one_and_a_half_times_the_median_is_an_outlier():
    [o] = find_outliers([fig(1, 5, "45000"), *peers()], metrics=(rules.COST,))  # 9,000 = 1.5 × 6,000
    assert (o.institution_id, o.metric, o.ratio) == (1, rules.COST, Decimal("1.5"))


def test_one_fen_below_one_and_a_half_times_is_not():
    assert find_outliers([fig(1, 5, "44999.95"), *peers()], metrics=(rules.COST,)) == []  # 8,999.99 per stay


def test_four_stays_are_never_an_outlier():
    assert find_outliers([fig(1, 4, "80000"), *peers()], metrics=(rules.COST,)) == []
    assert len(find_outliers([fig(1, 5, "100000"), *peers()], metrics=(rules.COST,))) == 1


def test_no_peers_no_outlier():
    assert find_outliers([fig(1, 50, "1000000")]) == []


def test_peers_are_of_the_same_level():
    tertiary = GroupFigures(institution_id=1, group="S62", stays=5, cost=Decimal("45000"), days=Decimal(0), tests=0,
                            level="三级甲等")
    assert find_outliers([tertiary, *peers()], metrics=(rules.COST,)) == []  # the peers are of level ""


def test_explanation_names_the_figures():
    [o] = find_outliers([fig(1, 12, "148140"), fig(2, 5, "30000")], metrics=(rules.COST,))
    assert o.explanation == "住院次均费用 12,345.00 元，为同病种同级机构中位数 6,000.00 元的 2.1 倍（12 人次）"


def test_length_and_tests_are_measured_too():
    found = find_outliers([fig(1, 5, "1", days=Decimal(50), tests=40), fig(2, 5, "1", days=Decimal(25), tests=10)])
    assert {o.metric for o in found} == {rules.LENGTH, rules.TESTS}
    assert "平均住院日 10.0 天" in next(o.explanation for o in found if o.metric == rules.LENGTH)


# --- the figures from the database ---------------------------------------------------------------

def stay(inst, cost, *, code="S62.001", days=4, discharged=(2026, 10, 10, 10)):
    out = timezone.make_aware(datetime(*discharged))
    return ReviewEncounterFactory(institution=inst, main_diagnosis_code=code, total=Decimal(cost),
                                  discharged_at=out, admitted_at=out - timedelta(days=days), settled_at=out)


@pytest.mark.django_db
@pytest.mark.time_machine("2026-11-10 10:00 +08:00")
def test_dashboard_finds_the_expensive_institution(staff_factory):
    inspector = staff_factory("inspector")
    CatalogueItem.objects.create(kind="service", code="CT001", name="CT", price_class="检查", valid_from=date(2026, 1, 1))
    pricey, a, b = InstitutionFactory(name="贵医院"), InstitutionFactory(name="甲医院"), InstitutionFactory(name="乙医院")
    for _ in range(5):
        e = stay(pricey, "12000.00", days=10)
        ReviewBillLineFactory(encounter=e, catalogue_code="CT001")
        ReviewBillLineFactory(encounter=e, catalogue_code="OTHER")  # not a test
    for inst in (a, b):
        for _ in range(5):
            stay(inst, "6000.00")
    stay(a, "99999.00", code="T14.2")                                   # another group
    stay(a, "99999.00", discharged=(2025, 9, 1, 10))                    # outside the period
    ReviewEncounterFactory(institution=InstitutionFactory(region="370100", county="370102"), total=Decimal("1"))
    board = selectors.dashboard(actor=inspector, start=date(2026, 1, 1), end=date(2026, 10, 31))
    figures = {(f.institution_id, f.group): f for f in board.figures}
    assert figures[pricey.pk, "S62"].stays == 5 and figures[pricey.pk, "S62"].tests == 5
    assert figures[pricey.pk, "S62"].days == Decimal(50)
    assert figures[a.pk, "S62"].cost == Decimal("30000.00") and figures[a.pk, "T14"].stays == 1
    found = {(o["institution"], o["metric"]) for o in board.outliers}
    assert found == {("贵医院", rules.COST), ("贵医院", rules.LENGTH)}  # tests: peers have none (no median > 0)
    explanation = next(o["explanation"] for o in board.outliers if o["metric"] == rules.COST)
    assert explanation == "住院次均费用 12,000.00 元，为同病种同级机构中位数 6,000.00 元的 2.0 倍（5 人次）"


def test_a_regions_figures_are_compared_within_their_group_in_linear_work():
    # 90 institutions × 60 diagnosis groups: scanning every figure for every figure took ~5 s.
    figures = [GroupFigures(institution_id=i, group=f"S{g:02d}", stays=6, cost=Decimal(1000 + i * 7 + g),
                            days=Decimal(30), tests=i % 7, level="三级甲等") for i in range(90) for g in range(60)]
    calls = 0
    per_stay = GroupFigures.per_stay

    def counted(self, metric):
        nonlocal calls
        calls += 1
        return per_stay(self, metric)

    GroupFigures.per_stay = counted
    try:
        found = find_outliers(figures)
    finally:
        GroupFigures.per_stay = per_stay
    # Linear in the figures (each read a few times per metric), not figures × figures.
    assert calls <= 10 * len(figures) * 3
    assert len(found) == 1500 and found[0].metric == rules.TESTS


def test_the_fast_peer_median_is_the_median_of_the_other_same_level_institutions():
    import random

    rng = random.Random(14)
    figures = [GroupFigures(institution_id=i, group=rng.choice(["S62", "S82", "T14"]), stays=rng.randint(0, 9),
                            cost=Decimal(rng.randint(0, 90000)) / 100, days=Decimal(rng.randint(0, 60)),
                            tests=rng.randint(0, 20), level=rng.choice(["三级甲等", "二级甲等"]))
               for i in range(120)]
    found = find_outliers(figures)
    assert found
    for o in found:
        own = next(f for f in figures if f.institution_id == o.institution_id and f.group == o.group)
        assert o.peer_median == rules.peer_median(figures, own, o.metric)
    expected = sum(1 for f in figures if f.stays >= rules.MIN_STAYS for m in (rules.COST, rules.LENGTH, rules.TESTS)
                   if (p := rules.peer_median(figures, f, m)) and f.per_stay(m) / p >= rules.OUTLIER_RATIO)
    assert len(found) == expected


@pytest.mark.django_db
@pytest.mark.time_machine("2026-11-10 10:00 +08:00")
def test_a_test_is_what_the_regions_own_or_the_national_catalogue_calls_one(staff_factory):
    inspector = staff_factory("inspector")
    CatalogueItem.objects.create(kind="service", code="X001", name="换药", price_class="换药", region="370200",
                                 valid_from=date(2026, 1, 1))
    CatalogueItem.objects.create(kind="service", code="X001", name="CT", price_class="检查", region="370100",
                                 valid_from=date(2026, 1, 1))  # another 统筹区's catalogue
    CatalogueItem.objects.create(kind="service", code="L001", name="血常规", price_class="检验", region="",
                                 valid_from=date(2026, 1, 1))
    e = stay(InstitutionFactory(), "1000.00")
    ReviewBillLineFactory(encounter=e, catalogue_code="X001")
    ReviewBillLineFactory(encounter=e, catalogue_code="L001")
    [figure] = selectors.group_figures(actor=inspector, start=date(2026, 1, 1), end=date(2026, 10, 31))
    assert figure.tests == 1
