"""待遇计算器: one request dict in (API body or page form), the items owed out, each with its
article, its formula and the parameter values used. Every problem is reported at once, by field,
in Chinese (422)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from gongshang.core.errors import FieldErrors
from gongshang.core.money import fen_str

from ..rules.calculate import CalcInput, CalcResult, calculate, item_regime
from ..rules.death import RELATIONS, Dependant
from ..rules.items import RuleError
from ..rules.nursing import NURSING_RATES
from ..rules.regimes import regime_on
from ..rules.regional import OPTIONAL_KEYS as OPTIONAL_REDUCTION_KEYS
from ..rules.regional import reduction_for
from ..rules.retirement import SCHEDULES
from ..rules.retirement import SOURCE as RETIREMENT_SOURCE
from .calc_parameters import Dates, load_parameters

LABELS = {
    "region": "统筹区", "injury_date": "受伤（死亡）日期", "kind": "待遇类别", "disability_grade": "伤残等级",
    "nursing_level": "生活自理障碍等级", "monthly_wages": "受伤前 12 个月缴费工资", "own_wage": "本人工资",
    "terminate_employment": "是否解除或终止劳动关系", "dependants": "供养亲属", "parameters": "参数",
    "parameters.avg_monthly_wage": "统筹区上年度职工月平均工资", "parameters.min_wage": "最低工资标准",
    "parameters.province_avg_monthly_wage": "上年度全省职工月平均工资",
    "parameters.national_disposable_income": "上一年度全国城镇居民人均可支配收入",
    "parameters.medical_subsidy_months": "一次性工伤医疗补助金月数",
    "parameters.employment_subsidy_months": "一次性伤残就业补助金月数", "occupational_disease": "职业病",
    "death_date": "死亡日期", "appraisal_date": "劳动能力鉴定结论日期", "termination_date": "解除或终止劳动关系日期",
    "veteran_recurrence": "旧伤复发（条例第十五条第一款第（三）项）",
    "parameters.occupational_disease_bonus": "职业病一次性工伤医疗补助金加发比例",
    "parameters.death_subsidy_months": "一次性工亡补助金月数（2004-2010年）",
    "parameters.retirement_reduction": "临近退休递减规则",
    "birth_date": "出生日期", "sex": "性别", "original_retirement_age": "原法定退休年龄",
    "leave_months": "停工留薪期月数", "leave_extension_months": "停工留薪期延长月数",
    "leave_extension_confirmed": "延长已经劳动能力鉴定委员会确认", "original_wage": "原工资（停工留薪期）",
}
# Every wage and parameter is at least 1.00 yuan, finite, and below a sensible maximum.
MINIMUM = Decimal("1")
MAXIMA = {"own_wage": Decimal("1000000"), "monthly_wages": Decimal("1000000"),
          "parameters.avg_monthly_wage": Decimal("100000"), "parameters.min_wage": Decimal("100000"),
          "parameters.province_avg_monthly_wage": Decimal("100000"),
          "parameters.national_disposable_income": Decimal("1000000")}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OVERRIDABLE = ("avg_monthly_wage", "province_avg_monthly_wage", "min_wage", "national_disposable_income")
DEMO_NOTICE = ("本次计算使用了标为“演示值”的参数：演示统筹区的数据是虚构的，不是青岛市或山东省公布的标准，"
               "结果不能作为实际待遇；请在 parameters 中填入本统筹区公布的数值，或由经办机构录入后重新计算")
TABLE_OVERRIDES = ("medical_subsidy_months", "employment_subsidy_months")
TERMINATION_GRADES = range(5, 11)


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


def _parse_table(value, field: str, errors: dict) -> dict | None:
    """A month table for grades 5-10: {"5": 22, "6": 18, …}; every grade 5-10, each 0-120 months."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        errors[field] = "应填写五至十级每一级的月数，例如五级 22、六级 18、七级 13、八级 10、九级 7、十级 4 个月"
        return None
    table = {}
    for grade in TERMINATION_GRADES:
        raw = value.get(str(grade), value.get(grade))
        try:
            months = Decimal(str(raw)) if raw is not None and not isinstance(raw, bool) else None
        except (InvalidOperation, ValueError):
            months = None
        if months is None or not months.is_finite() or not 0 <= months <= 120:
            errors[field] = f"{grade} 级的月数应为 0 至 120 之间的数字；请填写五至十级每一级的月数"
            return None
        table[str(grade)] = int(months) if months == months.to_integral_value() else f"{months.normalize():f}"
    if set(map(str, value)) - {str(g) for g in TERMINATION_GRADES}:
        errors[field] = "只填写五至十级（5-10）的月数"
        return None
    return table


def _parse_number(value, field: str, errors: dict, low: Decimal, high: Decimal, hint: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        errors[field] = hint
        return None
    return number


def _parse_overrides(overrides: dict, errors: dict) -> dict:
    parsed = {k: parse_money(overrides.get(k), f"parameters.{k}", errors) for k in OVERRIDABLE}
    for kind in TABLE_OVERRIDES:
        parsed[kind] = _parse_table(overrides.get(kind), f"parameters.{kind}", errors)
    parsed["occupational_disease_bonus"] = _parse_number(
        overrides.get("occupational_disease_bonus"), "parameters.occupational_disease_bonus", errors,
        Decimal(0), Decimal(100), "应为 0 至 100 之间的百分比数字，例如 50")
    parsed["death_subsidy_months"] = _parse_number(
        overrides.get("death_subsidy_months"), "parameters.death_subsidy_months", errors,
        Decimal(48), Decimal(60), "应为 48 至 60 之间的月数（2003 年《工伤保险条例》第三十七条）")
    reduction = overrides.get("retirement_reduction")
    if reduction not in (None, "", {}):
        if isinstance(reduction, dict) and {"years", "step_percent"} <= set(reduction) <= {
                "years", "step_percent", *OPTIONAL_REDUCTION_KEYS}:
            try:  # the values too, here: a bad one is the caller's 422, not an error while computing
                reduction_for("", reduction)
                parsed["retirement_reduction"] = reduction
            except RuleError as exc:
                errors[exc.field] = exc.message
        else:
            errors["parameters.retirement_reduction"] = "应为 {\"years\": 5, \"step_percent\": 20} 这样的对象"
    unknown = set(overrides) - set(OVERRIDABLE) - set(TABLE_OVERRIDES) - {
        "occupational_disease_bonus", "death_subsidy_months", "retirement_reduction"}
    if unknown:
        errors["parameters"] = "不认识的参数：" + "、".join(sorted(map(str, unknown)))
    return parsed


def _parse_int(data: dict, field: str, errors: dict, low: int, high: int, hint: str) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    try:
        number = int(value) if not isinstance(value, bool | float) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        errors[field] = hint
        return None
    return number


def _parse_person(data: dict, errors: dict) -> dict:
    """出生日期、性别、原法定退休年龄 (for the statutory retirement date)."""
    birth = None
    if data.get("birth_date") not in (None, ""):
        value = data.get("birth_date")
        try:
            birth = date.fromisoformat(value) if isinstance(value, str) and ISO_DATE.match(value) else None
        except ValueError:
            birth = None
        if birth is None or birth.year < 1920 or birth > timezone.localdate():
            errors["birth_date"] = "日期格式应为 YYYY-MM-DD，且不晚于今天"
            birth = None
    sex = data.get("sex")
    if sex in (None, ""):
        sex = None
    elif sex not in ("male", "female"):
        errors["sex"] = "应为 male（男）或 female（女）"
        sex = None
    original = _parse_int(data, "original_retirement_age", errors, 50, 60,
                          "应为 60（男职工）、50（女工人）或 55（女干部）")
    if original is not None and sex and (sex, original) not in SCHEDULES:
        errors["original_retirement_age"] = "男职工为 60；女职工为 50（工人）或 55（干部）"
    return {"birth_date": birth, "sex": sex, "original_retirement_age": original}


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
    # isascii(): isdigit() alone accepts full-width, superscript and other scripts' digits.
    if not (isinstance(region, str) and len(region) == 6 and region.isascii() and region.isdigit()):
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
    parsed_overrides = _parse_overrides(overrides, errors)
    leave = {"leave_months": _parse_int(data, "leave_months", errors, 1, 12, "应为 1 至 12 的整数（条例第三十三条：一般不超过 12 个月）"),
             "leave_extension_months": _parse_int(data, "leave_extension_months", errors, 0, 12,
                                                  "应为 0 至 12 的整数（延长不得超过 12 个月）") or 0,
             "leave_extension_confirmed": _bool(data, "leave_extension_confirmed", errors),
             "original_wage": parse_money(data.get("original_wage"), "original_wage", errors)}
    if leave["leave_extension_months"] and not leave["leave_extension_confirmed"]:
        errors["leave_extension_confirmed"] = "延长停工留薪期须经设区的市级劳动能力鉴定委员会确认，确认后请勾选"
    if leave["leave_extension_months"] and not leave["leave_months"]:
        errors["leave_months"] = "填写延长月数时，请先填写停工留薪期月数"
    person = _parse_person(data, errors)
    if person["birth_date"] and injury_date and person["birth_date"] >= injury_date:
        errors["birth_date"] = "应早于受伤（死亡）日期"
    calc = CalcInput(
        injury_date=injury_date, kind=kind, disability_grade=_parse_grade(data.get("disability_grade"), errors),
        nursing_level=level or None, monthly_wages=_parse_wages(data, errors),
        own_wage=parse_money(data.get("own_wage"), "own_wage", errors),
        terminate_employment=_bool(data, "terminate_employment", errors),
        dependants=_parse_dependants(data.get("dependants"), errors),
        occupational_disease=_bool(data, "occupational_disease", errors),
        veteran_recurrence=_bool(data, "veteran_recurrence", errors),
        death_date=dates.death if dates and kind == "death" else None,
        termination_date=dates.termination if dates else None,
        **person, **leave)
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
    try:  # a date before 2004-01-01 is refused first, naming the rule that applies
        regime_on(calc.injury_date)
        item_regime(calc)
    except RuleError as exc:
        raise field_errors({exc.field: exc.message}) from exc
    params, used = load_parameters(region, calc, overrides, dates)
    try:
        return calculate(calc, params), used
    except RuleError as exc:
        raise field_errors({exc.field: exc.message}) from exc


def present(result: CalcResult, used: dict) -> dict:
    items = [{"code": i.code, "name": i.name, "amount": fen_str(i.amount), "period": i.period, "payer": i.payer,
              "basis": i.basis, "formula": i.formula, "beneficiary": i.beneficiary, "months": i.months}
             for i in result.items]
    own = result.own_wage
    wage_regime = result.wage_regime or result.regime
    retirement = result.retirement
    return {"own_wage": fen_str(own.amount),
            "own_wage_detail": {"average": fen_str(own.average), "months": own.months, "floor": fen_str(own.floor),
                                "cap": fen_str(own.cap), "limited_by": own.limited_by, "formula": own.formula,
                                "basis": wage_regime.cite("wage")},
            "regime": {"code": result.regime.code, "title": f"《工伤保险条例》{result.regime.title}",
                       "valid_from": str(result.regime.valid_from),
                       "valid_to": str(result.regime.valid_to) if result.regime.valid_to else None},
            "retirement": None if retirement is None else {
                "date": str(retirement.date), "age": retirement.text, "delay_months": retirement.delay_months,
                "basis": RETIREMENT_SOURCE},
            "notes": result.notes + ([DEMO_NOTICE] if any(p.get("demo") for p in used.values()) else []),
            "demo": any(p.get("demo") for p in used.values()),
            "parameters_used": used, "items": items,
            "total_once": fen_str(sum((i.amount for i in result.items if i.period == "once"), Decimal(0))),
            **_monthly_totals(result.items)}


# 停工留薪期 pay (第三十三条, the employer, during the period) and the items from the appraisal or the death
# (伤残津贴, 生活护理费, 供养亲属抚恤金, paid by the fund after the period) are never paid in the same month.
DURING_LEAVE = {"leave_pay"}


def _monthly_totals(items) -> dict:
    """按月待遇合计 of the months after 停工留薪期, and the 停工留薪期 pay apart (never added to it)."""
    after = [i for i in items if i.period == "monthly" and i.code not in DURING_LEAVE]
    during = [i for i in items if i.period == "monthly" and i.code in DURING_LEAVE]
    total = sum((i.amount for i in after), Decimal(0))
    leave = sum((i.amount for i in during), Decimal(0))
    formula = ("＋".join(f"{i.name} {fen_str(i.amount)}" for i in after) + f" ＝ {fen_str(total)} 元/月") if after else ""
    if during:
        formula += ("；" if formula else "") + (f"停工留薪期内按月 {fen_str(leave)} 元由用人单位支付，"
                                                "与停工留薪期满后的按月待遇不在同一月份发放，不计入合计")
    return {"total_monthly": fen_str(total), "total_leave_monthly": fen_str(leave), "total_monthly_formula": formula}


def calculate_request(data) -> dict:
    region, calc, overrides, dates = parse_request(data)
    result, used = run(region, calc, overrides, dates)
    return present(result, used)
