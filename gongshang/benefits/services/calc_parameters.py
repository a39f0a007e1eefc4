"""Which parameter value applies to which item, on which date (every item has its own date):

| value | items | date | source |
|---|---|---|---|
| 统筹区职工月平均工资 | 本人工资 60%-300% bounds | injury | 条例 第六十四条 |
| 最低工资标准 | 伤残津贴 floor | appraisal concluded (the allowance starts after it) | 第三十五、三十六条 |
| 统筹区上年度职工月平均工资 | 生活护理费 | appraisal concluded | 第三十四条 |
| 统筹区上年度职工月平均工资 | 丧葬补助金 | death | 第三十九条 |
| 上一年度全国城镇居民人均可支配收入 | 一次性工亡补助金 | the year before the death | 第三十九条 |
| 平均工资、月数表、职业病加发比例 | 一次性工伤医疗/伤残就业补助金 | termination | 第三十六、三十七条; province |

Where each value comes from, first found wins: the request's `parameters` → the 统筹区's stored
row in force (entered by staff) → for the month tables, the occupational-disease supplement, the
near-retirement reduction and the 2004-2010 death months, the official table of the 统筹区's
province in force on the item's date (rules/provincial.py: Zhejiang 33, Henan 41) → missing (422
naming the figure and who publishes it). The reduction has no stored row; without a provincial
table the undated Shandong rule applies (rules/regional.py). The base of the termination subsidies
follows the province's text in force: Zhejiang's is the whole province's average
(`province_avg_monthly_wage`: request, then the 统筹区's stored row; never a figure in code).

`parameters_used` lists every value with `applies_to` (item codes) and `on` (the date it was
looked up for); a kind looked up on two dates that hit different rows appears twice
(`kind@item`). A value from a provincial table carries its citation in `source`, `valid_from`,
`demo: false` and `document` (repository, commit, path of the text read)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongshang.core.errors import FieldErrors
from gongshang.core.money import fen_str

from .. import selectors
from ..choices import ParameterKind
from ..rules import provincial, termination
from ..rules.calculate import CalcInput, Parameters, item_regime, reached_retirement
from ..rules.regional import EMPLOYMENT, MEDICAL, NearRetirementReduction, reduction_for

# Who publishes each figure, so that a missing one can be asked for (it is never guessed).
PUBLISHERS = {
    "avg_monthly_wage": "统筹区人力资源社会保障部门（每年公布上年度职工月平均工资）",
    "province_avg_monthly_wage": "省统计局、省人力资源社会保障厅（每年公布上年度全省职工平均工资）",
    "min_wage": "省级人力资源社会保障部门（最低工资标准通知）",
    "meal_allowance": "统筹区人力资源社会保障部门",
    "travel_lodging": "统筹区人力资源社会保障部门",
    "medical_subsidy_months": "省级人民政府（本省工伤保险条例实施办法）",
    "employment_subsidy_months": "省级人民政府（本省工伤保险条例实施办法）",
    "occupational_disease_bonus": "省级人民政府（本省工伤保险条例实施办法）",
    "national_disposable_income": "国家统计局（每年的国民经济和社会发展统计公报）",
    "payment_day": "统筹区社会保险经办机构",
}


def missing_error(region: str, missing: list[tuple[str, str]], publishers: dict | None = None) -> FieldErrors:
    """Names each figure and who publishes it, and says how to go on: staff enter it under 待遇参数.
    `publishers` names a province's own publisher where a provincial table says whose figure it is."""
    unique = list(dict.fromkeys(missing))
    known = {**PUBLISHERS, **(publishers or {})}
    figures = "；".join(f"{name}，由{known.get(kind, '统筹区人力资源社会保障部门')}公布" for kind, name in unique)
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


def _provincial_entry(citation: provincial.Citation, article: str, name: str, on: date, item: str, *,
                      valid_from: date, valid_to: date | None, region: str, value: str | None = None,
                      table: dict | None = None, text: str | None = None) -> dict:
    """A value read from a provincial text: its citation and where the text is, never demo."""
    entry = {"value": value, "table": table, "name": name, "region": f"{region}0000", "valid_from": str(valid_from),
             "valid_to": str(valid_to) if valid_to else None, "data_year": None,
             "source": citation.source(article), "demo": False, "id": None, "on": str(on), "applies_to": [item],
             "document": citation.document.as_dict(), "status": provincial.OFFICIAL}
    if text:
        entry["text"] = text
    return entry


class Loader:
    def __init__(self, region: str, overrides: dict):
        self.region, self.overrides, self.used, self.missing = region, overrides, {}, []
        self.publishers: dict[str, str] = {}

    def _record(self, kind: str, entry: dict) -> None:
        same = [e for k, e in self.used.items() if k.split("@")[0] == kind and e.get("id") == entry.get("id")
                and e.get("value") == entry.get("value")]
        if same:
            same[0]["applies_to"] += [i for i in entry["applies_to"] if i not in same[0]["applies_to"]]
            if entry["on"] not in same[0]["on"].split("、"):
                same[0]["on"] += "、" + entry["on"]
            return
        self.used[kind if kind not in self.used else f"{kind}@{entry['applies_to'][0]}"] = entry

    def regional(self, kind: str, on: date, item: str, *, required: bool = True,
                 provincial_value: tuple | None = None):
        """The request's value, else the 统筹区's stored row in force, else `provincial_value`
        ((value, entry) from the province's official table), else missing."""
        name = str(ParameterKind(kind).label)
        override = self.overrides.get(kind)
        if override is not None:
            table = override if isinstance(override, dict) else None
            self._record(kind, {"value": None if table else fen_str(override), "table": table, "name": name,
                                "source": "请求中指定", "demo": False, "id": None, "on": str(on), "applies_to": [item]})
            return override
        row = selectors.parameter_in_force(region=self.region, kind=kind, on=on)
        if row is None and provincial_value is not None:
            value, entry = provincial_value
            self._record(kind, entry)
            return value
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


REDUCTION_NAME = "临近法定退休年龄的递减规则"


def _reduction(loader: Loader, table: provincial.ProvincialTable | None, on: date) -> NearRetirementReduction | None:
    """The request's rule, else the provincial table's (dated), else the undated Shandong rule."""
    override = loader.overrides.get("retirement_reduction")
    rule = reduction_for(loader.region, override) if override else table.reduction if table else reduction_for(
        loader.region)
    if rule is None:
        return None
    shape = {"years": rule.years, "step_percent": f"{rule.step_percent.normalize():f}"}
    if rule.last_year_percent is not None:
        shape["last_year_percent"] = f"{rule.last_year_percent.normalize():f}"
    if rule.by_age:
        shape["by_age"] = True  # counted in 周岁 gained since five years remained (Zhejiang)
    items = [code for code in (MEDICAL, EMPLOYMENT) if rule.reduces(code)]
    if table is not None and not override:
        entry = _provincial_entry(table.citation, table.reduction_article, REDUCTION_NAME, on, items[0],
                                  valid_from=table.valid_from, valid_to=table.valid_to, region=table.province,
                                  table=shape, text=rule.text)
        entry["applies_to"] = items
    else:
        entry = {"value": None, "table": shape, "text": rule.text, "name": REDUCTION_NAME, "source": rule.source,
                 "demo": not rule.confirmed, "id": None, "on": str(on), "applies_to": items}
    loader.used["retirement_reduction"] = entry
    return rule


def _months(loader: Loader, table: provincial.ProvincialTable | None, on: date, kind: str, item: str):
    """A month table (request → stored row → provincial table) and the Standard the item cites."""
    base = table.base if table is not None else termination.POOLING_REGION
    fallback = None
    if table is not None:
        months = table.medical_months if kind == "medical_subsidy_months" else table.employment_months
        months = {str(g): m for g, m in months.items()}
        fallback = (months, _provincial_entry(table.citation, table.months_article, str(ParameterKind(kind).label), on,
                                              item, valid_from=table.valid_from, valid_to=table.valid_to,
                                              region=table.province, table=months))
    found = loader.regional(kind, on, item, provincial_value=fallback)
    from_table = fallback is not None and found is fallback[0]
    cite = table.citation.cite(table.months_article) if from_table else ""
    return found or {}, termination.Standard(base=base, cite=cite)


def _disease_bonus(loader: Loader, table: provincial.ProvincialTable | None, on: date):
    fallback = None
    if table is not None:
        bonus = table.disease_bonus if table.disease_bonus is not None else Decimal(0)
        text = None if table.disease_bonus is not None else (
            f"不加发：{table.citation.cite(table.disease_article)}未规定职业病加发一次性工伤医疗补助金")
        fallback = (bonus, _provincial_entry(table.citation, table.disease_article,
                                             str(ParameterKind.OCCUPATIONAL_DISEASE_BONUS.label), on, MEDICAL,
                                             valid_from=table.valid_from, valid_to=table.valid_to,
                                             region=table.province, value=fen_str(bonus), text=text))
    bonus = loader.regional("occupational_disease_bonus", on, MEDICAL, required=False, provincial_value=fallback)
    return bonus if bonus is not None else Decimal(0)


def _termination(loader: Loader, calc: CalcInput, on: date) -> dict:
    if not (calc.terminate_employment and calc.kind == "disability" and (calc.disability_grade or 0) >= 5):
        return {}
    if reached_retirement(calc, on):  # neither subsidy is paid: none of their figures is looked up
        return {}
    table = provincial.table_in_force(loader.region, on)
    # The base follows the province's text in force (Zhejiang: the whole province's average).
    base_kind = "avg_monthly_wage"
    if table is not None and table.base == termination.PROVINCE:
        base_kind = "province_avg_monthly_wage"
        loader.publishers[base_kind] = table.province_wage_publisher
    values = {"termination_avg_wage": loader.regional(base_kind, on, MEDICAL),
              "retirement_reduction": _reduction(loader, table, on)}
    loader.regional(base_kind, on, EMPLOYMENT)
    values["medical_subsidy_months"], values["medical_standard"] = _months(
        loader, table, on, "medical_subsidy_months", MEDICAL)
    values["employment_subsidy_months"], values["employment_standard"] = _months(
        loader, table, on, "employment_subsidy_months", EMPLOYMENT)
    if calc.occupational_disease:
        values["occupational_disease_bonus"] = _disease_bonus(loader, table, on)
    return values


def _death_months(loader: Loader, on: date) -> Decimal | None:
    """2004-2010 deaths (条例 2003 第三十七条: 48-60 months set locally): the request's number, else
    the province's (Henan 第二十九条: 54, deaths 2007-10-01…2010-12-31), else none (422)."""
    months = loader.overrides.get("death_subsidy_months")
    name = "一次性工亡补助金月数（2004-2010年，48-60）"
    if months is not None:
        loader.used["death_subsidy_months"] = {
            "value": f"{months.normalize():f}", "table": None, "name": name, "source": "请求中指定", "demo": False,
            "id": None, "on": str(on), "applies_to": ["one_time_death_subsidy"]}
        return months
    found = provincial.death_months_in_force(loader.region, on)
    if found is None:
        return None
    loader.used["death_subsidy_months"] = _provincial_entry(
        found.citation, found.article, name, on, "one_time_death_subsidy", valid_from=found.valid_from,
        valid_to=found.valid_to, region=found.province, value=f"{found.months.normalize():f}")
    return found.months


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
                months = _death_months(loader, dates.death)
                if months is not None:
                    values["death_subsidy_months"] = months
    if loader.missing:
        raise missing_error(region, loader.missing, loader.publishers)
    return Parameters(avg_monthly_wage=avg, national_disposable_income=income, national_income_year=year,
                      **values), loader.used
