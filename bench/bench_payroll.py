"""月度发放 benchmark: N beneficiaries with monthly entitlements, then one payroll run.

Times `payroll.run_create` (set-based INSERT … SELECT in 100,000-entitlement steps, each committed
with its cursor, NOT EXISTS against the (entitlement, period) unique index, ON CONFLICT DO
NOTHING, failed-payment re-issue, arrears, audit event) and, in the same process on the same data,
a bare `INSERT … SELECT` of the same rows (no chunking, no NOT EXISTS) for another month, timed
both BEFORE and AFTER the payroll run (each on its own month, removed afterwards), so neither side
alone enjoys a warm cache. Then a second run for the next month — the steady state, where the
arrears statement checks every earlier month of every entitlement — and a rerun of the computation
to show that nothing is added (exactly once).

    .venv/bin/python bench/bench_payroll.py --n 100000                       # SQLite, var/bench/
    createdb -h 127.0.0.1 -U postgres gongshang_bench                        # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench \\
        .venv/bin/python bench/bench_payroll.py --n 1000000

Targets (issue 6): 1,000,000 on PostgreSQL ≤ 60 s and ≤ 3× the bare INSERT … SELECT;
100,000 on SQLite ≤ 20 s.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)  # the default SQLite file lives here
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'payroll.sqlite3'}")
REGION = "990000"  # a region of its own: demo and other benchmarks stay untouched
PERIOD = date(2026, 11, 1)


def generate(n: int) -> None:
    """Cases and entitlements in two INSERT … SELECT statements (not timed as the benchmark)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from setbased import insert_cases  # bench/, the script's own folder

    from gongshang.benefits.models import Entitlement
    from gongshang.cases.models import Accident, InjuryCase

    started = time.perf_counter()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        accident = Accident.objects.create(region=REGION, occurred_at=timezone.now(), address="bench")
        cases, ents = InjuryCase._meta.db_table, Entitlement._meta.db_table
        with connection.cursor() as cursor:
            insert_cases(cursor, vendor=connection.vendor, n=n, region=REGION, accident_id=accident.pk,
                         prefix="BENCH", now=now)
            types = "CASE c.id %% 3 WHEN 0 THEN 'disability_allowance' WHEN 1 THEN 'nursing_allowance' " \
                    "ELSE 'dependant_pension' END"
            cursor.execute(
                f"INSERT INTO {ents} (case_id, region, beneficiary_name, beneficiary_relation, beneficiary_id_number, "
                f"benefit_type, "
                f"period_kind, payer, amount, start_month, status, basis, formula, parameters_used, bank_name, "
                f"bank_account, stop_reason, note, created_at, approved_at) "
                f"SELECT c.id, %s, c.injured_name, '本人', '', {types}, 'monthly', 'fund', 2000 + (c.id %% 5000) * 0.37, "
                f"%s, 'active', '《工伤保险条例》', 'bench', '[]', '', '', '', '', %s, %s "
                f"FROM {cases} c WHERE c.region = %s",
                [REGION, connection.ops.adapt_datefield_value(PERIOD), now, now, REGION])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"generated {n:,} cases and entitlements in {time.perf_counter() - started:.1f} s")


def bare_insert(run_id: int, day: date) -> float:
    """The same rows for month `day`, one plain INSERT … SELECT; removed afterwards."""
    from django.db import connection, transaction

    from gongshang.benefits.services.payroll_sql import COLUMNS, E, P

    month = connection.ops.adapt_datefield_value(day)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, e.amount, "
            f"'pending', 1, '', 'monthly', NULL FROM {E} e WHERE e.region = %s AND e.status = 'active' "
            f"AND e.payer = 'fund' AND e.period_kind = 'monthly' AND e.start_month <= %s "
            f"AND (e.end_month IS NULL OR e.end_month >= %s)",
            [run_id, month, REGION, month, month])
    elapsed = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {P} WHERE run_id = %s AND period = %s", [run_id, month])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {P}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=None)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from gongshang.accounts.choices import StaffRole
    from gongshang.accounts.tests.factories import StaffUserFactory
    from gongshang.benefits.models import Entitlement, Payment, PayrollRun
    from gongshang.benefits.services import payroll

    if Payment.objects.filter(region=REGION).exists() or Entitlement.objects.filter(region=REGION).exists():
        sys.exit(f"region {REGION} already has bench data: drop the bench database first")
    print(f"database: {connection.vendor}, N = {args.n:,}")
    generate(args.n)
    actor = StaffUserFactory(roles=[StaffRole.BENEFITS_REVIEWER], jurisdiction=REGION)
    holder = PayrollRun.objects.create(region=REGION, period=date(2000, 1, 1), status="reconciled", created_by=actor)
    before = bare_insert(holder.pk, date(2030, 1, 1))
    print(f"bare INSERT … SELECT of the same rows, before the run: {before:.1f} s")
    started = time.perf_counter()
    run = payroll.run_create(actor=actor, period=PERIOD, background=False,
                             **({"chunk": args.chunk} if args.chunk else {}))
    elapsed = time.perf_counter() - started
    count = Payment.objects.filter(run=run).count()
    print(f"payroll run: {count:,} payments computed and written in {elapsed:.1f} s ({run.status})")
    after = bare_insert(holder.pk, date(2030, 2, 1))
    print(f"bare INSERT … SELECT of the same rows, after the run: {after:.1f} s")
    print(f"ratio to the bare insert: {elapsed / before:.2f}× (before), {elapsed / after:.2f}× (after), "
          f"{2 * elapsed / (before + after):.2f}× (mean)")
    started = time.perf_counter()
    second = payroll.run_create(actor=actor, period=date(PERIOD.year + PERIOD.month // 12, PERIOD.month % 12 + 1, 1),
                                background=False, **({"chunk": args.chunk} if args.chunk else {}))
    steady = time.perf_counter() - started
    print(f"next month's run (arrears check over the earlier month): "
          f"{Payment.objects.filter(run=second).count():,} payments in {steady:.1f} s")
    first = Entitlement.objects.filter(region=REGION).order_by("id").values_list("id", flat=True).first()
    PayrollRun.objects.filter(pk=run.pk).update(status="computing", cursor=first - 1)  # rerun over everything
    run.refresh_from_db()
    started = time.perf_counter()
    payroll.run_compute(run=run, actor=actor)
    again = Payment.objects.filter(run=run).count()
    print(f"rerun over all entitlements: {again - count} added in {time.perf_counter() - started:.1f} s "
          f"(exactly once: {again == count == args.n})")

if __name__ == "__main__":
    main()
