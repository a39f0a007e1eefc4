"""Data for bench_exchange_tax.py: employers, persons and enrolments of a region of their own (COPY on
PostgreSQL, executemany on SQLite), and the tax bureau's monthly file for them (cached in var/bench/)."""

import hashlib
import time
from datetime import date
from pathlib import Path

REGION = "990100"  # a region of its own: demo data and other benchmarks stay untouched
MONTH = date(2026, 10, 1)
PER_EMPLOYER = 50
BAD_EVERY = 100_000  # one row of each deliberate error per 100,000 rows
CACHE = Path(__file__).resolve().parents[1] / "var" / "bench"


def _write(table: str, columns: tuple[str, ...], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        rows = list(rows)
        marks = ", ".join(["%s"] * len(columns))
        for start in range(0, len(rows), 50_000):
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                               rows[start:start + 50_000])


def _registry(n: int) -> None:
    """N / 50 employers, N persons, one 工伤 enrolment each (person i at employer i mod E)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongshang.core.pii.crypto import blind_index, encrypt
    from gongshang.core.validators import birth_date_from_id, gender_from_id
    from gongshang.integrations.fakes.tax import id_number_for, uscc_for
    from gongshang.registry.models import Employer, Enrolment, InsuredPerson

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    employers = max(1, n // PER_EMPLOYER)
    legal_rep = encrypt("370202197505063218")
    with transaction.atomic():
        _write(Employer._meta.db_table, ("uscc", "name", "employer_type", "industry", "region", "address",
                                         "contact_name", "contact_mobile", "legal_rep_name", "legal_rep_id_number",
                                         "reserved_mobile", "status", "created_at"),
               ((uscc_for(i, region=REGION), f"压测单位{i}", "enterprise", "C", REGION, "", "", "", "压测",
                 legal_rep, "", "active", now) for i in range(employers)))

        def persons():
            for i in range(n):
                number = id_number_for(i)
                yield (encrypt(number), blind_index(number), f"压测{i}", gender_from_id(number),
                       birth_date_from_id(number).isoformat(), "", None, "", REGION, now)
        _write(InsuredPerson._meta.db_table, ("id_number", "id_number_index", "name", "gender", "birth_date", "mobile",
                                              "mobile_index", "household_type", "region", "created_at"), persons())
        employer_ids = list(Employer.objects.filter(region=REGION).order_by("pk").values_list("pk", flat=True))
        # Read before the COPY starts: the connection cannot run a query during one.
        person_ids = list(InsuredPerson.objects.filter(region=REGION).order_by("pk").values_list("pk", flat=True))
        _write(Enrolment._meta.db_table, ("person_id", "employer_id", "insurance_type", "start_month", "status",
                                          "identity", "updated_at"),
               ((pk, employer_ids[i % employers], "injury", "2020-01-01", "active", "employee", now)
                for i, pk in enumerate(person_ids)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _file(n: int) -> Path:
    """The monthly file: person i paid at employer i mod E, but per 100 rows one enrolled person is
    missing and an unknown one is paid for instead, one is declared unpaid, and per 100,000 rows one
    row of each deliberate error. Cached: the same N gives the same file."""
    from gongshang.integrations.fakes.tax import BROKEN_ROWS, id_number_for, uscc_for

    path = CACHE / f"tax-{n}.csv"
    if path.exists():
        return path
    employers = max(1, n // PER_EMPLOYER)
    broken = list(BROKEN_ROWS.values())
    month = f"{MONTH:%Y-%m}"
    with path.open("w", encoding="utf-8") as out:
        out.write("\ufeffemployer_code,id_number,name,month,insurance_type,wage_base,paid\n")
        for i in range(n):
            if 0 < i % BAD_EVERY <= len(broken):
                out.write(broken[i % BAD_EVERY - 1].format(month=month) + "\n")
                continue
            code = uscc_for(i % employers, region=REGION)
            wage = f"{3000 + i % 5000}.{i % 100:02d}"
            if i % 100 == 7:  # an unknown person instead of an enrolled one
                out.write(f"{code},{id_number_for(n + i)},新人{i},{month},injury,{wage},1\n")
            else:
                out.write(f"{code},{id_number_for(i)},压测{i},{month},injury,{wage},{0 if i % 100 == 13 else 1}\n")
    return path


def generate(n: int) -> Path:
    from gongshang.registry.models import Employer

    if Employer.objects.filter(region=REGION).exists():
        raise SystemExit(f"region {REGION} already has bench data: use a fresh database")
    started = time.perf_counter()
    _registry(n)
    print(f"generated {max(1, n // PER_EMPLOYER):,} employers, {n:,} persons and enrolments in "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    path = _file(n)
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB, ready in {time.perf_counter() - started:.1f} s")
    return path


def new_batch(path: Path):
    """A received batch of the file (stored like an upload) in the bench region."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    from gongshang.core.models import StoredFile
    from gongshang.integrations.models import ExchangeBatch

    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
        raw.seek(0)
        stored = default_storage.save(f"exchange/bench/{path.name}", File(raw))
    file = StoredFile.objects.create(storage_path=stored, original_name=path.name, content_type="text/csv",
                                     extension="csv", size=path.stat().st_size, sha256=digest.hexdigest())
    return ExchangeBatch.objects.create(region=REGION, partner="tax", kind="contributions", format_version="1.0",
                                        checksum=digest.hexdigest(), file=file, original_name=path.name,
                                        status="processing")
