"""Roster batch import (批量报盘): time to validate and import a sheet, and peak memory growth.

    .venv/bin/python bench/bench_roster_import.py --rows 10000 --runs 3
    .venv/bin/python bench/bench_roster_import.py --rows 10000 --runs 3 --existing 0.2
    .venv/bin/python bench/bench_roster_import.py --rows 100000 --runs 1 --memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench .venv/bin/python bench/bench_roster_import.py

Each run uses a fresh employer, so every run imports all rows (no pending-change conflicts).
`--existing F` makes a fraction F of the rows persons already in the registry (enrolled at another
employer, terminated there): they are declared as 调入 and exercise the person and enrolment
lookups. `--memory` reports the peak RSS growth of the import (calamine's Rust buffers included)
and tracemalloc's peak of Python allocations (a second, slower run).
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-roster.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("PII_ENCRYPTION_KEYS", "p4bVc2Zq0t7o6gqQ9vS2nEw4gP5k0vY3yPqk8mX1s2c=")
os.environ.setdefault("PII_INDEX_KEY", "bench-only-index-key")

DATA_DIR = ROOT / "var" / "bench"
# New persons' IDs start here, so they never meet the registry's "existing" persons 0..N.
NEW_OFFSET = 1_000_000
HEADERS = ["异动类型", "险种", "生效月份", "身份证号", "姓名", "手机号", "户口性质", "参保身份", "申报缴费工资"]


def _name(i: int) -> str:
    """Names may not contain digits: 职工12 is 职工一二."""
    return "职工" + "".join("零一二三四五六七八九"[int(d)] for d in str(i))


def id_number(i: int) -> str:
    """Distinct valid 18-digit IDs: 1000 sequence numbers per birth day from 1970-01-01."""
    from stdnum.cn import ric

    birth = date(1970, 1, 1) + timedelta(days=i // 1000)
    base = f"370202{birth:%Y%m%d}{i % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def sheet_path(rows: int, existing: float, month: str) -> Path:
    """Generate (once) an additions sheet of `rows` rows; the first existing*rows are 调入."""
    from openpyxl import Workbook

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"roster-add-v3-{rows}-{existing:g}-{month}.xlsx"
    if path.exists():
        return path
    book = Workbook(write_only=True)
    sheet = book.create_sheet("增员名单")
    sheet.append(HEADERS)
    existing_rows = int(rows * existing)
    for i in range(rows):
        known = i < existing_rows
        sheet.append(["调入" if known else "新参保", "工伤保险", month, id_number(i if known else NEW_OFFSET + i), _name(i), f"139{i:08d}", "城镇户口", "在职职工",
                      str(5000 + i % 3000)])
    book.save(path)
    return path


def ensure_existing(count: int) -> None:
    """Persons 0..count-1 in the registry, each with a terminated enrolment at another employer."""
    from gongshang.registry.models import Employer, Enrolment, InsuredPerson

    other, _ = Employer.objects.get_or_create(
        uscc="91370200BENCHOTHER", defaults={"name": "基准测试原单位", "region": "370200", "legal_rep_name": "甲",
                                             "legal_rep_id_number": id_number(0)})
    from gongshang.core.pii.crypto import blind_index

    wanted = {blind_index(id_number(i)): i for i in range(count)}
    have = set()
    keys = list(wanted)
    for start in range(0, len(keys), 900):
        have.update(InsuredPerson.objects.filter(id_number_index__in=keys[start:start + 900])
                    .values_list("id_number_index", flat=True))
    persons = [InsuredPerson(id_number=id_number(i), name=_name(i), gender="male",
                             birth_date=date(1970, 1, 1) + timedelta(days=i // 1000), region="370200")
               for key, i in wanted.items() if key not in have]
    created = InsuredPerson.objects.bulk_create(persons, batch_size=1000)
    Enrolment.objects.bulk_create([Enrolment(person=p, employer=other, insurance_type="injury",
                                             start_month=date(2020, 1, 1), stop_month=date(2024, 1, 1),
                                             status="terminated") for p in created], batch_size=1000)


def fresh_employer_user(n: int):
    from gongshang.accounts.tests.factories import EmployerUserFactory
    from gongshang.registry.models import Employer

    stamp = f"{int(time.time() * 1000) % 100000:05d}{n}"[-5:]
    employer = Employer.objects.create(uscc=f"91370200BENCH{stamp}", name=f"基准测试单位{stamp}", region="370200",
                                       legal_rep_name="乙", legal_rep_id_number=id_number(1))
    return EmployerUserFactory(employer=employer, username=employer.uscc)


def one_run(path: Path, n: int) -> tuple[float, float, object]:
    """(seconds to store the upload, seconds to validate and import it, the finished import)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongshang.registry.imports import services

    user = fresh_employer_user(n)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    phases.clear()
    with mock.patch.object(services, "enqueue"), mock.patch.object(services, "inline_max_bytes", lambda: -1), \
            mock.patch.object(services, "_validate", timed_phase("read+check", services._validate)), \
            mock.patch.object(services, "_insert_changes", timed_phase("insert", services._insert_changes)):
        started = time.perf_counter()
        roster_import = services.roster_import_start(actor=user, uploaded_file=upload, direction="add",
                                                     mode="all_or_nothing")
        stored = time.perf_counter()
        roster_import = services.roster_import_run(roster_import.pk)
        done = time.perf_counter()
    return stored - started, done - stored, roster_import


phases = {}


def timed_phase(label, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[label] = time.perf_counter() - started

    return wrapper


def rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def measure_memory(path: Path) -> None:
    before_rss = rss_kb()
    _store, run, result = one_run(path, 0)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"rows={result.total} status={result.status} accepted={result.accepted} run={run:.2f} s")
    print(f"peak RSS growth during the import: {(peak_rss - before_rss) / 1024:.1f} MB "
          f"(RSS before {before_rss / 1024:.1f} MB, peak {peak_rss / 1024:.1f} MB)")
    tracemalloc.start()
    _store, run, result = one_run(path, 1)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"tracemalloc peak of Python allocations (second run): {peak / 1024 / 1024:.1f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--existing", type=float, default=0.0, help="fraction of rows for persons already known")
    parser.add_argument("--memory", action="store_true", help="peak memory growth instead of timings")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    settings.ROSTER_IMPORT_MAX_ROWS = max(args.rows, 100000)
    call_command("migrate", verbosity=0)
    month = timezone.localdate().strftime("%Y-%m")
    path = sheet_path(args.rows, args.existing, month)
    ensure_existing(int(args.rows * args.existing))
    print(f"database={connection.vendor} file={path.name} ({path.stat().st_size / 1024:.0f} KB)")
    if args.memory:
        measure_memory(path)
        return
    totals = []
    for n in range(args.runs):
        store, run, result = one_run(path, n)
        assert result.status == "succeeded" and result.accepted == args.rows, (result.status, result.errors[:3])
        totals.append(store + run)
        print(f"run {n + 1}: store {store:.3f} s, validate+import {run:.3f} s, total {store + run:.3f} s "
              f"({result.accepted} changes; " + ", ".join(f"{k} {v:.3f} s" for k, v in phases.items()) + ")")
    print(f"median of {args.runs}: {statistics.median(totals):.3f} s for {args.rows} rows")


if __name__ == "__main__":
    main()
