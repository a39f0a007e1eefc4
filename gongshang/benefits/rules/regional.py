"""Regional rules that are not a single figure: the reduction of the termination subsidies
(一次性工伤医疗补助金, 一次性伤残就业补助金) as the statutory retirement age nears.

条例 第三十六条第二款、第三十七条第（二）项 leave the standard of both subsidies to the province.
Provinces that reduce them near retirement say so in their implementing rules; the rule is keyed
by the province (first two digits of the 统筹区 code) and may also be given in the request
(`parameters.retirement_reduction`: {"years": 5, "step_percent": 20}).

Shandong (37): "距法定退休年龄不足 5 年的，每减少 1 年递减 20%" as published in worked examples of
《山东省贯彻〈工伤保险条例〉实施办法》; the official text could not be fetched and checked here, so the rule
carries `confirmed=False` and its source says so (docs/benefits.md, "Sources"). Reading applied:
whole years left from the termination to the statutory retirement date; 5 or more → full; each
whole year short of 5 → 20 % less (4 → 80 %, 3 → 60 %, … 0 → 0). Pure: no Django imports."""

from dataclasses import dataclass
from decimal import Decimal

from .items import RuleError


@dataclass(frozen=True)
class NearRetirementReduction:
    years: int  # full payment when at least this many whole years remain
    step_percent: Decimal  # % less for each whole year short
    source: str
    confirmed: bool = False

    def percent(self, years_left: int) -> Decimal:
        if years_left >= self.years:
            return Decimal(100)
        return max(Decimal(100) - self.step_percent * (self.years - years_left), Decimal(0))


PROVINCIAL_REDUCTIONS = {
    "37": NearRetirementReduction(
        5, Decimal(20), "《山东省贯彻〈工伤保险条例〉实施办法》：距法定退休年龄不足 5 年的，每减少 1 年递减 20%"
        "（据公开案例转述，尚未与官方文本核对）"),
}


def reduction_for(region: str, override: dict | None = None) -> NearRetirementReduction | None:
    """The rule given in the request, else the province's, else none."""
    if override:
        try:
            years, step = override["years"], override["step_percent"]
            if isinstance(years, bool) or isinstance(step, bool) or not isinstance(years, int | str):
                raise TypeError("years")
            years, step = int(years), Decimal(str(step))
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise RuleError("parameters.retirement_reduction",
                            "应为 {\"years\": 5, \"step_percent\": 20} 这样的对象（距退休不足几年起递减、每年递减的百分比）") from exc
        if not (step.is_finite() and 1 <= years <= 20 and Decimal(0) < step <= Decimal(100)):
            raise RuleError("parameters.retirement_reduction", "年数应为 1 至 20，每年递减比例应为 0 至 100 之间")
        return NearRetirementReduction(years, step, "请求中指定", confirmed=True)
    return PROVINCIAL_REDUCTIONS.get((region or "")[:2])
