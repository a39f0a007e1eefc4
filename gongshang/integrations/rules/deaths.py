"""死亡信息的规则 (pure): the months a death stops, and the dependants' route of an injured worker
who died (《工伤保险条例》第三十九条). No Django: dates and plain values in, results out."""

from dataclasses import dataclass
from datetime import date

ART_39 = "《工伤保险条例》第三十九条"

# Route codes, kept in DeathRecord.effects (the texts below are derived when shown).
DEATH_REGISTERED = "death_registered"   # a 因工死亡 conclusion is already registered on the case
GRADE_1_TO_4 = "grade_1_to_4"           # 第三十九条第三款: funeral subsidy and dependants' pension
GRADE_5_TO_10 = "grade_5_to_10"         # not under 第三十九条
NOT_GRADED = "not_graded"               # recognised, no appraisal conclusion yet (停工留薪期: 第二款)

FUNERAL = "funeral_subsidy"
PENSION = "dependant_pension"
DEATH_SUBSIDY = "one_time_death_subsidy"


@dataclass(frozen=True)
class Route:
    """What the next of kin may claim on one case, and where it comes from."""

    code: str
    title: str
    text: str
    basis: str
    items: tuple[str, ...] = ()


ROUTES = {
    DEATH_REGISTERED: Route(
        DEATH_REGISTERED, "已登记因工死亡结论，无需另行办理",
        "该案件已登记因工死亡结论：丧葬补助金、供养亲属抚恤金、一次性工亡补助金按该结论核定。", ART_39),
    GRADE_1_TO_4: Route(
        GRADE_1_TO_4, "近亲属可申领丧葬补助金和供养亲属抚恤金",
        "一级至四级伤残职工在停工留薪期满后死亡的，其近亲属可以享受丧葬补助金和供养亲属抚恤金（不含一次性工亡补助金）。"
        "请在该案件的待遇页面登记死亡（类别选“因工死亡”，填写原伤残等级），再为近亲属和供养亲属核定待遇。",
        f"{ART_39}第三款", (FUNERAL, PENSION)),
    GRADE_5_TO_10: Route(
        GRADE_5_TO_10, "不适用第三十九条第三款",
        "五级至十级伤残职工死亡的，近亲属不因伤残享受丧葬补助金和供养亲属抚恤金；"
        "如死亡与工伤有关（例如旧伤复发导致死亡），近亲属可申请认定因工死亡。", ART_39),
    NOT_GRADED: Route(
        NOT_GRADED, "已认定工伤、尚无鉴定结论：请核实死亡原因",
        "伤残职工在停工留薪期内因工伤导致死亡的，其近亲属享受丧葬补助金、供养亲属抚恤金和一次性工亡补助金。"
        "请核实死亡原因和时间，符合的在该案件的待遇页面登记因工死亡结论后核定待遇。",
        f"{ART_39}第二款", (FUNERAL, PENSION, DEATH_SUBSIDY)),
}


def route_for(*, conclusion_kind: str | None, grade: int | None, recognised: bool) -> Route | None:
    """The route of one case of the deceased: from its current benefits conclusion (伤残 with its
    grade, or 因工死亡), else from a recognition decided as 工伤 without a conclusion yet. None when
    the case was not recognised as 工伤 (nothing is owed because of it)."""
    if conclusion_kind == "death":
        return ROUTES[DEATH_REGISTERED]
    if conclusion_kind == "disability" and grade:
        return ROUTES[GRADE_1_TO_4] if 1 <= grade <= 4 else ROUTES[GRADE_5_TO_10]
    if recognised:
        return ROUTES[NOT_GRADED]
    return None


def death_month(death_date: date) -> date:
    """The last month paid: the month of death (monthly items stop from the month after it)."""
    return death_date.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from `first` to `last` inclusive (both first days of a month)."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months
