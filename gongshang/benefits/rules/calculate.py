"""The whole calculation for one person: 本人工资, then every item owed for a disability or a
death, each with its article and arithmetic. Pure: parameters come in as values."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from gongshang.core.money import to_fen

from . import death, disability, nursing, termination, wage
from .items import Item, RuleError

DISABILITY = "disability"
DEATH = "death"


@dataclass(frozen=True)
class Parameters:
    """The values in force, each on the date its article points to (the loader chooses them):
    `avg_monthly_wage` on the injury date for the 60%-300% bounds of 本人工资 (第六十四条);
    `nursing_avg_wage` when the appraisal concluded (第三十四条); `funeral_avg_wage` in the year of
    death (第三十九条); `termination_avg_wage`, the month tables and the disease supplement at
    termination (第三十六、三十七条 and the provincial rules). Unset ones fall back to `avg_monthly_wage`."""
    avg_monthly_wage: Decimal  # 统筹区上年度职工月平均工资 (injury date)
    min_wage: Decimal  # 当地最低工资标准（月）
    national_disposable_income: Decimal | None = None  # 上一年度全国城镇居民人均可支配收入
    national_income_year: int | None = None
    medical_subsidy_months: dict = field(default_factory=dict)  # grade -> months
    employment_subsidy_months: dict = field(default_factory=dict)
    nursing_avg_wage: Decimal | None = None
    funeral_avg_wage: Decimal | None = None
    termination_avg_wage: Decimal | None = None
    occupational_disease_bonus: Decimal | None = None  # % added for an occupational disease


@dataclass(frozen=True)
class CalcInput:
    injury_date: date
    kind: str
    disability_grade: int | None = None
    nursing_level: str | None = None
    monthly_wages: list[Decimal] | None = None
    own_wage: Decimal | None = None
    terminate_employment: bool = False
    dependants: list[death.Dependant] = field(default_factory=list)
    occupational_disease: bool = False
    veteran_recurrence: bool = False  # 条例 第十五条第一款第（三）项: no 一次性伤残补助金


@dataclass(frozen=True)
class CalcResult:
    own_wage: wage.OwnWage
    items: list[Item]


def _own_wage(data: CalcInput, params: Parameters) -> wage.OwnWage:
    if data.monthly_wages:
        return wage.own_wage(data.monthly_wages, params.avg_monthly_wage)
    if data.own_wage is None:
        raise RuleError("monthly_wages", "请填写受伤前 12 个月的缴费工资（monthly_wages）或本人工资（own_wage）")
    if not data.own_wage.is_finite() or data.own_wage < 1:
        raise RuleError("own_wage", "本人工资应不少于 1.00 元")
    if params.avg_monthly_wage < 1:
        raise RuleError("parameters.avg_monthly_wage", "统筹区职工月平均工资应不少于 1.00 元")
    # Rounded once, to the fen, first: the formulas and every amount use this same value.
    return wage.bounded_wage(to_fen(data.own_wage), params.avg_monthly_wage)


def _disability_items(data: CalcInput, params: Parameters, own: Decimal) -> list[Item]:
    if data.disability_grade is None:
        raise RuleError("disability_grade", "伤残待遇须填写伤残等级（1-10）")
    grade = disability.check_grade(data.disability_grade)
    # 条例 第十五条第二款: a case of 第一款第（三）项 (旧伤复发) gets every benefit but this one.
    items = [] if data.veteran_recurrence else [disability.one_time_disability_subsidy(grade, own)]
    if grade <= 4 or not data.terminate_employment:
        # 5-6: the allowance is paid while the relation is kept and no work can be arranged.
        allowance = disability.disability_allowance(grade, own, params.min_wage)
        if allowance:
            items.append(allowance)
    if data.nursing_level:
        items.append(nursing.nursing_allowance(data.nursing_level, params.nursing_avg_wage or params.avg_monthly_wage))
    if data.terminate_employment and grade >= 5:
        avg = params.termination_avg_wage or params.avg_monthly_wage
        for item in (termination.one_time_medical_subsidy(grade, avg, params.medical_subsidy_months,
                                                          occupational_disease=data.occupational_disease,
                                                          disease_bonus=params.occupational_disease_bonus),
                     termination.one_time_employment_subsidy(grade, avg, params.employment_subsidy_months)):
            if item:
                items.append(item)
    return items


def _death_items(data: CalcInput, params: Parameters, own: Decimal) -> list[Item]:
    grade = data.disability_grade
    if grade is not None and disability.check_grade(grade) > 4:
        raise RuleError("disability_grade", "因工死亡不填伤残等级；一至四级伤残职工停工留薪期满后死亡的，填 1-4")
    items = [death.funeral_subsidy(params.funeral_avg_wage or params.avg_monthly_wage)]
    items += death.dependant_pensions(own, data.dependants)
    if grade is None:  # 一至四级伤残职工停工留薪期满后死亡: only the first two (第三十九条 第三款)
        if params.national_disposable_income is None:
            raise RuleError("parameters.national_disposable_income", "缺少上一年度全国城镇居民人均可支配收入")
        items.append(death.one_time_death_subsidy(params.national_disposable_income, params.national_income_year))
    return items


def calculate(data: CalcInput, params: Parameters) -> CalcResult:
    if data.kind not in (DISABILITY, DEATH):
        raise RuleError("kind", "待遇类别应为 disability（伤残）或 death（因工死亡）")
    if params.min_wage < 1:
        raise RuleError("parameters.min_wage", "最低工资标准应不少于 1.00 元")
    own = _own_wage(data, params)
    items = (_disability_items if data.kind == DISABILITY else _death_items)(data, params, own.amount)
    return CalcResult(own_wage=own, items=items)
