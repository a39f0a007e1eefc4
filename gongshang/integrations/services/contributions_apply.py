"""Applying a tax bureau contribution file set-based: the checked 工伤 rows go into a TEMP table (COPY on
PostgreSQL, executemany on SQLite), then a handful of statements that run on both databases resolve the
persons and write the 缴费记录 and the 缴费比对差异. No Python loop over rows touches the database.

- 缴费记录 (ContributionRecord): `INSERT … ON CONFLICT (person, employer, insurance_type, month) DO UPDATE …
  WHERE` the stored wage base or paid flag differs; rows equal to what is stored are left out before, so
  they write nothing and count as duplicates. Kept for every person and employer the registry knows,
  enrolled or not: the tax bureau's record of a payment is a fact the 本人工资 (工伤保险条例 第六十四条) is
  computed from.
- 缴费比对差异 (ContributionMismatch): the differences are collected in a second TEMP table, those of which a
  row of the same employer code, person, month and kind exists already (open, or checked by staff) are
  dropped, so a file sent again raises nothing again, and the rest inserted `ON CONFLICT DO NOTHING`
  against the one-open-row constraint (a batch of another session racing for the same row):
  paid for someone without an enrolment at that employer covering the month, or for someone unknown to
  the registry (paid or not: without a person the row cannot be kept) → PAID_NOT_ENROLLED; a row of an
  employer not registered in the batch's 统筹区 → EMPLOYER_UNKNOWN; enrolled at an employer the file
  covers for that month, but no row or an unpaid one → ENROLLED_UNPAID.
  "Enrolled in a month" = an 工伤 enrolment at that employer with 参保开始月份 ≤ month < 停保月份 (or no
  停保月份), whatever its status now: a later 减员 does not undo a month that was insured.

Checks and writes are separate statements on purpose: a statement that inserts into a table while
probing that same table (`NOT EXISTS`) can be planned for the table as it was — empty, say — and then
rescan every row it has just added for each new one (minutes for 100,000 rows).

The ID number of a mismatch is copied as stored ciphertext from the registry when the person is known;
only those of unknown persons are encrypted in Python (`cipher_rows`): plain ID numbers never reach the
database, not even a temporary table.
"""

# ruff: noqa: S608 — only table names from model metadata and constants are formatted in; values are parameters.
from django.db import connection
from django.utils import timezone

from gongshang.registry.choices import InsuranceType
from gongshang.registry.models import ContributionRecord, Employer, Enrolment, InsuredPerson

from ..choices import MismatchKind, MismatchStatus
from ..models import ContributionMismatch

RAW, S, C, F = "gs_tax_raw", "gs_tax_stage", "gs_tax_cipher", "gs_tax_found"
CR = ContributionRecord._meta.db_table
P = InsuredPerson._meta.db_table
E = Enrolment._meta.db_table
EMP = Employer._meta.db_table
M = ContributionMismatch._meta.db_table
RAW_COLUMNS = ("row_no", "employer_code", "employer_id", "person_index", "name", "month", "wage_base", "paid")
SQLITE_PARAMS = 900  # below SQLite's bound-parameter limit
MISMATCH_COLUMNS = ("region, batch_id, kind, employer_id, employer_code, person_id, id_number, id_number_index, name, "
                    "month, wage_base, status, note, created_at")
# An injury enrolment of person {p} at employer {e} covering month {m}.
COVERS = (f"SELECT 1 FROM {E} e WHERE e.person_id = {{p}} AND e.employer_id = {{e}} AND e.insurance_type = 'injury' "
          f"AND e.start_month <= {{m}} AND (e.stop_month IS NULL OR e.stop_month > {{m}})")
# COPY text format: a backslash, tab or line break inside a value is written escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _execute(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _fetch(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _insert_many(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """SQLite (and small tables): executemany."""
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


class Employers:
    """Employer ids by USCC, in the batch's 统筹区 only (another 统筹区's employer is not ours to compare),
    looked up once per code for the whole file."""

    def __init__(self, *, region: str):
        self.region = region
        self.ids: dict[str, int | None] = {}

    def of(self, codes: set[str]) -> dict[str, int | None]:
        new = list(codes - self.ids.keys())
        self.ids.update(dict.fromkeys(new))
        for start in range(0, len(new), SQLITE_PARAMS):
            found = Employer.objects.filter(uscc__in=new[start:start + SQLITE_PARAMS])
            for code, pk, region in found.values_list("uscc", "pk", "region"):
                self.ids[code] = pk if region == self.region else None
        return self.ids


class Stage:
    """The TEMP tables of one batch: the rows as read (RAW), resolved (S), the ciphertext of unknown
    persons' ID numbers (C) and the differences found (F). Dropped at the end; a rollback removes them too."""

    def __init__(self, *, region: str, batch_id: int):
        self.region, self.batch_id = region, batch_id
        self.postgres = connection.vendor == "postgresql"
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.unrecorded_new = 0  # rows without a record (unknown person or employer) that raised a new mismatch
        self.ciphers = False  # unknown persons in the file (their ciphertext in C)
        self.unknown_employers = False  # set by the adapter: a code not registered in this 统筹区
        self.drop()
        if self.postgres:  # for this batch's transaction only: hash joins and sorts of a million rows
            _execute("SET LOCAL work_mem = '64MB'")
        _execute(f"CREATE TEMP TABLE {RAW} (row_no integer NOT NULL, employer_code varchar(18) NOT NULL, "
                 "employer_id bigint NULL, person_index varchar(64) NOT NULL, name varchar(50) NOT NULL, "
                 "month date NOT NULL, wage_base decimal(12, 2) NOT NULL, paid boolean NOT NULL)")
        _execute(f"CREATE TEMP TABLE {C} (row_no integer NOT NULL, id_cipher text NOT NULL)")
        _execute(f"CREATE TEMP TABLE {F} (kind varchar(24) NOT NULL, employer_id bigint NULL, "
                 "employer_code varchar(18) NOT NULL, person_id bigint NULL, id_number text NOT NULL, "
                 "id_number_index varchar(64) NOT NULL, name varchar(50) NOT NULL, month date NOT NULL, "
                 "wage_base decimal(12, 2) NULL, from_row boolean NOT NULL)")

    def drop(self) -> None:
        for table in (RAW, S, C, F):
            _execute(f"DROP TABLE IF EXISTS {table}")

    def load(self, rows: list[tuple]) -> None:
        """Rows of RAW_COLUMNS (month a date, wage_base a Decimal, paid a bool)."""
        if not self.postgres:
            _insert_many(RAW, RAW_COLUMNS, [(*row[:5], row[5].isoformat(), *row[6:]) for row in rows])
            return
        # One text block per chunk: write_row costs a few microseconds a row more.
        block = "".join(f"{line}\t{code}\t{_COPY_NULL if employer is None else employer}\t{index}\t"
                        f"{name.translate(_COPY_ESCAPES)}\t{month}\t{wage}\t{'t' if paid else 'f'}\n"
                        for line, code, employer, index, name, month, wage, paid in rows)
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {RAW} ({', '.join(RAW_COLUMNS)}) FROM STDIN") as copy:
            copy.write(block)

    def discard_repeated(self) -> list[tuple[int, int]]:
        """(line, first line) of each row repeating an earlier row's employer, person and month; those rows
        are taken out (the first one is applied). Called only when the adapter's hash check found a
        candidate (`RepeatCheck`): a full grouping of a million rows costs seconds."""
        repeated = _fetch(
            f"SELECT s.row_no, f.first_row FROM {RAW} s JOIN (SELECT employer_code, person_index, month, "
            f"MIN(row_no) AS first_row FROM {RAW} GROUP BY employer_code, person_index, month HAVING COUNT(*) > 1) f "
            f"ON s.employer_code = f.employer_code AND s.person_index = f.person_index AND s.month = f.month "
            f"WHERE s.row_no > f.first_row ORDER BY s.row_no")
        lines = [line for line, _first in repeated]
        for start in range(0, len(lines), SQLITE_PARAMS):
            part = lines[start:start + SQLITE_PARAMS]
            _execute(f"DELETE FROM {RAW} WHERE row_no IN ({', '.join(['%s'] * len(part))})", part)
        return repeated

    def resolve(self) -> set[int]:
        """Persons by blind index and the stored record of each row, in one pass (record: 0 no record
        possible, person or employer unknown; 1 new; 2 changed by the file; 3 as stored). The lines whose
        person the registry does not know (their ID numbers are encrypted next: `add_ciphers`)."""
        _execute(
            f"CREATE TEMP TABLE {S} AS SELECT r.row_no, r.employer_code, r.employer_id, p.id AS person_id, "
            f"r.person_index, r.name, r.month, r.wage_base, r.paid, CASE WHEN p.id IS NULL OR r.employer_id IS NULL "
            f"THEN 0 WHEN c.id IS NULL THEN 1 WHEN c.wage_base = r.wage_base AND c.paid = r.paid THEN 3 ELSE 2 END "
            f"AS record FROM {RAW} r LEFT JOIN {P} p ON p.id_number_index = r.person_index LEFT JOIN {CR} c "
            f"ON c.person_id = p.id AND c.employer_id = r.employer_id AND c.insurance_type = 'injury' "
            f"AND c.month = r.month")  # a utility statement: PostgreSQL takes no parameters in it
        _execute(f"DROP TABLE {RAW}")
        _execute(f"CREATE INDEX {S}_key ON {S} (person_id, employer_id, month)")
        if self.postgres:
            _execute(f"ANALYZE {S}")
        return {line for (line,) in _fetch(f"SELECT row_no FROM {S} WHERE person_id IS NULL")}

    def add_ciphers(self, rows: list[tuple[int, str]]) -> None:
        """(line, encrypted ID number) of the rows of unknown persons."""
        for start in range(0, len(rows), 10_000):
            _insert_many(C, ("row_no", "id_cipher"), rows[start:start + 10_000])
        self.ciphers = True

    def apply(self) -> dict:
        """Write records and mismatches; the counts for the batch."""
        counts = dict(_fetch(f"SELECT record, COUNT(*) FROM {S} GROUP BY record"))
        self._upsert_records()
        kinds = self._mismatches()
        months = [m if isinstance(m, str) else m.isoformat() for (m,) in _fetch(f"SELECT DISTINCT month FROM {S}")]
        created, updated = counts.get(1, 0), counts.get(2, 0)
        return {"staged": sum(counts.values()), "records_created": created, "records_updated": updated,
                "accepted": created + updated + self.unrecorded_new, "mismatches": kinds,
                "months": sorted(m[:7] for m in months)}

    def _upsert_records(self) -> int:
        return _execute(
            f"INSERT INTO {CR} (person_id, employer_id, insurance_type, month, wage_base, paid) "
            f"SELECT s.person_id, s.employer_id, %s, s.month, s.wage_base, s.paid FROM {S} s WHERE s.record IN (1, 2) "
            f"ON CONFLICT (person_id, employer_id, insurance_type, month) DO UPDATE SET "
            f"wage_base = excluded.wage_base, paid = excluded.paid "
            f"WHERE {CR}.wage_base <> excluded.wage_base OR {CR}.paid <> excluded.paid", [InsuranceType.INJURY])

    def _find(self, kind: str, select: str, source: str, params: list, *, from_row: bool) -> None:
        _execute(f"INSERT INTO {F} (kind, employer_id, employer_code, person_id, id_number, id_number_index, name, "
                 f"month, wage_base, from_row) SELECT %s, {select}, %s {source}", [kind, from_row, *params])

    def _mismatches(self) -> dict[str, int]:
        """Find the differences, drop those raised before (open or checked), insert the rest by kind."""
        self._find(MismatchKind.PAID_NOT_ENROLLED,
                   "s.employer_id, s.employer_code, s.person_id, p.id_number, s.person_index, s.name, s.month, s.wage_base",
                   f"FROM {S} s JOIN {P} p ON p.id = s.person_id WHERE s.employer_id IS NOT NULL AND s.paid = %s "
                   f"AND NOT EXISTS ({COVERS.format(p='s.person_id', e='s.employer_id', m='s.month')})", [True],
                   from_row=False)
        if self.ciphers:
            if self.postgres:
                _execute(f"ANALYZE {C}")  # so the few unknown persons are hashed, not the million rows
            self._find(MismatchKind.PAID_NOT_ENROLLED,
                       "s.employer_id, s.employer_code, NULL, c.id_cipher, s.person_index, s.name, s.month, s.wage_base",
                       f"FROM {S} s JOIN {C} c ON c.row_no = s.row_no WHERE s.employer_id IS NOT NULL", [],
                       from_row=True)
        if self.unknown_employers:
            self._find(MismatchKind.EMPLOYER_UNKNOWN,
                       "NULL, s.employer_code, s.person_id, COALESCE(c.id_cipher, p.id_number), s.person_index, s.name, "
                       "s.month, s.wage_base",
                       f"FROM {S} s LEFT JOIN {P} p ON p.id = s.person_id LEFT JOIN {C} c ON c.row_no = s.row_no "
                       f"WHERE s.employer_id IS NULL", [], from_row=True)
        self._find_enrolled_unpaid()
        _execute(f"DELETE FROM {F} WHERE EXISTS (SELECT 1 FROM {M} x WHERE x.region = %s "
                 f"AND x.employer_code = {F}.employer_code AND x.id_number_index = {F}.id_number_index "
                 f"AND x.month = {F}.month AND x.kind = {F}.kind)", [self.region])
        self.unrecorded_new = _fetch(f"SELECT COUNT(*) FROM {F} WHERE from_row = %s", [True])[0][0]
        return {str(kind): _execute(
            f"INSERT INTO {M} ({MISMATCH_COLUMNS}) SELECT %s, %s, kind, employer_id, employer_code, person_id, "
            f"id_number, id_number_index, name, month, wage_base, %s, %s, %s FROM {F} WHERE kind = %s "
            f"ON CONFLICT DO NOTHING", [self.region, self.batch_id, MismatchStatus.OPEN, "", self.now, kind])
            for kind in MismatchKind.values}

    def _find_enrolled_unpaid(self) -> None:
        """Enrolled for a month at an employer the file covers for that month, with no paid row: only
        employers present in the file for that month, so a partial file does not flag everyone."""
        self._find(MismatchKind.ENROLLED_UNPAID,
                   "e.employer_id, emp.uscc, e.person_id, p.id_number, p.id_number_index, p.name, fm.month, s.wage_base",
                   f"FROM (SELECT DISTINCT employer_id, month FROM {S} WHERE employer_id IS NOT NULL) fm "
                   f"JOIN {E} e ON e.employer_id = fm.employer_id AND e.insurance_type = %s "
                   f"AND e.start_month <= fm.month AND (e.stop_month IS NULL OR e.stop_month > fm.month) "
                   f"JOIN {P} p ON p.id = e.person_id JOIN {EMP} emp ON emp.id = e.employer_id "
                   f"LEFT JOIN {S} s ON s.person_id = e.person_id AND s.employer_id = e.employer_id "
                   f"AND s.month = fm.month WHERE s.row_no IS NULL OR s.paid = %s", [InsuranceType.INJURY, False],
                   from_row=False)
