"""Checking cleaned roster changes against the registry, in bulk (one row or 100,000 alike)."""

from django.conf import settings
from django.utils import timezone

from gongshang.core.pii.crypto import blind_index
from gongshang.registry import rules, selectors
from gongshang.registry.choices import ADD_KINDS, ChangeStatus
from gongshang.registry.models import EnrolmentChange


def effective_window(today=None) -> tuple:
    today = today or timezone.localdate()
    return rules.effective_month_window(today, backdate_months=_backdate(), ahead_months=_ahead())


def _backdate() -> int:
    return int(getattr(settings, "ROSTER_BACKDATE_MONTHS", 2))


def _ahead() -> int:
    return int(getattr(settings, "ROSTER_AHEAD_MONTHS", 1))


def registry_problems(*, employer_id: int, rows: list[dict], exclude_change_id: int | None = None,
                      check_pending: bool = True, today=None) -> list[list]:
    """For each cleaned row (see validation.clean_change_input), the [(field, message)] that the
    registry state forbids. Rows with missing id_number/kind/type/month are skipped (already
    reported by the input check)."""
    today = today or timezone.localdate()
    complete = [r for r in rows if _is_complete(r)]
    states = selectors.person_states_for(
        employer_id=employer_id,
        entries=[(r["id_number"], r["name"], r["insurance_type"]) for r in complete])
    index_of = {r["id_number"]: blind_index(r["id_number"]) for r in complete}
    pending = _pending_keys(employer_id, index_of, exclude_change_id) if check_pending else set()
    results = []
    for row in rows:
        if not _is_complete(row):
            results.append([])
            continue
        pending_here = (index_of[row["id_number"]], row["insurance_type"]) in pending
        results.append(_row_problems(row, states[(row["id_number"], row["insurance_type"])], pending_here, today))
    return results


def _is_complete(row) -> bool:
    return bool(row.get("id_number") and row.get("birth_date") and row.get("kind") and row.get("insurance_type")
                and row.get("effective_month"))


def _row_problems(row, state, pending_here: bool, today) -> list:
    """Every problem of the row: its month, a pending declaration, and the registry state."""
    problems = rules.check_effective_month(row["effective_month"], today=today, backdate_months=_backdate(),
                                           ahead_months=_ahead())
    if pending_here:
        problems.append(("id_number", "该人员已有待确认的同险种异动申报，请修改原申报或等待经办人员确认。"))
    if row["kind"] in ADD_KINDS:
        state_problems = rules.check_addition(row["kind"], row["insurance_type"], row["effective_month"], state,
                                              birth_date=row["birth_date"])
    else:
        state_problems = rules.check_reduction(row["kind"], row["effective_month"], state)
    reported = {field for field, _m in problems}
    # A month outside the window already says what to fix about the month.
    return problems + [(f, m) for f, m in state_problems if not (f == "effective_month" and f in reported)]


def _pending_keys(employer_id, index_of: dict, exclude_change_id) -> set:
    indexes = sorted(set(index_of.values()))
    keys = set()
    for start in range(0, len(indexes), 900):
        qs = EnrolmentChange.objects.filter(employer_id=employer_id, status=ChangeStatus.PENDING,
                                            id_number_index__in=indexes[start:start + 900])
        if exclude_change_id:
            qs = qs.exclude(pk=exclude_change_id)
        keys.update(qs.values_list("id_number_index", "insurance_type"))
    return keys
