"""Regional rules that are not a single figure: the reduction of the termination subsidies
(一次性工伤医疗补助金, 一次性伤残就业补助金) as the statutory retirement age nears.

条例 第三十六条第二款、第三十七条第（二）项 leave the standard of both subsidies to the province.
Provinces that reduce them near retirement say so in their own texts; a rule says which items it
reduces (`applies_to`) and what is paid in the last year (`last_year_percent`). The dated rules
taken from official provincial texts (Zhejiang 33, Henan 41) are part of the provincial tables
(rules/provincial.py); the undated Shandong rule is here; the request may give its own
(`parameters.retirement_reduction`: {"years": 5, "step_percent": 20}, optionally
"last_year_percent" and "applies_to": ["one_time_employment_subsidy"]).

Two ways of counting, each following the words of its text:
- whole years left (Henan, Shandong, a rule given in the request): the whole years from the
  termination date to the statutory retirement date (rules/retirement.py, which carries the 2025
  delayed ages); 5 or more → full; each whole year short of 5 → 20 % less: 4 → 80 %, 3 → 60 %,
  2 → 40 %, 1 → 20 %, under one whole year (0) → 0 %, or the share the province pays in the last
  year.
- 周岁 gained (Zhejiang, `by_age`): from the day five years remain, each birthday takes 20 % off:
  the 周岁 at the termination minus the 周岁 on that day. With a retirement age of 60: under 56
  周岁 → full, 56 → 80 %, 57 → 60 %, 58 → 40 %, 59 → 20 %; never 0 % before retirement.
The two differ whenever the termination is not on a birthday (56 岁 6 个月 with 60: 3 whole years
left → 60 %, one 周岁 gained → 80 %), so each text is read in its own unit.
- Zhejiang (《浙江省工伤保险条例》第二十七条第二款): "职工离法定退休年龄不足五年的，一次性伤残就业
  补助金按照职工每增加一周岁递减百分之二十的标准支付" — counted in 周岁 gained; employment subsidy
  only.
- Henan (《河南省工伤保险条例》第二十七条第二款): "距正常退休年龄五年以上的，一次性伤残就业补助金
  全额支付；距正常退休年龄不足五年的，每减少一年，一次性伤残就业补助金递减百分之二十；距正常
  退休年龄不足一年的按百分之十支付" — counted in whole years left (4 years and some → 80 % … 1 year
  and some → 20 %, under one year → 10 %: the 10 % then follows the 20 % step); employment subsidy
  only. "正常退休年龄" is read as the statutory retirement age.
- Shandong (37): "距法定退休年龄不足 5 年的，每减少 1 年递减 20%" as published in worked examples of
  《山东省贯彻〈工伤保险条例〉实施办法》; the official text could not be fetched and checked here, so the
  rule carries `confirmed=False` and its source says so (docs/benefits.md, "Sources"). It reduces
  both subsidies, as the worked examples do.
Pure: no Django imports."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .items import RuleError
from .retirement import Retirement, add_months, full_years_between
from .termination import EMPLOYMENT, ITEM_NAMES, MEDICAL

BOTH = frozenset({MEDICAL, EMPLOYMENT})


@dataclass(frozen=True)
class NearRetirementReduction:
    years: int  # full payment when at least this many whole years remain
    step_percent: Decimal  # % less for each whole year short
    source: str  # the rule's words and its article, shown in each reduced item's formula
    confirmed: bool = False
    applies_to: frozenset = BOTH  # item codes the rule reduces
    last_year_percent: Decimal | None = None  # share paid with under one whole year left (Henan: 10)
    by_age: bool = False  # count the 周岁 gained since five years remained (Zhejiang), not the whole years left

    def percent(self, years_left: int) -> Decimal:
        if years_left >= self.years:
            return Decimal(100)
        if years_left < 1 and self.last_year_percent is not None:
            return self.last_year_percent
        return max(Decimal(100) - self.step_percent * (self.years - years_left), Decimal(0))

    def share(self, on: date, birth: date, retirement: Retirement) -> tuple[Decimal, str]:
        """The share paid on a termination `on` before the statutory retirement date, and the
        words that explain the count."""
        if not self.by_age:
            years_left = full_years_between(on, retirement.date)
            return self.percent(years_left), f"距法定退休年龄 {retirement.text} 还有 {years_left} 整年"
        start = add_months(birth, retirement.age_months - 12 * self.years)  # from here "不足 N 年"
        if on <= start:
            return Decimal(100), ""
        age, age_at_start = full_years_between(birth, on), full_years_between(birth, start)
        gained = age - age_at_start
        percent = max(Decimal(100) - self.step_percent * gained, Decimal(0))
        return percent, (f"解除或终止劳动关系时 {age} 周岁，距法定退休年龄 {retirement.text} 不足 {self.years} 年，"
                         f"比不足 {self.years} 年之日（{start.isoformat()}，{age_at_start} 周岁）增加 {gained} 周岁")

    def reduces(self, item: str) -> bool:
        return item in self.applies_to

    @property
    def text(self) -> str:
        """The rule in words, for the list of parameters used."""
        items = "、".join(ITEM_NAMES[code] for code in (MEDICAL, EMPLOYMENT) if code in self.applies_to)
        if self.by_age:
            return (f"距法定退休年龄不足 {self.years} 年的，{items}自不足 {self.years} 年之日起，职工每增加一周岁递减 "
                    f"{self.step_percent.normalize():f}%")
        words = (f"距法定退休年龄不足 {self.years} 整年的，{items}每少一整年递减 "
                 f"{self.step_percent.normalize():f}%")
        if self.last_year_percent is not None:
            words += f"；不足一年的按 {self.last_year_percent.normalize():f}% 支付"
        return words


PROVINCIAL_REDUCTIONS = {
    "37": NearRetirementReduction(
        5, Decimal(20), "《山东省贯彻〈工伤保险条例〉实施办法》：距法定退休年龄不足 5 年的，每减少 1 年递减 20%"
        "（据公开案例转述，尚未与官方文本核对）"),
}
HINT = ("应为 {\"years\": 5, \"step_percent\": 20} 这样的对象（距退休不足几年起递减、每年递减的百分比；"
        "可加 \"last_year_percent\": 不足一年时支付的百分比，\"applies_to\": 递减的项目）")
OPTIONAL_KEYS = {"last_year_percent", "applies_to"}


APPLIES_TO_HINT = ("递减的项目（applies_to）应列出 one_time_medical_subsidy（一次性工伤医疗补助金）、"
                   "one_time_employment_subsidy（一次性伤残就业补助金）中的一项或两项；不填则两项都递减")


def _applies_to(override: dict) -> frozenset:
    """The items a requested rule reduces: both when the key is absent; an empty or unknown list is
    refused (an empty one read as "both" would reduce what the caller meant to leave whole)."""
    items = override.get("applies_to")
    if items is None:
        return BOTH
    if not (isinstance(items, list) and items and all(isinstance(i, str) for i in items) and set(items) <= BOTH):
        raise RuleError("parameters.retirement_reduction", APPLIES_TO_HINT)
    return frozenset(items)


def _override(override: dict) -> NearRetirementReduction:
    items = _applies_to(override)
    try:
        years, step = override["years"], override["step_percent"]
        last = override.get("last_year_percent")
        if isinstance(years, bool) or isinstance(step, bool) or not isinstance(years, int | str):
            raise TypeError("years")
        if isinstance(last, bool):
            raise TypeError("last_year_percent")
        years, step = int(years), Decimal(str(step))
        last = None if last in (None, "") else Decimal(str(last))
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise RuleError("parameters.retirement_reduction", HINT) from exc
    if not (step.is_finite() and 1 <= years <= 20 and Decimal(0) < step <= Decimal(100)):
        raise RuleError("parameters.retirement_reduction", "年数应为 1 至 20，每年递减比例应为 0 至 100 之间")
    if last is not None and not (last.is_finite() and Decimal(0) <= last <= Decimal(100)):
        raise RuleError("parameters.retirement_reduction", "不足一年时支付的百分比应为 0 至 100 之间")
    return NearRetirementReduction(years, step, "请求中指定", confirmed=True, applies_to=items,
                                   last_year_percent=last)


def reduction_for(region: str, override: dict | None = None) -> NearRetirementReduction | None:
    """The rule given in the request, else the province's undated rule (Shandong), else none.
    The dated provincial rules (rules/provincial.py) are chosen by the loader before this one."""
    if override:
        return _override(override)
    return PROVINCIAL_REDUCTIONS.get((region or "")[:2])
