"""The set-based statements of a payroll run: INSERT … SELECT in the database, never a Python
loop over rows. Plain SQL that runs on SQLite and PostgreSQL alike. The partial unique
constraints on Payment (one original per entitlement and month; a one-time item once; one
re-issue per failure) make every payment exist at most once; `ON CONFLICT DO NOTHING` lets two
runs racing for the same row both finish instead of one failing."""

# ruff: noqa: S608 — only table names from model metadata are formatted in; every value is a parameter.
from datetime import date

from django.db import connection

from ..models import Entitlement, EntitlementAmountChange, Payment, PayrollRun

P = Payment._meta.db_table
E = Entitlement._meta.db_table
C = EntitlementAmountChange._meta.db_table
R = PayrollRun._meta.db_table

COLUMNS = ("run_id, entitlement_id, period, region, benefit_type, payer, amount, status, attempts, failure_reason, "
           "period_kind, reissue_of_id")
# The amount in force in month m: the old amount of the first change after m, else the current one.
AMOUNT_IN_FORCE = (f"COALESCE((SELECT c.old_amount FROM {C} c WHERE c.entitlement_id = e.id "
                   f"AND c.effective_month > {{month}} ORDER BY c.effective_month LIMIT 1), e.amount)")
DUE = ("e.region = %s AND e.status = 'active' AND e.payer = 'fund' AND e.period_kind = 'monthly' "
       "AND e.start_month <= {month} AND (e.end_month IS NULL OR e.end_month >= {month})")
UNPAID = f"NOT EXISTS (SELECT 1 FROM {P} p WHERE p.entitlement_id = e.id AND p.period = {{month}})"


def _d(value):
    return connection.ops.adapt_datefield_value(value)


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert_monthly(*, run_id: int, region: str, period: date, lo: int, hi: int, adjusted: bool) -> int:
    """This month's payment of every due monthly entitlement with lo < id ≤ hi, unless it exists."""
    amount = AMOUNT_IN_FORCE.format(month="%s") if adjusted else "e.amount"
    sql = (f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, {amount}, "
           f"'pending', 1, '', 'monthly', NULL FROM {E} e WHERE {DUE.format(month='%s')} AND e.id > %s "
           f"AND e.id <= %s AND {UNPAID.format(month='%s')} ON CONFLICT DO NOTHING")
    month = _d(period)
    return _execute(sql, [run_id, month] + ([month] if adjusted else []) + [region, month, month, lo, hi, month])


def insert_once(*, run_id: int, region: str, period: date, lo: int, hi: int) -> int:
    """Approved one-time items not yet paid at all, paid in this run's month."""
    sql = (f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, e.amount, "
           f"'pending', 1, '', 'once', NULL FROM {E} e WHERE e.region = %s AND e.status = 'active' "
           f"AND e.payer = 'fund' AND e.period_kind = 'once' AND e.id > %s AND e.id <= %s "
           f"AND NOT EXISTS (SELECT 1 FROM {P} p WHERE p.entitlement_id = e.id) ON CONFLICT DO NOTHING")
    return _execute(sql, [run_id, _d(period), region, lo, hi])


def first_unpaid_candidate(*, region: str, period: date) -> date | None:
    """The earliest start month of a due monthly entitlement: no month before it can be owed."""
    sql = (f"SELECT MIN(e.start_month) FROM {E} e WHERE e.region = %s AND e.status = 'active' "
           f"AND e.payer = 'fund' AND e.period_kind = 'monthly' AND e.start_month < %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [region, _d(period)])
        value = cursor.fetchone()[0]
    return date.fromisoformat(value) if isinstance(value, str) else value


def insert_arrears(*, run_id: int, region: str, months: list[date]) -> int:
    """Back pay (补发): every month in `months` (before this run's month) that is due and has no
    payment yet, for every active monthly entitlement — whatever runs were made, skipped or made
    out of order. Each row keeps its own month as `period`."""
    if not months:
        return 0
    values = ", ".join(["(%s)"] * len(months))
    amount = AMOUNT_IN_FORCE.format(month="m.month")
    body = (f"SELECT %s, e.id, m.month, e.region, e.benefit_type, e.payer, {amount}, 'pending', 1, '', 'monthly', "
            f"NULL FROM {E} e JOIN m ON {DUE.format(month='m.month')} WHERE {UNPAID.format(month='m.month')} "
            f"ON CONFLICT DO NOTHING")
    cte = f"WITH m(month) AS (VALUES {values})"
    insert = f"INSERT INTO {P} ({COLUMNS})"
    # SQLite wants the CTE after INSERT … INTO; PostgreSQL before it.
    sql = f"{insert} {cte} {body}" if connection.vendor == "sqlite" else f"{cte} {insert} {body}"
    return _execute(sql, [*map(_d, months), run_id, region])


def insert_reissues(*, run_id: int, region: str, period: date) -> int:
    """Failed payments of earlier-period runs re-issued as new rows of this run, pointing to the
    failure (`reissue_of`); the failed row is untouched. Not for an entitlement stopped before
    the failed month, nor while it is suspended."""
    sql = (f"INSERT INTO {P} ({COLUMNS}) SELECT %s, f.entitlement_id, f.period, f.region, f.benefit_type, f.payer, "
           f"f.amount, 'pending', f.attempts + 1, '', f.period_kind, f.id FROM {P} f "
           f"JOIN {E} e ON e.id = f.entitlement_id JOIN {R} r ON r.id = f.run_id "
           f"WHERE f.region = %s AND f.status = 'failed' AND r.period < %s AND e.status IN ('active', 'stopped') "
           f"AND (e.end_month IS NULL OR e.end_month >= f.period) "
           f"AND NOT EXISTS (SELECT 1 FROM {P} x WHERE x.reissue_of_id = f.id) ON CONFLICT DO NOTHING")
    return _execute(sql, [run_id, region, _d(period)])
