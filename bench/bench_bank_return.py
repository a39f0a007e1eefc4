"""银行回盘 benchmark: a released run of N 已报盘 payments and the bank's return
file of N lines, then `bankfiles.bank_return_import` timed — the real service: the file read once
(csv), every line checked in Python, matched against the run's payments (one query for their ids
and amounts), the matched lines written with COPY (PostgreSQL) / executemany (SQLite), one
UPDATE per outcome checked against the Payment table, the run reconciled.

The file: 90 % 成功, ~10 % 失败 with a reason, and a few bad lines (an unreadable id, an amount
that does not match, an unknown id, a bad result word), which are reported and leave their payments
已报盘 — so the run stays released; a second file for those is not timed.

    rm -f var/bench/bank_return.sqlite3 && .venv/bin/python bench/bench_bank_return.py --n 100000
    createdb -h 127.0.0.1 -U postgres gongshang_bench_bank      # a fresh database each time
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench_bank \\
        .venv/bin/python bench/bench_bank_return.py --n 1000000
    dropdb -h 127.0.0.1 -U postgres gongshang_bench_bank

Target: 1,000,000 lines on PostgreSQL ≤ 60 s.
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'bank_return.sqlite3'}")
REGION = "990100"  # a region of its own: demo and other benchmarks stay untouched
PERIOD = date(2026, 11, 1)
BAD_EVERY = 100_000  # one bad line of each kind per 100,000 lines


def generate(n: int, actor):
    """Cases, entitlements and the run's 已报盘 payments in three INSERT … SELECT (not timed)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from setbased import insert_cases  # bench/, the script's own folder

    from gongshang.benefits.models import Entitlement, PayrollRun
    from gongshang.benefits.services.payroll_sql import COLUMNS, P
    from gongshang.cases.models import Accident, InjuryCase

    started = time.perf_counter()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    month = connection.ops.adapt_datefield_value(PERIOD)
    with transaction.atomic():
        accident = Accident.objects.create(region=REGION, occurred_at=timezone.now(), address="bench")
        run = PayrollRun.objects.create(region=REGION, period=PERIOD, status="released", created_by=actor,
                                        approved_by=actor, released_by=actor, computed_at=timezone.now(),
                                        approved_at=timezone.now(), released_at=timezone.now())
        cases, ents = InjuryCase._meta.db_table, Entitlement._meta.db_table
        with connection.cursor() as cursor:
            insert_cases(cursor, vendor=connection.vendor, n=n, region=REGION, accident_id=accident.pk,
                         prefix="BANK", now=now)
            cursor.execute(
                f"INSERT INTO {ents} (case_id, region, beneficiary_name, beneficiary_relation, beneficiary_id_number, "
                f"benefit_type, period_kind, payer, amount, start_month, status, basis, formula, parameters_used, "
                f"bank_name, bank_account, stop_reason, note, created_at, approved_at) "
                f"SELECT c.id, %s, c.injured_name, '本人', '', 'disability_allowance', 'monthly', 'fund', "
                f"2000 + (c.id %% 5000) * 0.37, %s, 'active', '《工伤保险条例》', 'bench', '[]', '中国工商银行', "
                f"'6222' || c.id, '', '', %s, %s FROM {cases} c WHERE c.region = %s",
                [REGION, month, now, now, REGION])
            cursor.execute(
                f"INSERT INTO {P} ({COLUMNS}) SELECT %s, e.id, %s, e.region, e.benefit_type, e.payer, e.amount, "
                f"'sent', 1, '', 'monthly', NULL FROM {ents} e WHERE e.region = %s",
                [run.pk, month, REGION])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"generated {n:,} cases, entitlements and 已报盘 payments in {time.perf_counter() - started:.1f} s")
    return run


def return_file(run) -> tuple[bytes, int]:
    """The bank's return file for every payment of the run, with a few bad lines; (bytes, bad)."""
    from gongshang.benefits.models import Payment

    started = time.perf_counter()
    out = ["支付流水号,金额,结果,失败原因"]
    bad = 0
    rows = Payment.objects.filter(run=run).order_by("pk").values_list("pk", "amount").iterator(chunk_size=20000)
    for i, (pk, amount) in enumerate(rows):
        kind = i % BAD_EVERY
        if kind == 1:
            out.append(f"X{pk},{amount},成功,")  # unreadable id
        elif kind == 2:
            out.append(f"{pk},{amount + 1},成功,")  # amount mismatch
        elif kind == 3:
            out.append(f"{pk},{amount},也许,")  # bad result word
        elif i % 10 == 9:
            out.append(f"{pk},{amount},失败,账户已冻结")
        else:
            out.append(f"{pk},{amount},成功,")
        bad += kind in (1, 2, 3)
    out.append(f"{10 ** 15},1.00,成功,")  # an id that is no payment of this run
    content = "\n".join(out).encode()
    print(f"return file: {len(out) - 1:,} lines, {len(content) / 1e6:.1f} MB, built in "
          f"{time.perf_counter() - started:.1f} s")
    return content, bad + 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    from gongshang.accounts.choices import StaffRole
    from gongshang.accounts.tests.factories import StaffUserFactory
    from gongshang.benefits.models import Payment, PayrollRun
    from gongshang.benefits.services import bankfiles

    if PayrollRun.objects.filter(region=REGION).exists():
        sys.exit(f"region {REGION} already has bench data: drop the bench database first")
    print(f"database: {connection.vendor}, N = {args.n:,}")
    actor = StaffUserFactory(roles=[StaffRole.BENEFITS_REVIEWER], jurisdiction=REGION)
    run = generate(args.n, actor)
    content, bad = return_file(run)
    lines = content.count(b"\n")
    started = time.perf_counter()
    result = bankfiles.bank_return_import(actor=actor, run_id=run.pk,
                                          upload=SimpleUploadedFile("return.csv", content, content_type="text/csv"))
    elapsed = time.perf_counter() - started
    print(f"bank_return_import: {lines:,} lines in {elapsed:.1f} s ({lines / elapsed:,.0f} lines/s): "
          f"{result.paid_count:,} paid ({result.paid_total}), {result.failed_count:,} failed "
          f"({result.failed_total}), {len(result.rejected):,} rejected (expected {bad:,})")
    statuses = dict(Payment.objects.filter(run=run).order_by().values_list("status").annotate(n=Count("id")))
    print(f"payments now: {statuses}")
    started = time.perf_counter()
    again = bankfiles.bank_return_import(actor=actor, run_id=run.pk,
                                         upload=SimpleUploadedFile("return.csv", content, content_type="text/csv"))
    print(f"the same file again: {again.paid_count + again.failed_count} reconciled, {len(again.rejected):,} "
          f"rejected, in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
