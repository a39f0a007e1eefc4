"""异常指标 (per-institution outliers against peers): pure, Decimal in, findings out.

Why these figures (济宁's on-site audit of its agreement institutions looked for 过度检查,
过度治疗 and 挂床住院): an institution whose cost per stay, length of stay or tests per stay for the
same diagnosis group is far above what its peers need is where a 稽核员 looks first. Rules flag one
bill; these figures flag a habit. They explain, they do not deduct: a finding opens a question, the
deduction needs a reviewed bill or an on-site finding.

- The diagnosis group is the first 3 characters of the main diagnosis (ICD-10 category, e.g. S62
  腕和手骨折): fine enough to compare like with like, coarse enough to have peers.
- The peer figure is the median of the other institutions of the same level (三级 with 三级: a
  tertiary hospital takes the harder cases) for the same group (the median, not the mean: one
  outlier must not move the yardstick it is measured against).
- OUTLIER_RATIO 1.5: common practice in 医保智能监控 (a figure 50 % above the peer median is worth a
  look; lower ratios flood the desk with ordinary variation).
- MIN_STAYS 5: below 5 stays one expensive patient decides the average; such figures are shown but
  never called outliers.
- MIN_PEERS 1: a group treated by one institution alone has no yardstick.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

OUTLIER_RATIO = Decimal("1.5")
MIN_STAYS = 5
MIN_PEERS = 1

COST = "cost"
LENGTH = "length"
TESTS = "tests"
METRIC_LABELS = {COST: "住院次均费用", LENGTH: "平均住院日", TESTS: "次均检查检验项目数"}
METRIC_UNITS = {COST: "元", LENGTH: "天", TESTS: "项"}

# Catalogue price classes that mark a test (检查 imaging/functional, 检验 laboratory).
TEST_PRICE_CLASSES = ("检查", "检验")


@dataclass(frozen=True)
class GroupFigures:
    """One institution's stays of one diagnosis group over the period."""

    institution_id: int
    group: str
    stays: int
    cost: Decimal          # total cost of the stays
    days: Decimal          # total length of stay, in days
    tests: int             # test lines
    level: str = ""        # the institution's level (三级甲等...): peers are of the same level

    def per_stay(self, metric: str) -> Decimal:
        if not self.stays:
            return Decimal(0)
        value = {COST: self.cost, LENGTH: self.days, TESTS: Decimal(self.tests)}[metric]
        return value / self.stays


@dataclass(frozen=True)
class Outlier:
    institution_id: int
    group: str
    metric: str
    value: Decimal
    peer_median: Decimal
    ratio: Decimal
    stays: int
    explanation: str


def _q(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _format(metric: str, value: Decimal) -> str:
    if metric == COST:
        return f"{_q(value, '0.01'):,}"
    return f"{_q(value, '0.1')}"


def explain(metric: str, value: Decimal, peer_median: Decimal, ratio: Decimal, stays: int) -> str:
    """The finding in one Chinese sentence with its figures."""
    unit = METRIC_UNITS[metric]
    return (f"{METRIC_LABELS[metric]} {_format(metric, value)} {unit}，为同病种同级机构中位数 "
            f"{_format(metric, peer_median)} {unit}的 {_q(ratio, '0.1')} 倍（{stays} 人次）")


def peer_median(figures: list[GroupFigures], of: GroupFigures, metric: str) -> Decimal | None:
    """The median of the other same-level institutions' per-stay figures for the same group (None
    without peers). `figures` may be all of them or only those of `of`'s group and level."""
    values = [f.per_stay(metric) for f in figures
              if f.group == of.group and f.level == of.level and f.institution_id != of.institution_id and f.stays]
    if len(values) < MIN_PEERS:
        return None
    return Decimal(median(values))


def _median_without(values: list[Decimal], skip: int | None) -> Decimal | None:
    """The median of sorted `values` without the one at index `skip` (None: fewer than MIN_PEERS left)."""
    n = len(values) - (skip is not None)
    if n < max(MIN_PEERS, 1):
        return None

    def at(i: int) -> Decimal:
        return values[i + 1 if skip is not None and i >= skip else i]

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def find_outliers(figures: list[GroupFigures], metrics=(COST, LENGTH, TESTS)) -> list[Outlier]:
    """Every (institution, group, metric) at or above OUTLIER_RATIO × the peer median, with at
    least MIN_STAYS stays; the largest ratio first."""
    # Each cohort (group, level) sorted once per metric; the median without one member is read from
    # the sorted list by position. Scanning every figure for every figure took seconds for a
    # region's 90 institutions × 60 groups.
    cohorts = defaultdict(list)
    for f in figures:
        if f.stays:
            cohorts[f.group, f.level].append(f)
    ranked = {}  # (group, level, metric) → (sorted values, {institution_id: its index in them})
    for key, members in cohorts.items():
        for metric in metrics:
            order = sorted(members, key=lambda m, metric=metric: m.per_stay(metric))
            ranked[(*key, metric)] = ([m.per_stay(metric) for m in order],
                                      {m.institution_id: i for i, m in enumerate(order)})
    found = []
    for f in figures:
        if f.stays < MIN_STAYS:
            continue
        for metric in metrics:
            values, index = ranked[f.group, f.level, metric]
            peers = _median_without(values, index.get(f.institution_id))
            if not peers:
                continue
            value = f.per_stay(metric)
            ratio = value / peers
            if ratio >= OUTLIER_RATIO:
                found.append(Outlier(f.institution_id, f.group, metric, value, peers, ratio, f.stays,
                                     explain(metric, value, peers, ratio, f.stays)))
    return sorted(found, key=lambda o: (-o.ratio, o.institution_id, o.group, o.metric))
