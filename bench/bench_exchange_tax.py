"""税务局 缴费明细 benchmark: a monthly contribution file of N rows (default 1,000,000) for generated
employers and persons, then the tax adapter's `process` timed — the real code: the file read once
(csv, every row checked), employers and persons resolved a chunk at a time, the valid rows COPY'd into
a staging table, records upserted and mismatches inserted set-based — first on receipt, then the same
file again as a second batch (everything duplicate, nothing written).

The data (not timed; bench/tax_data.py): N / 50 employers of region 990100, N persons each enrolled
for 工伤 at one of them, and the file: per 100 rows one enrolled person missing and an unknown person
paid for instead (→ 已参保但未缴费 and 已缴费但未参保登记), one person declared but unpaid (paid = 0),
and per 100,000 rows one row of each deliberate error of fakes/tax.py.

    createdb -h 127.0.0.1 -U postgres gongshang_bench_tax          # a fresh database each time
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench_tax \\
        .venv/bin/python bench/bench_exchange_tax.py --rows 1000000
    dropdb -h 127.0.0.1 -U postgres gongshang_bench_tax
    rm -f var/bench/tax.sqlite3 && .venv/bin/python bench/bench_exchange_tax.py --rows 100000   # SQLite

`--profile` writes a cProfile of the first run to var/bench/tax.prof (read with `python -m pstats`).
Target: 1,000,000 rows on PostgreSQL ≤ 60 s.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'tax.sqlite3'}")


def slow_statements(execute, sql, params, many, context):
    """Print each SQL statement taking over half a second, with its backend CPU (--statements)."""
    started, cpu = time.perf_counter(), backend_cpu()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed = time.perf_counter() - started
        if elapsed > 0.5:
            used = f"{backend_cpu() - cpu:5.1f} s CPU" if cpu is not None else ""
            print(f"  {elapsed:6.1f} s {used}  {' '.join(sql.split())[:140]}")


def backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend (when the server runs on this machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    try:
        fields = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def timed_process(batch, *, profile: Path | None = None, statements: bool = False):
    from contextlib import nullcontext

    from django.db import connection, transaction

    from gongshang.core.files.storage import open_stored
    from gongshang.integrations.adapters import adapter_for

    adapter = adapter_for("tax", "contributions")
    cpu, db_cpu = time.process_time(), backend_cpu()
    started = time.perf_counter()
    watch = connection.execute_wrapper(slow_statements) if statements else nullcontext()
    # One transaction, as in the batch service; its commit runs PostgreSQL's deferred foreign-key checks.
    with watch, transaction.atomic(), open_stored(batch.file) as stream:
        if profile is None:
            outcome = adapter.process(batch, stream)
        else:
            import cProfile

            with cProfile.Profile() as profiler:
                outcome = adapter.process(batch, stream)
            profiler.dump_stats(profile)
        before_commit = time.perf_counter()
    finished = time.perf_counter()
    db_used = backend_cpu() - db_cpu if db_cpu is not None else None
    print(f"  commit {finished - before_commit:.1f} s; CPU: Python {time.process_time() - cpu:.1f} s"
          + (f", PostgreSQL backend {db_used:.1f} s" if db_used is not None else "")
          + f"; load average {os.getloadavg()[0]:.1f}")
    return outcome, finished - started


def report(label: str, outcome, elapsed: float) -> None:
    summary = outcome.summary
    print(f"{label}: {outcome.total:,} rows in {elapsed:.1f} s ({outcome.total / elapsed:,.0f} rows/s): "
          f"accepted {outcome.accepted:,}, duplicate {outcome.duplicate:,}, rejected {outcome.rejected:,}; "
          f"records created {summary['records_created']:,}, updated {summary['records_updated']:,}; "
          f"mismatches {summary['mismatches_by_kind']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the first run (var/bench/tax.prof)")
    parser.add_argument("--statements", action="store_true", help="print the SQL statements taking over 0.5 s")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tax_data import REGION, generate, new_batch  # bench/, the script's own folder

    from gongshang.registry.models import ContributionRecord

    print(f"database: {connection.vendor}, N = {args.rows:,}")
    path = generate(args.rows)
    first = new_batch(path)
    profile = ROOT / "var" / "bench" / "tax.prof" if args.profile else None
    outcome, elapsed = timed_process(first, profile=profile, statements=args.statements)
    report("first receipt", outcome, elapsed)
    records = ContributionRecord.objects.filter(employer__region=REGION).count()
    second = new_batch(path)
    again, elapsed = timed_process(second, statements=args.statements)
    report("same file again", again, elapsed)
    unchanged = ContributionRecord.objects.filter(employer__region=REGION).count() == records
    print(f"records in the region: {records:,}; unchanged by the second file: {unchanged}")


if __name__ == "__main__":
    main()
