"""API bodies (ApiSchema: unknown fields refused) and answers (plain Schema). The calculator's
fields are typed loosely on purpose: services.calculator checks them all at once and answers 422
naming each bad field in Chinese."""

from datetime import date
from typing import Any

from ninja import Schema
from pydantic import Field

from gongshang.api.schemas import ApiSchema


class DependantIn(ApiSchema):
    relation: str = Field(description="spouse|child|parent|grandparent|sibling|other")
    orphan_or_lonely_elderly: bool = False


class CalculateIn(ApiSchema):
    region: Any = Field(None, description="统筹区代码，如 370200", examples=["370200"])
    injury_date: Any = Field(None, description="受伤（死亡）日期 YYYY-MM-DD", examples=["2025-06-01"])
    kind: Any = Field(None, description="disability（伤残）或 death（因工死亡）", examples=["disability"])
    disability_grade: Any = Field(None, description="伤残等级 1-10；工亡时一至四级伤残职工停工留薪期满后死亡填 1-4")
    nursing_level: Any = Field(None, description="null | full | most | partial")
    monthly_wages: Any = Field(None, description="受伤前最多 12 个月的缴费工资（字符串或数字）")
    own_wage: Any = Field(None, description="或直接给出本人工资")
    terminate_employment: Any = Field(False, description="五至十级：是否解除或终止劳动关系")
    occupational_disease: Any = Field(False, description="是否职业病（一次性工伤医疗补助金加发）")
    veteran_recurrence: Any = Field(False, description="条例第十五条第一款第（三）项旧伤复发：不享受一次性伤残补助金")
    appraisal_date: Any = Field(None, description="鉴定结论日期（生活护理费、伤残津贴最低工资的参数日期），默认受伤日期")
    death_date: Any = Field(None, description="死亡日期（丧葬补助金、一次性工亡补助金的参数日期），默认受伤日期")
    termination_date: Any = Field(None, description="解除或终止劳动关系日期（一次性工伤医疗/就业补助金），默认鉴定日期")
    dependants: Any = Field(None, description="[{relation, orphan_or_lonely_elderly}]")
    birth_date: Any = Field(None, description="出生日期 YYYY-MM-DD（与性别一起计算法定退休年龄；五至十级解除劳动关系时用）")
    sex: Any = Field(None, description="male（男）或 female（女）")
    original_retirement_age: Any = Field(None, description="原法定退休年龄：男 60；女工人 50（默认）、女干部 55")
    leave_months: Any = Field(None, description="停工留薪期月数 1-12（条例第三十三条）")
    leave_extension_months: Any = Field(None, description="经设区的市级劳动能力鉴定委员会确认延长的月数 0-12")
    leave_extension_confirmed: Any = Field(False, description="延长是否已经确认")
    original_wage: Any = Field(None, description="停工留薪期的原工资（元/月），默认受伤前平均工资")
    parameters: Any = Field(None, description=(
        "可选覆盖：{avg_monthly_wage, province_avg_monthly_wage（上年度全省职工月平均工资：以全省平均工资为基数的省份，"
        "如浙江，解除劳动关系时用）, min_wage, national_disposable_income, medical_subsidy_months, "
        "employment_subsidy_months（五至十级月数表，如 {\"5\": 22, …, \"10\": 4}）, occupational_disease_bonus（%）, "
        "death_subsidy_months（2004-2010 年工亡，48-60）, retirement_reduction（{years, step_percent, "
        "last_year_percent（可选）, applies_to（可选）}）}。未填的按统筹区录入的参数，再按本省条例的标准（已收录浙江、河南）"))


class ItemOut(Schema):
    code: str
    name: str
    amount: str
    period: str
    payer: str
    basis: str
    formula: str
    beneficiary: str = ""
    months: int | None = Field(None, description="按月支付的期数（停工留薪期）")


class CalculateOut(Schema):
    own_wage: str
    own_wage_detail: dict
    regime: dict | None = Field(None, description="适用的《工伤保险条例》版本（按受伤或死亡日期）")
    retirement: dict | None = Field(None, description="法定退休日期（填写出生日期和性别时）")
    notes: list[str] = []
    demo: bool = Field(False, description="是否使用了演示值（虚构数据）")
    parameters_used: dict
    items: list[ItemOut]
    total_once: str
    total_monthly: str = Field(description="停工留薪期满后的按月待遇合计（不含停工留薪期工资福利）")
    total_leave_monthly: str = Field("0.00", description="停工留薪期内按月（用人单位支付）")
    total_monthly_formula: str = Field("", description="按月待遇合计的计算过程")


class PeriodIn(ApiSchema):
    period: str = Field(description="发放月份 YYYY-MM", examples=["2026-11"])


class RunOut(Schema):
    id: int
    status: str
    release_deadline: str | None = None
    days_left: int | None = None
    overdue: bool = False
    released_late: bool = False
    warnings: list[str] = []


class CountAmount(Schema):
    count: int
    amount: str = Field(description="金额（元，两位小数）")


class DeadlineOut(Schema):
    """发放时限 (presenters.deadline_out)."""

    release_deadline: date = Field(description="发放时限")
    days_left: int | None = Field(description="距发放时限的天数；已发放为 null")
    overdue: bool
    released_late: bool
    warnings: list[str]


class RunRowOut(DeadlineOut):
    id: int
    period: str = Field(description="发放月份 YYYY-MM")
    status: str


class BenefitTypeTotal(CountAmount):
    benefit_type: str
    name: str
    payer: str


class PayerTotal(CountAmount):
    payer: str
    name: str


class RunDetailOut(RunRowOut):
    """A run with its totals by benefit type, payer, payment status and kind (current, arrears, reissue)."""

    region: str
    status_name: str
    created_by: str
    approved_by: str
    released_by: str
    total: CountAmount
    by_benefit_type: list[BenefitTypeTotal]
    by_payer: list[PayerTotal]
    by_status: dict[str, CountAmount]
    by_kind: dict[str, CountAmount]


class RejectedLine(Schema):
    line: int
    field: str
    reason: str


class BankReturnOut(Schema):
    id: int
    run: int
    run_status: str
    paid: CountAmount
    failed: CountAmount
    outstanding: CountAmount
    rejected_lines: list[RejectedLine]


class EntitlementOut(Schema):
    id: int
    case: int
    case_number: str
    beneficiary_name: str
    beneficiary_relation: str
    benefit_type: str
    benefit_name: str
    period: str
    payer: str
    amount: str
    start_month: str
    end_month: str | None
    status: str
    basis: str
    formula: str
    parameters_used: Any
