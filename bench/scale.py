"""规模数据与列表: a provincial-scale data set (PostgreSQL only) and p95 of every large list on it.

    createdb -h 127.0.0.1 -U postgres gongshang_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_scale .venv/bin/python bench/scale.py build
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_scale .venv/bin/python bench/scale.py measure

`build --factor 0.01` makes a data set 1/100 the size for quick iteration. `measure` logs real users
in (django.test.Client in-process, the same database), sends 10 warm-up and 200 measured requests
per list through the page and the API, prints p50/p95/max and queries per request, the EXPLAIN
(ANALYZE, BUFFERS) of the slowest query of the slowest request, and exits 1 when a p95 > 100 ms.

The PII keys are fixed here (bench values, unless set in the environment) so that a build and a
later measure, from any worktree, encrypt and index alike. To measure another checkout's code
against the same database: GONGSHANG_ROOT=/path/to/checkout python bench/scale.py measure.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("GONGSHANG_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("PII_ENCRYPTION_KEYS", "c2NhbGUtYmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGk=")
os.environ.setdefault("PII_INDEX_KEY", "scale-bench-blind-index-key")
if sys.argv[1:2] == ["measure"]:
    os.environ.setdefault("DJANGO_DEBUG", "false")  # as in production: cached templates, no debug pages


def _session_settings() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '64MB'")


def refresh_due_dates() -> str:
    """The stored-due-date refresh of the checkout, whichever it has; what ran."""
    from django.core.management import call_command, get_commands

    for name in ("refresh_due_dates", "due_dates_refresh", "refresh_stored_due_dates"):
        if name in get_commands():
            call_command(name)
            return f"manage.py {name}"
    # This checkout has only the per-row refresh (the deadline engine per application, ~50,000
    # applications near the line at full size: far too slow here); the generator's due dates stand.
    return "none: no refresh command in this checkout, due dates as estimated by the generator"


def build(factor: float, resume_from: str = "") -> None:
    from django.core.management import call_command
    from django.db import connection
    from scale_data import Builder

    from gongshang.registry.models import InsuredPerson

    if connection.vendor != "postgresql":
        sys.exit("scale.py runs on PostgreSQL only: set DATABASE_URL")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if InsuredPerson.objects.exists() and not resume_from:
        sys.exit("the database already holds persons: build into a fresh database (createdb)")
    _session_settings()
    b = Builder(factor)
    print(f"building at factor {factor} into {connection.settings_dict['NAME']}: {b.n}", flush=True)
    steps = [("employers (COPY)", b.employers), ("users, roles", b.users_), ("insured persons (COPY)", b.persons),
             ("enrolments", b.enrolments), ("contribution records", b.contributions), ("accidents", b.accidents),
             ("quick reports", b.quick_reports), ("injury cases", b.cases),
             ("recognition applications", b.recognitions), ("entitlements", b.entitlements),
             ("payroll run + payments", b.payroll), ("audit events", b.audit_events)]
    names = [fn.__name__.strip("_") for _label, fn in steps] + ["refresh"]
    if resume_from:
        if resume_from not in names:
            sys.exit(f"--resume-from: one of {', '.join(names)}")
        steps = steps[names.index(resume_from):]
        b.restore()
    for label, fn in steps:
        b.step(label, fn)
    t = time.perf_counter()
    what = refresh_due_dates()
    b.timings.append(("due dates", 0, time.perf_counter() - t))
    print(f"  {'stored due dates: ' + what:<48} {time.perf_counter() - t:8.1f} s", flush=True)
    t = time.perf_counter()
    call_command("createcachetable", verbosity=0)  # the database cache (sessions' neighbours, page counters)
    with connection.cursor() as cursor:
        # After the bulk load: statistics for the planner, and the visibility map set on every page
        # so the capped counts run as index-only scans.
        cursor.execute("VACUUM ANALYZE")
    print(f"  {'createcachetable, VACUUM ANALYZE':<48} {time.perf_counter() - t:8.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    rows = sum(r for _l, r, _e in b.timings)
    print(f"total: {rows:,} rows in {time.perf_counter() - started:.1f} s; database size {size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="generate the data set into DATABASE_URL")
    p_build.add_argument("--factor", type=float, default=1.0, help="scale every count (0.01 for a quick try)")
    p_build.add_argument("--resume-from", default="", help="continue an interrupted build at this step "
                         "(each step commits), e.g. accidents, or `refresh` (due dates, cache table, VACUUM ANALYZE only); "
                         "give the same --factor")
    p_measure = sub.add_parser("measure", help="p95 of every list, page and API")
    p_measure.add_argument("--requests", type=int, default=200)
    p_measure.add_argument("--warmup", type=int, default=10)
    p_measure.add_argument("--only", default="", help="measure only the lists whose name contains one of these (comma-separated)")
    p_measure.add_argument("--limit-ms", type=float, default=100.0)
    p_measure.add_argument("--max-seconds", type=float, default=120.0,
                           help="stop a list after this long (a list at seconds per request) and report what it did")
    args = parser.parse_args()
    import django

    django.setup()
    if args.command == "build":
        build(args.factor, args.resume_from)
    else:
        from scale_lists import measure

        sys.exit(measure(requests=args.requests, warmup=args.warmup, only=args.only, limit_ms=args.limit_ms,
                         max_seconds=args.max_seconds))


if __name__ == "__main__":
    main()
