"""The set-based statements of a payroll run: INSERT … SELECT in the database, never a Python
loop over rows. Plain SQL that runs on SQLite and PostgreSQL alike; the unique constraint on
(entitlement, period) is the backstop that makes every payment exist at most once."""

# ruff: noqa: S608 — only table names from model metadata are formatted in; every value is a parameter.
from datetime import date

from django.db import connection

from ..models import Entitlement, EntitlementAmountChange, Payment

P = Payment._meta.db_table
E = Entitlement._meta.db_table
C = EntitlementAmountChange._meta.db_table

COLUMNS = "run_id, entitlement_id, period, region, benefit_type, payer, amount, status, attempts, failure_reason"
# The amount in force in month m: the old amount of the first change after m, else the current one.
AMOUNT_IN_FORCE = (f"COALESCE((SELECT c.old_amount FROM {C} c WHERE c.entitlement_id = e.id "
                   f"AND c.effective_month > {{month}} ORDER BY c.effective_month LIMIT 1), e.amount)")
DUE = ("e.region = %s AND e.status = 'active' AND e.payer = 'fund' AND e.period_kind = 'monthly' "
       "AND e.start_month <= {month} AND (e.end_month IS NULL OR e.end_month >= {month})")


def _d(value):
    return connection.ops.adapt_datefield_value(value)


def insert_monthly(*, run_id: int, region: str, period: date, lo: int, hi: int, adjusted: bool) -> int:
    """This month's payment of every due monthly entitlement with lo < id ≤ hi, unless it exists."""
    amount = AMOUNT_IN_FORCE.format(month="%s") if adjusted else "e.amount"
    sql = (f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, {amount}, "
           f"'pending', 1, '' FROM {E} e WHERE {DUE.format(month='%s')} AND e.id > %s AND e.id <= %s "
           f"AND NOT EXISTS (SELECT 1 FROM {P} p WHERE p.entitlement_id = e.id AND p.period = %s)")
    month = _d(period)
    params = [run_id, month] + ([month] if adjusted else []) + [region, month, month, lo, hi, month]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert_once(*, run_id: int, region: str, period: date, lo: int, hi: int) -> int:
    """Approved one-time items not yet paid at all, paid in this run's month."""
    sql = (f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, e.amount, "
           f"'pending', 1, '' FROM {E} e WHERE e.region = %s AND e.status = 'active' AND e.payer = 'fund' "
           f"AND e.period_kind = 'once' AND e.id > %s AND e.id <= %s "
           f"AND NOT EXISTS (SELECT 1 FROM {P} p WHERE p.entitlement_id = e.id)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id, _d(period), region, lo, hi])
        return cursor.rowcount


def insert_arrears(*, run_id: int, region: str, months: list[date], approved_since) -> int:
    """Back pay (补发): months before this run's month not yet paid, for entitlements approved since
    the previous run began (their earlier months were never computed)."""
    if not months:
        return 0
    values = ", ".join(["(%s)"] * len(months))
    amount = AMOUNT_IN_FORCE.format(month="m.month")
    sql = (f"WITH m(month) AS (VALUES {values}) INSERT INTO {P} ({COLUMNS}) "
           f"SELECT %s, e.id, m.month, e.region, e.benefit_type, e.payer, {amount}, 'pending', 1, '' "
           f"FROM {E} e JOIN m ON {DUE.format(month='m.month')} AND e.approved_at >= %s "
           f"AND NOT EXISTS (SELECT 1 FROM {P} p WHERE p.entitlement_id = e.id AND p.period = m.month)")
    if connection.vendor == "sqlite":  # SQLite wants the CTE after INSERT … INTO
        sql = (f"INSERT INTO {P} ({COLUMNS}) WITH m(month) AS (VALUES {values}) "
               + sql.split(f"INSERT INTO {P} ({COLUMNS}) ", 1)[1])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*map(_d, months), run_id, region, connection.ops.adapt_datetimefield_value(approved_since)])
        return cursor.rowcount
