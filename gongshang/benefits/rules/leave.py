"""停工留薪期 (条例 第三十三条): original wages and benefits unchanged, paid monthly by the employer;
normally at most 12 months, extended by at most 12 more when the city appraisal committee
confirms it."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gongshang.core.money import to_fen

from .items import EMPLOYER, MONTHLY, Item, RuleError, yuan
from .regimes import CURRENT, Regime

MAX_MONTHS = 12
MAX_EXTENSION_MONTHS = 12


@dataclass(frozen=True)
class LeavePeriod:
    start: date
    end: date
    months: int
    extension_months: int


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def leave_period(injury_date: date, months: int, *, extension_months: int = 0,
                 extension_confirmed: bool = False) -> LeavePeriod:
    """The 停工留薪期 from the injury date: `months` (1-12) plus an extension (≤ 12) only when the
    设区的市级劳动能力鉴定委员会 has confirmed it."""
    if not 1 <= months <= MAX_MONTHS:
        raise RuleError("leave_months", "停工留薪期一般不超过 12 个月")
    if extension_months and not extension_confirmed:
        raise RuleError("extension_months", "延长停工留薪期须经设区的市级劳动能力鉴定委员会确认")
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise RuleError("extension_months", "延长不得超过 12 个月")
    end = add_months(injury_date, months + extension_months) - timedelta(days=1)
    return LeavePeriod(injury_date, end, months, extension_months)


def leave_pay(original_wage: Decimal, period: LeavePeriod | None = None, *, regime: Regime = CURRENT,
              stated: bool = True) -> Item:
    """停工留薪期 pay: the original wage and benefits, unchanged, monthly, by the employer, for the
    months of the period (≤ 12, + ≤ 12 confirmed; 条例 第三十三条, 2003 version 第三十一条).
    `stated` False: no original wage was given and the actual average wage before the injury is used."""
    wage_text = f"原工资 {yuan(original_wage)}" if stated else f"原工资按受伤前平均工资 {yuan(original_wage)}"
    formula = f"{wage_text} 元/月（原工资福利待遇不变）"
    months = None
    if period is not None:
        months = period.months + period.extension_months
        formula += f" × 停工留薪期 {period.months} 个月"
        if period.extension_months:
            formula += f" + 经确认延长 {period.extension_months} 个月"
        formula += (f"，{period.start.isoformat()} 至 {period.end.isoformat()}，共 {months} 个月，"
                    f"合计 {yuan(to_fen(original_wage) * months)} 元")
    return Item("leave_pay", "停工留薪期工资福利", to_fen(original_wage), MONTHLY, EMPLOYER,
                f"{regime.cite('leave')}：在停工留薪期内，原工资福利待遇不变，由所在单位按月支付；停工留薪期一般不超过"
                "12 个月，伤情严重或者情况特殊，经设区的市级劳动能力鉴定委员会确认，可以适当延长，但延长不得超过 12 个月",
                formula, months=months)
