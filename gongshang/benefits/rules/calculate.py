"""The whole calculation for one person: 本人工资, then every item owed for a disability or a
death, each with its article (and the version of 《工伤保险条例》 in force on the injury or death
date, rules/regimes.py) and arithmetic. Pure: parameters come in as values."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from gongshang.core.money import to_fen

from . import death, disability, leave, nursing, termination, wage
from .items import Item, RuleError
from .regimes import Regime, regime_on
from .regional import NearRetirementReduction
from .retirement import Retirement, statutory_retirement

DISABILITY = "disability"
DEATH = "death"


@dataclass(frozen=True)
class Parameters:
    """The values in force, each on the date its article points to (the loader chooses them):
    `avg_monthly_wage` on the injury date for the 60%-300% bounds of 本人工资 (第六十四条);
    `nursing_avg_wage` when the appraisal concluded (第三十四条); `funeral_avg_wage` in the year of
    death (第三十九条); `termination_avg_wage`, the month tables and the disease supplement at
    termination (第三十六、三十七条 and the provincial rules), with the base and the citation of each
    month table (`medical_standard`, `employment_standard`: 统筹区 or whole-province average, e.g.
    《浙江省工伤保险条例》第二十七条第二款). Unset ones fall back to `avg_monthly_wage`."""
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
    death_subsidy_months: Decimal | None = None  # 2004-2010 deaths: 48-60, set by the 统筹地区
    retirement_reduction: NearRetirementReduction | None = None  # regional rule near retirement
    medical_standard: termination.Standard = termination.LOCAL
    employment_standard: termination.Standard = termination.LOCAL


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
    death_date: date | None = None  # default: injury_date
    termination_date: date | None = None  # default: injury_date
    birth_date: date | None = None  # with `sex`: the statutory retirement date (rules/retirement.py)
    sex: str | None = None
    original_retirement_age: int | None = None  # 60 men; 50 female workers, 55 female cadres
    leave_months: int | None = None  # 停工留薪期 (条例 第三十三条)
    leave_extension_months: int = 0
    leave_extension_confirmed: bool = False
    original_wage: Decimal | None = None  # 停工留薪期 pay; default: the actual wage before the injury


@dataclass(frozen=True)
class CalcResult:
    own_wage: wage.OwnWage
    items: list[Item]
    regime: Regime | None = None  # the version that applied to the items (death: on the death date)
    wage_regime: Regime | None = None  # the version on the injury date (本人工资, 停工留薪期)
    retirement: Retirement | None = None
    notes: list[str] = field(default_factory=list)


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


def _retirement(data: CalcInput) -> Retirement | None:
    if data.birth_date is None and data.sex is None:
        return None
    if data.birth_date is None:
        raise RuleError("birth_date", "填写性别时请同时填写出生日期，用于计算法定退休年龄")
    if data.sex is None:
        raise RuleError("sex", "填写出生日期时请同时填写性别（男或女），用于计算法定退休年龄")
    return statutory_retirement(data.birth_date, data.sex, data.original_retirement_age)


def reached_retirement(data: CalcInput, on: date) -> bool:
    """Whether the statutory retirement age is reached on `on` (from the birth date and sex given);
    False when they are missing or wrong (`_retirement` reports that when the items are computed)."""
    try:
        retirement = _retirement(data)
    except RuleError:
        return False
    return retirement is not None and on >= retirement.date


def _termination_items(data: CalcInput, params: Parameters, grade: int, injury_regime: Regime,
                       retirement: Retirement | None, notes: list[str]) -> list[Item]:
    """条例 第三十六条第二款、第三十七条第（二）项 in the version in force when the employment ends
    (the payment falls due then; it says who pays: the employer both until 2010-12-31, the fund the
    medical subsidy from 2011-01-01); none once the statutory retirement age is reached at the
    termination; reduced near it where the province says so, only the items its rule names
    (rules/regional.py: Zhejiang and Henan the employment subsidy, Shandong both)."""
    on = data.termination_date or data.injury_date
    regime = regime_on(on, "termination_date")
    if regime.code != injury_regime.code:
        notes.append(f"解除或终止劳动关系时（{on.isoformat()}）施行的是《工伤保险条例》{regime.title}：一次性工伤医疗补助金和"
                     "一次性伤残就业补助金按该版本计发，由其规定的主体支付；其他伤残待遇按受伤时施行的版本")
    rule = params.retirement_reduction
    retired, reduction = False, None
    if retirement is not None:
        retired = on >= retirement.date
        if retired:
            notes.append(f"解除或终止劳动关系时（{on.isoformat()}）已达到法定退休年龄 {retirement.text}，"
                         "不支付一次性工伤医疗补助金和一次性伤残就业补助金")
        elif rule is not None:
            percent, count = rule.share(on, data.birth_date, retirement)
            if percent < 100:
                reduction = termination.Reduction(percent, f"{count}；{rule.source}")
    elif rule is not None:
        names = "和".join(name for code, name in termination.ITEM_NAMES.items() if rule.reduces(code))
        notes.append(f"未填写出生日期和性别：无法判断是否已达到或临近法定退休年龄，{names}按全额计算")
    avg = params.termination_avg_wage or params.avg_monthly_wage

    def reduced(code: str):
        return reduction if rule is not None and rule.reduces(code) else None

    found = (termination.one_time_medical_subsidy(grade, avg, params.medical_subsidy_months,
                                                  occupational_disease=data.occupational_disease,
                                                  disease_bonus=params.occupational_disease_bonus,
                                                  retired=retired, reduction=reduced(termination.MEDICAL),
                                                  regime=regime, standard=params.medical_standard),
             termination.one_time_employment_subsidy(grade, avg, params.employment_subsidy_months, retired=retired,
                                                     reduction=reduced(termination.EMPLOYMENT),
                                                     regime=regime, standard=params.employment_standard))
    return [item for item in found if item]


def _leave_item(data: CalcInput, own: wage.OwnWage, regime: Regime) -> Item | None:
    if not data.leave_months:
        return None
    period = leave.leave_period(data.injury_date, data.leave_months, extension_months=data.leave_extension_months,
                                extension_confirmed=data.leave_extension_confirmed)
    original = data.original_wage if data.original_wage is not None else own.average
    return leave.leave_pay(original, period, regime=regime, stated=data.original_wage is not None)


def _disability_items(data: CalcInput, params: Parameters, own: Decimal, *, regime: Regime,
                      retirement: Retirement | None = None, notes: list[str] | None = None) -> list[Item]:
    if data.disability_grade is None:
        raise RuleError("disability_grade", "伤残待遇须填写伤残等级（1-10）")
    grade = disability.check_grade(data.disability_grade)
    # 条例 第十五条第二款: a case of 第一款第（三）项 (旧伤复发) gets every benefit but this one.
    items = [] if data.veteran_recurrence else [disability.one_time_disability_subsidy(grade, own, regime)]
    if grade <= 4 or not data.terminate_employment:
        # 5-6: the allowance is paid while the relation is kept and no work can be arranged.
        allowance = disability.disability_allowance(grade, own, params.min_wage, regime)
        if allowance:
            items.append(allowance)
    if data.nursing_level:
        items.append(nursing.nursing_allowance(data.nursing_level, params.nursing_avg_wage or params.avg_monthly_wage,
                                             regime))
    if data.terminate_employment and grade >= 5:
        items += _termination_items(data, params, grade, regime, retirement, notes if notes is not None else [])
    return items


def _death_items(data: CalcInput, params: Parameters, own: wage.OwnWage, *, regime: Regime) -> list[Item]:
    grade = data.disability_grade
    if grade is not None and disability.check_grade(grade) > 4:
        raise RuleError("disability_grade", "因工死亡不填伤残等级；一至四级伤残职工停工留薪期满后死亡的，填 1-4")
    avg = params.funeral_avg_wage or params.avg_monthly_wage
    items = [death.funeral_subsidy(avg, regime)]
    # The pensions are a share of the 本人工资; together they never exceed the wage the worker
    # actually earned (第三十九条 / 2003 第三十七条: 因工死亡职工生前的工资).
    items += death.dependant_pensions(own.amount, data.dependants, actual_wage=own.average, regime=regime)
    if grade is None:  # 一至四级伤残职工停工留薪期满后死亡: only the first two (第三十九条 第三款)
        if regime.death_subsidy == "regional_months":
            items.append(death.one_time_death_subsidy_2003(avg, params.death_subsidy_months, regime))
        else:
            if params.national_disposable_income is None:
                raise RuleError("parameters.national_disposable_income", "缺少上一年度全国城镇居民人均可支配收入")
            items.append(death.one_time_death_subsidy(params.national_disposable_income, params.national_income_year))
    return items


def item_regime(data: CalcInput) -> Regime:
    """The version for the items: by the death date for a death, else by the injury date."""
    if data.kind == DEATH:
        return regime_on(data.death_date or data.injury_date, "death_date" if data.death_date else "injury_date")
    return regime_on(data.injury_date)


def calculate(data: CalcInput, params: Parameters) -> CalcResult:
    if data.kind not in (DISABILITY, DEATH):
        raise RuleError("kind", "待遇类别应为 disability（伤残）或 death（因工死亡）")
    if params.min_wage < 1:
        raise RuleError("parameters.min_wage", "最低工资标准应不少于 1.00 元")
    injury_regime = regime_on(data.injury_date)
    regime = item_regime(data)
    own = _own_wage(data, params)
    notes: list[str] = []
    retirement = _retirement(data)
    leave_item = _leave_item(data, own, injury_regime)
    if data.kind == DISABILITY:
        items = _disability_items(data, params, own.amount, regime=regime, retirement=retirement, notes=notes)
    else:
        items = _death_items(data, params, own, regime=regime)
    if leave_item:
        items.insert(0, leave_item)
    return CalcResult(own_wage=own, items=items, regime=regime, wage_regime=injury_regime, retirement=retirement,
                      notes=notes)
