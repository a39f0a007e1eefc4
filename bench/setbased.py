"""Set-based data generation shared by the benchmarks: N rows in one INSERT … SELECT."""


def numbers(vendor: str, n: int) -> str:
    """A subquery `n` with one column `i` = 1..n (generate_series on PostgreSQL, a recursive CTE on SQLite)."""
    if vendor == "postgresql":
        return f"(SELECT generate_series(1, {int(n)}) AS i) n"
    return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {int(n)}) SELECT i FROM s) n"


def insert_cases(cursor, *, vendor: str, n: int, region: str, accident_id: int, prefix: str, now) -> None:
    """N opened cases of one accident, numbered <prefix><region>-1..N, injured persons P1..PN."""
    from gongshang.cases.models import InjuryCase

    cursor.execute(
        f"INSERT INTO {InjuryCase._meta.db_table} (number, region, accident_id, injured_name, injured_id_number, "
        f"injured_mobile, body_part, injury_type, source, status, green_channel, created_at) "
        f"SELECT '{prefix}{region}-' || n.i, %s, %s, 'P' || n.i, '', '', '', '', 'application', 'opened', "
        f"%s, %s FROM {numbers(vendor, n)}", [region, accident_id, False, now])
