"""待遇计算器: one request dict in (API body or page form), the items owed out, each with its
article, its formula and the parameter values used. Every problem is reported at once, by field,
in Chinese (422)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from gongshang.core.errors import FieldErrors
from gongshang.core.money import fen_str

from ..rules.calculate import CalcInput, CalcResult, calculate
from ..rules.death import RELATIONS, Dependant
from ..rules.items import RuleError
from ..rules.nursing import NURSING_RATES
from .calc_parameters import Dates, load_parameters

LABELS = {
    "region": "统筹区", "injury_date": "受伤（死亡）日期", "kind": "待遇类别", "disability_grade": "伤残等级",
    "nursing_level": "生活自理障碍等级", "monthly_wages": "受伤前 12 个月缴费工资", "own_wage": "本人工资",
    "terminate_employment": "是否解除或终止劳动关系", "dependants": "供养亲属", "parameters": "参数",
    "parameters.avg_monthly_wage": "统筹区上年度职工月平均工资", "parameters.min_wage": "最低工资标准",
    "parameters.national_disposable_income": "上一年度全国城镇居民人均可支配收入",
    "parameters.medical_subsidy_months": "一次性工伤医疗补助金月数",
    "parameters.employment_subsidy_months": "一次性伤残就业补助金月数", "occupational_disease": "职业病",
    "death_date": "死亡日期", "appraisal_date": "劳动能力鉴定结论日期", "termination_date": "解除或终止劳动关系日期",
    "veteran_recurrence": "旧伤复发（条例第十五条第一款第（三）项）",
}
# Every wage and parameter is at least 1.00 yuan, finite, and below a sensible maximum.
MINIMUM = Decimal("1")
MAXIMA = {"own_wage": Decimal("1000000"), "monthly_wages": Decimal("1000000"),
          "parameters.avg_monthly_wage": Decimal("100000"), "parameters.min_wage": Decimal("100000"),
          "parameters.national_disposable_income": Decimal("1000000")}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OVERRIDABLE = ("avg_monthly_wage", "min_wage", "national_disposable_income")


def label(field: str) -> str:
    base = field.split("[")[0]
    return LABELS.get(field) or LABELS.get(base) or field


def parse_money(value, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        errors[field] = "应为金额（数字或字符串，如 \"5000.00\"）"
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):  # ValueError: an int too long to print
        errors[field] = "应为金额，例如 5000.00"
        return None
    maximum = MAXIMA.get(field, Decimal("1000000"))
    if not amount.is_finite() or not MINIMUM <= amount <= maximum:
        errors[field] = f"金额应为 1.00 至 {maximum:,.0f} 元之间的数字"
        return None
    return amount


def _parse_date(value, errors: dict, field: str = "injury_date", after: date | None = None) -> date | None:
    try:
        day = (date.fromisoformat(value) if isinstance(value, str) and ISO_DATE.match(value)
               else value if isinstance(value, date) else None)
    except ValueError:
        day = None
    if day is None:
        errors[field] = "日期格式应为 YYYY-MM-DD"
    elif day > timezone.localdate() or day.year < 1990:
        errors[field] = "日期应在 1990 年之后且不晚于今天"
        day = None
    elif after is not None and day < after:
        errors[field] = "不能早于受伤（死亡）日期"
        day = None
    return day


def _parse_dates(data: dict, injury: date | None, errors: dict) -> Dates | None:
    """The date each item's parameters are taken on; each defaults to the injury date
    (termination: to the appraisal date)."""
    found = {f: _parse_date(data.get(f), errors, f, injury) if data.get(f) not in (None, "") else None
             for f in ("death_date", "appraisal_date", "termination_date")}
    if injury is None or any(f in errors for f in found):
        return None
    appraisal = found["appraisal_date"] or injury
    return Dates(injury=injury, appraisal=appraisal, death=found["death_date"] or injury,
                 termination=found["termination_date"] or appraisal)


def _parse_grade(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        grade = int(value) if not isinstance(value, bool | float) else None
    except (TypeError, ValueError):
        grade = None
    if grade is None or not 1 <= grade <= 10:
        errors["disability_grade"] = "应为 1（一级）至 10（十级）的整数"
        return None
    return grade


def _parse_wages(data: dict, errors: dict) -> list[Decimal] | None:
    wages = data.get("monthly_wages")
    if wages in (None, "", []):
        return None
    if not isinstance(wages, list) or len(wages) > 12:
        errors["monthly_wages"] = "应为最多 12 个月的金额列表"
        return None
    parsed = [parse_money(w, "monthly_wages", errors) for w in wages]
    if any(p is None for p in parsed) and "monthly_wages" not in errors:
        errors["monthly_wages"] = "每个月的缴费工资都应填写"
    return None if "monthly_wages" in errors else parsed


def _parse_dependants(value, errors: dict) -> list[Dependant]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > 20:
        errors["dependants"] = "应为供养亲属列表（最多 20 人）"
        return []
    result = []
    for index, item in enumerate(value):
        relation = item.get("relation") if isinstance(item, dict) else None
        lonely = item.get("orphan_or_lonely_elderly", False) if isinstance(item, dict) else None
        if not isinstance(relation, str) or relation not in RELATIONS or not isinstance(lonely, bool):
            errors[f"dependants[{index}]"] = ("关系（relation）应为 " + "、".join(f"{n}（{c}）" for c, n in RELATIONS.items())
                                              + "；是否孤寡老人或孤儿（orphan_or_lonely_elderly）应为 true 或 false")
            continue
        result.append(Dependant(relation, lonely))
    if sum(1 for d in result if d.relation == "spouse") > 1:
        errors["dependants"] = "配偶只能有一位"
    return result


def _bool(data: dict, field: str, errors: dict) -> bool:
    value = data.get(field, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        errors[field] = "应为 true 或 false"
        return False
    return value


def parse_request(data) -> tuple[str, CalcInput, dict, Dates]:
    """Validate the whole request; raise one FieldErrors naming every bad field."""
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        raise FieldErrors({"body": "请求体应为 JSON 对象"})
    region = data.get("region")
    if not (isinstance(region, str) and len(region) == 6 and region.isdigit()):
        errors["region"] = "应为 6 位统筹区代码，例如 370200（青岛市）"
    injury_date = _parse_date(data.get("injury_date"), errors)
    dates = _parse_dates(data, injury_date, errors)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in ("disability", "death"):
        errors["kind"] = "应为 disability（伤残）或 death（因工死亡）"
    level = data.get("nursing_level")
    if level not in (None, "") and (not isinstance(level, str) or level not in NURSING_RATES):
        errors["nursing_level"] = "应为 null、full（完全）、most（大部分）或 partial（部分）"
    overrides = data.get("parameters") or {}
    if not isinstance(overrides, dict):
        errors["parameters"] = "应为对象"
        overrides = {}
    parsed_overrides = {k: parse_money(overrides.get(k), f"parameters.{k}", errors) for k in OVERRIDABLE}
    calc = CalcInput(
        injury_date=injury_date, kind=kind, disability_grade=_parse_grade(data.get("disability_grade"), errors),
        nursing_level=level or None, monthly_wages=_parse_wages(data, errors),
        own_wage=parse_money(data.get("own_wage"), "own_wage", errors),
        terminate_employment=_bool(data, "terminate_employment", errors),
        dependants=_parse_dependants(data.get("dependants"), errors),
        occupational_disease=_bool(data, "occupational_disease", errors),
        veteran_recurrence=_bool(data, "veteran_recurrence", errors))
    if not errors and calc.monthly_wages is None and calc.own_wage is None:
        errors["monthly_wages"] = "请填写受伤前 12 个月的缴费工资（monthly_wages）或本人工资（own_wage）"
    if errors:
        raise field_errors(errors)
    return region, calc, {k: v for k, v in parsed_overrides.items() if v is not None}, dates


def field_errors(errors: dict) -> FieldErrors:
    named = {field: f"{label(field)}：{message}" for field, message in errors.items()}
    return FieldErrors(named, message="提交的数据有误，请检查：" + "、".join(label(f) for f in errors))


def run(region: str, calc: CalcInput, overrides: dict, dates: Dates | None = None) -> tuple[CalcResult, dict]:
    """Calculate with each item's parameters taken on its own date (see calc_parameters)."""
    if dates is None:
        dates = Dates(calc.injury_date, calc.injury_date, calc.injury_date, calc.injury_date)
    params, used = load_parameters(region, calc, overrides, dates)
    try:
        return calculate(calc, params), used
    except RuleError as exc:
        raise field_errors({exc.field: exc.message}) from exc


def present(result: CalcResult, used: dict) -> dict:
    items = [{"code": i.code, "name": i.name, "amount": fen_str(i.amount), "period": i.period, "payer": i.payer,
              "basis": i.basis, "formula": i.formula, "beneficiary": i.beneficiary} for i in result.items]
    own = result.own_wage
    return {"own_wage": fen_str(own.amount),
            "own_wage_detail": {"average": fen_str(own.average), "months": own.months, "floor": fen_str(own.floor),
                                "cap": fen_str(own.cap), "limited_by": own.limited_by, "formula": own.formula,
                                "basis": "《工伤保险条例》第六十四条第二款"},
            "parameters_used": used, "items": items,
            "total_once": fen_str(sum((i.amount for i in result.items if i.period == "once"), Decimal(0))),
            "total_monthly": fen_str(sum((i.amount for i in result.items if i.period == "monthly"), Decimal(0)))}


def calculate_request(data) -> dict:
    region, calc, overrides, dates = parse_request(data)
    result, used = run(region, calc, overrides, dates)
    return present(result, used)
