"""Roster change rules (增员/减员): pure functions, no Django.

Each check returns a list of (field, message) problems in Chinese, empty when the change may be
made. The same checks run when an employer submits a request, for every row of an Excel batch,
and again when staff confirm (the roster may have changed in between).

Legal basis:
- 社会保险法 第五十八条 / 社会保险费申报缴纳管理规定 第八条: an employer registers a new employee
  within 30 days of hiring, so an addition may be backdated only a little (`backdate_months`);
  earlier months go through 补缴, not through a roster change.
- 劳动法 第十五条: no employment under 16 years of age.
- 劳社部函〔2004〕256号 第一条: a person working for several employers is insured against injury
  by each of them, so an open injury enrolment elsewhere does not block an addition here; for the
  other insurance types the previous employer must first report the reduction (调出).
"""

from dataclasses import dataclass
from datetime import date, timedelta

INJURY = "injury"
MINIMUM_WORKING_AGE = 16

# Kind codes, as in choices.ChangeKind (kept as plain strings so this module stays pure).
ADD_NEW = "add_new"
ADD_CONTINUE = "add_continue"
ADD_TRANSFER_IN = "add_transfer_in"
REDUCE_SUSPEND = "reduce_suspend"
REDUCE_TERMINATE = "reduce_terminate"
REDUCE_RETIRE = "reduce_retire"

ACTIVE, SUSPENDED = "active", "suspended"


@dataclass(frozen=True)
class PersonState:
    """What the registry knows of one person for one insurance type, as seen by one employer."""

    in_registry: bool = False
    name_matches: bool = True
    here_status: str | None = None  # status of the latest enrolment at this employer, if any
    here_start: date | None = None  # its start month
    here_stop: date | None = None  # its stop month, once suspended, terminated or retired
    ever_enrolled: bool = False  # any enrolment of this type, at any employer
    open_elsewhere: bool = False  # an active or suspended enrolment at another employer
    enrolled_elsewhere: bool = False  # any enrolment of this type at another employer


def month_start(value: date) -> date:
    return date(value.year, value.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def effective_month_window(today: date, *, backdate_months: int, ahead_months: int) -> tuple[date, date]:
    current = month_start(today)
    return add_months(current, -backdate_months), add_months(current, ahead_months)


def _month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def check_effective_month(month: date, *, today: date, backdate_months: int, ahead_months: int) -> list:
    earliest, latest = effective_month_window(today, backdate_months=backdate_months, ahead_months=ahead_months)
    if month.day != 1:
        return [("effective_month", "生效月份应为某月的第一天（按月填写，如 2026-11）。")]
    if not earliest <= month <= latest:
        return [("effective_month",
                 f"生效月份须在{_month_label(earliest)}至{_month_label(latest)}之间；更早的月份请办理补缴。")]
    return []


def age_in_months(birth_date: date, month: date) -> int:
    months = (month.year - birth_date.year) * 12 + month.month - birth_date.month
    return months - (1 if month.day < birth_date.day else 0)


def check_addition(kind: str, insurance_type: str, month: date, state: PersonState, *,
                   birth_date: date) -> list:
    """增员: 新参保, 续保 or 调入 for one insurance type from `month`."""
    problems = []
    last_day = add_months(month, 1) - timedelta(days=1)  # 16 at some point in the month is enough
    if age_in_months(birth_date, last_day) < MINIMUM_WORKING_AGE * 12:
        problems.append(("id_number", "该人员在生效月份未满十六周岁，不能办理参保（劳动法第十五条）。"))
    problems += _name_problem(state)
    return problems + _addition_state(kind, insurance_type, month, state)


def _name_problem(state: PersonState) -> list:
    if state.in_registry and not state.name_matches:
        return [("name", "姓名与身份证号对应的参保登记信息不一致，请核对姓名和身份证号。")]
    return []


def _addition_state(kind: str, insurance_type: str, month: date, state: PersonState) -> list:
    """The one problem of the enrolment state (each answer excludes the next)."""
    if state.here_status == ACTIVE:
        return [("id_number", "该人员在本单位已是参保缴费状态，无需增员。")]
    if kind == ADD_NEW:
        if state.ever_enrolled:
            return [("kind", "该人员已有本险种参保记录，请选择“续保”（曾在本单位参保）或“调入”（来自其他单位）。")]
        return []
    if kind == ADD_CONTINUE:
        if state.here_status is None:
            return [("kind", "该人员在本单位没有本险种的参保记录，不能续保；请选择“新参保”或“调入”。")]
        if state.here_stop and month < state.here_stop:
            return [("effective_month",
                     f"续保生效月份不能早于原参保关系的停保月份（{_month_label(state.here_stop)}）。")]
        return _not_before_start(month, state)
    if kind == ADD_TRANSFER_IN:
        if not state.enrolled_elsewhere:
            return [("kind", "该人员在其他单位没有本险种的参保记录，不能调入；请选择“新参保”。")]
        if state.open_elsewhere and insurance_type != INJURY:
            return [("kind", "该人员在原单位的本险种参保关系尚未终止，请原单位先办理减员后再调入。")]
        return []
    return [("kind", "异动类型不是增员类型。")]


def check_reduction(kind: str, month: date, state: PersonState) -> list:
    """减员: 暂停参保, 终止参保 or 在职转退休 of this employer's enrolment from `month`."""
    return _name_problem(state) + _reduction_state(kind, month, state)


def _reduction_state(kind: str, month: date, state: PersonState) -> list:
    allowed = {REDUCE_SUSPEND: {ACTIVE}, REDUCE_TERMINATE: {ACTIVE, SUSPENDED}, REDUCE_RETIRE: {ACTIVE}}
    if kind not in allowed:
        return [("kind", "异动类型不是减员类型。")]
    if state.here_status not in allowed[kind]:
        if state.here_status == SUSPENDED:
            return [("kind", "该人员在本单位已暂停参保；如需终止，请选择“终止参保”。")]
        return [("id_number", "该人员在本单位没有处于参保状态的本险种参保关系，无需减员。")]
    return _not_before_start(month, state)


def _not_before_start(month: date, state: PersonState) -> list:
    if state.here_start and month < state.here_start:
        return [("effective_month", f"生效月份不能早于本单位参保开始月份（{_month_label(state.here_start)}）。")]
    return []
