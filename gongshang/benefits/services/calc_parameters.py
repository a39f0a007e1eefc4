"""Which parameter value applies to which item, on which date (every item has its own date):

| value | items | date | source |
|---|---|---|---|
| 统筹区职工月平均工资 | 本人工资 60%-300% bounds | injury | 条例 第六十四条 |
| 最低工资标准 | 伤残津贴 floor | appraisal concluded (the allowance starts after it) | 第三十五、三十六条 |
| 统筹区上年度职工月平均工资 | 生活护理费 | appraisal concluded | 第三十四条 |
| 统筹区上年度职工月平均工资 | 丧葬补助金 | death | 第三十九条 |
| 上一年度全国城镇居民人均可支配收入 | 一次性工亡补助金 | the year before the death | 第三十九条 |
| 平均工资、月数表、职业病加发比例 | 一次性工伤医疗/伤残就业补助金 | termination | 第三十六、三十七条; province |

`parameters_used` lists every value with `applies_to` (item codes) and `on` (the date it was
looked up for); a kind looked up on two dates that hit different rows appears twice
(`kind@item`)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongshang.core.errors import FieldErrors
from gongshang.core.money import fen_str

from .. import selectors
from ..choices import ParameterKind
from ..rules.calculate import CalcInput, Parameters, item_regime
from ..rules.regional import reduction_for

# Who publishes each figure, so that a missing one can be asked for (it is never guessed).
PUBLISHERS = {
    "avg_monthly_wage": "统筹区人力资源社会保障部门（每年公布上年度职工月平均工资）",
    "min_wage": "省级人力资源社会保障部门（最低工资标准通知）",
    "meal_allowance": "统筹区人力资源社会保障部门",
    "travel_lodging": "统筹区人力资源社会保障部门",
    "medical_subsidy_months": "省级人民政府（本省工伤保险条例实施办法）",
    "employment_subsidy_months": "省级人民政府（本省工伤保险条例实施办法）",
    "occupational_disease_bonus": "省级人民政府（本省工伤保险条例实施办法）",
    "national_disposable_income": "国家统计局（每年的国民经济和社会发展统计公报）",
    "payment_day": "统筹区社会保险经办机构",
}


def missing_error(region: str, missing: list[tuple[str, str]]) -> FieldErrors:
    """Names each figure and who publishes it, and says how to go on: staff enter it under 待遇参数."""
    unique = list(dict.fromkeys(missing))
    figures = "；".join(f"{name}，由{PUBLISHERS.get(kind, '统筹区人力资源社会保障部门')}公布" for kind, name in unique)
    advice = ("可向经办机构咨询；经办机构工作人员在“待遇参数”中录入该数值后即可重新计算"
              "（通过接口计算的，也可在 parameters 中填入该数值）")
    return FieldErrors({"region": f"统筹区 {region} 尚未录入：{figures}。{advice}"},
                       message=f"缺少计算所需的待遇参数：{figures}。{advice}")


@dataclass(frozen=True)
class Dates:
    injury: date
    appraisal: date
    death: date
    termination: date


def _entry(row, name: str, on: date, item: str) -> dict:
    return {"value": fen_str(row.value) if row.value is not None else None, "table": row.table or None,
            "name": name, "region": row.region, "valid_from": str(row.valid_from),
            "valid_to": str(row.valid_to) if row.valid_to else None, "data_year": row.data_year,
            "source": row.source, "demo": row.is_demo, "id": row.pk, "on": str(on), "applies_to": [item]}


class Loader:
    def __init__(self, region: str, overrides: dict):
        self.region, self.overrides, self.used, self.missing = region, overrides, {}, []

    def _record(self, kind: str, entry: dict) -> None:
        same = [e for k, e in self.used.items() if k.split("@")[0] == kind and e.get("id") == entry.get("id")
                and e.get("value") == entry.get("value")]
        if same:
            same[0]["applies_to"] += [i for i in entry["applies_to"] if i not in same[0]["applies_to"]]
            if entry["on"] not in same[0]["on"].split("、"):
                same[0]["on"] += "、" + entry["on"]
            return
        self.used[kind if kind not in self.used else f"{kind}@{entry['applies_to'][0]}"] = entry

    def regional(self, kind: str, on: date, item: str, *, required: bool = True):
        name = str(ParameterKind(kind).label)
        override = self.overrides.get(kind)
        if override is not None:
            table = override if isinstance(override, dict) else None
            self._record(kind, {"value": None if table else fen_str(override), "table": table, "name": name,
                                "source": "请求中指定", "demo": False, "id": None, "on": str(on), "applies_to": [item]})
            return override
        row = selectors.parameter_in_force(region=self.region, kind=kind, on=on)
        if row is None:
            if required:
                self.missing.append((kind, f"{name}（{on} 适用）"))
            return None
        self._record(kind, _entry(row, name, on, item))
        return row.table if row.table else row.value

    def national_income(self, year: int, on: date):
        name = f"{year} 年全国城镇居民人均可支配收入"
        override = self.overrides.get("national_disposable_income")
        if override is not None:
            self._record("national_disposable_income", {"value": fen_str(override), "name": name, "demo": False,
                                                        "source": "请求中指定", "id": None, "on": str(on),
                                                        "applies_to": ["one_time_death_subsidy"]})
            return override
        row = selectors.national_income(year=year)
        if row is None:
            self.missing.append(("national_disposable_income", name))
            return None
        self._record("national_disposable_income", _entry(row, name, on, "one_time_death_subsidy"))
        return row.value


def _termination(loader: Loader, calc: CalcInput, on: date) -> dict:
    if not (calc.terminate_employment and calc.kind == "disability" and (calc.disability_grade or 0) >= 5):
        return {}
    rule = reduction_for(loader.region, loader.overrides.get("retirement_reduction"))
    if rule is not None:
        loader.used["retirement_reduction"] = {
            "value": None, "table": {"years": rule.years, "step_percent": f"{rule.step_percent.normalize():f}"},
            "name": "临近法定退休年龄的递减规则（不足年数、每年递减 %）", "source": rule.source,
            "demo": not rule.confirmed, "id": None, "on": str(on),
            "applies_to": ["one_time_medical_subsidy", "one_time_employment_subsidy"]}
    values = {"termination_avg_wage": loader.regional("avg_monthly_wage", on, "one_time_medical_subsidy")}
    loader.regional("avg_monthly_wage", on, "one_time_employment_subsidy")
    values["medical_subsidy_months"] = loader.regional("medical_subsidy_months", on, "one_time_medical_subsidy") or {}
    values["employment_subsidy_months"] = loader.regional("employment_subsidy_months", on,
                                                          "one_time_employment_subsidy") or {}
    values["retirement_reduction"] = rule
    if calc.occupational_disease:
        bonus = loader.regional("occupational_disease_bonus", on, "one_time_medical_subsidy", required=False)
        values["occupational_disease_bonus"] = bonus if bonus is not None else Decimal(0)
    return values


def load_parameters(region: str, calc: CalcInput, overrides: dict, dates: Dates) -> tuple[Parameters, dict]:
    loader = Loader(region, overrides)
    avg = loader.regional("avg_monthly_wage", dates.injury, "own_wage")
    values: dict = {"min_wage": Decimal(1)}  # a death has no 伤残津贴: the minimum wage plays no part
    if calc.kind == "disability":
        values["min_wage"] = loader.regional("min_wage", dates.appraisal, "disability_allowance")
        if calc.nursing_level:
            values["nursing_avg_wage"] = loader.regional("avg_monthly_wage", dates.appraisal, "nursing_allowance")
        values.update(_termination(loader, calc, dates.termination))
    income, year = None, dates.death.year - 1
    if calc.kind == "death":
        values["funeral_avg_wage"] = loader.regional("avg_monthly_wage", dates.death, "funeral_subsidy")
        if calc.disability_grade is None:  # grades 1-4 dying after 停工留薪期 get no 一次性工亡补助金
            if item_regime(calc).death_subsidy == "national_income":
                income = loader.national_income(year, dates.death)
            else:  # 2004-2010: 48-60 months of the regional average (条例 2003 第三十七条), set locally
                loader.regional("avg_monthly_wage", dates.death, "one_time_death_subsidy")
                months = loader.overrides.get("death_subsidy_months")
                if months is not None:
                    values["death_subsidy_months"] = months
                    loader.used["death_subsidy_months"] = {
                        "value": f"{months.normalize():f}", "table": None, "name": "一次性工亡补助金月数（2004-2010年，48-60）",
                        "source": "请求中指定", "demo": False, "id": None, "on": str(dates.death),
                        "applies_to": ["one_time_death_subsidy"]}
    if loader.missing:
        raise missing_error(region, loader.missing)
    return Parameters(avg_monthly_wage=avg, national_disposable_income=income, national_income_year=year,
                      **values), loader.used
