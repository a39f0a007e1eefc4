"""工伤医疗 benchmark: (a) settle one encounter of 2,000 bill lines through the real
service (`encounter_settle`, median of 10: the encounter is reopened between runs), target ≤ 200 ms;
(b) the nightly set-based audit (`nightly_audit`) over N bill lines, target 1,000,000 ≤ 60 s on
PostgreSQL.

Data, set-based (INSERT … SELECT over generate_series / a recursive CTE, not timed): 1,000 catalogue
codes (national rows; every tenth with a regional cap, a frequency-limited item, bed and meal
standards, versions that expired), N / 50 settled inpatient encounters of 50 lines each, two
encounters per case (half of them readmitted within 15 days), 2 % of the encounters with only bed
and meal lines in the first 60 hours, lines out of catalogue and expired (~4 %), over the cap (~15 %),
swapped against the order (~4 %), three x-rays on one day against a daily limit of two.

    .venv/bin/python bench/bench_medical.py --lines 100000                      # SQLite, var/bench/
    createdb -h 127.0.0.1 -U postgres gongshang_bench_medical
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench_medical \\
        .venv/bin/python bench/bench_medical.py --lines 1000000
    dropdb -h 127.0.0.1 -U postgres gongshang_bench_medical
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'medical.sqlite3'}")
REGION = "990000"  # a region of its own: demo and other benchmarks stay untouched
TZ = ZoneInfo("Asia/Shanghai")
BASE = datetime(2026, 6, 1, 9, 0, tzinfo=TZ)
PER_ENCOUNTER = 50


def _plus_hours(vendor: str, ts: str, hours: str) -> str:
    if vendor == "postgresql":
        return f"({ts} + ({hours}) * INTERVAL '1 hour')"
    return f"datetime({ts}, '+' || ({hours}) || ' hours')"


def _catalogue(cursor, vendor, numbers, now_day) -> None:
    from gongshang.medical.models import CatalogueItem

    cat = CatalogueItem._meta.db_table
    cols = ("region, kind, code, name, specification, unit, price_cap, price_class, work_injury_only, "
            "frequency_limit, frequency_days, service_life_months, valid_from, valid_to, source_import_id")
    cursor.execute(
        f"INSERT INTO {cat} ({cols}) SELECT '', 'drug', 'C' || n.i, '药品' || n.i, '', '盒', "
        f"CASE WHEN n.i %% 2 = 0 THEN 50 END, CASE WHEN n.i %% 3 = 0 THEN '进口' ELSE '普通' END, %s, "
        f"NULL, 1, NULL, %s, NULL, NULL FROM {numbers(vendor, 1000)}", [False, "2026-01-01"])
    cursor.execute(
        f"INSERT INTO {cat} ({cols}) SELECT %s, 'drug', 'C' || n.i, '药品' || n.i, '', '盒', 40, '普通', %s, "
        f"NULL, 1, NULL, %s, NULL, NULL FROM {numbers(vendor, 100)}", [REGION, False, "2026-01-01"])
    cursor.execute(
        f"INSERT INTO {cat} ({cols}) SELECT '', 'drug', 'OLD' || n.i, '旧药' || n.i, '', '盒', NULL, '', %s, "
        f"NULL, 1, NULL, %s, %s, NULL FROM {numbers(vendor, 50)}", [False, "2025-01-01", "2025-12-31"])
    for code, kind, limit in (("XRAY", "service", 2), ("BED", "standard", None), ("MEAL", "standard", None)):
        cursor.execute(f"INSERT INTO {cat} ({cols}) VALUES ('', %s, %s, %s, '', '次', NULL, '', %s, %s, 1, NULL, "
                       f"%s, NULL, NULL)", [kind, code, code, False, limit, "2026-01-01"])


def _line_columns() -> str:
    return ("encounter_id, line_no, catalogue_code, name, category, quantity, unit_price, amount, occurred_at, "
            "order_no, ordered_code, fund_amount, self_amount")


def _lines_select(vendor: str, enc: str, idle: str) -> str:
    """The SELECT list of one generated line of encounter `e` number `n.i` (string SQL, no values)."""
    k = "n.i"
    bed = f"({k} <= 2 OR ({idle} AND {k} <= 30))"
    code = (f"CASE WHEN {bed} THEN CASE WHEN {k} %% 2 = 0 THEN 'MEAL' ELSE 'BED' END "
            f"WHEN {k} %% 37 = 0 THEN 'NOPE' || {k} WHEN {k} IN (20, 21, 22) THEN 'XRAY' "
            f"WHEN {k} %% 43 = 0 THEN 'OLD' || ({k} %% 50 + 1) "
            f"ELSE 'C' || (({k} * 7 + {enc}.id) %% 1000 + 1) END")
    category = (f"CASE WHEN {bed} THEN CASE WHEN {k} %% 2 = 0 THEN 'meal' ELSE 'bed' END "
                f"WHEN {k} IN (20, 21, 22) THEN 'service' ELSE 'drug' END")
    price = f"(1 + (({enc}.id * {k}) %% 60))"
    ordered = f"CASE WHEN {k} %% 17 = 0 THEN 'C' || ({k} %% 1000 + 1) ELSE '' END"
    occurred = _plus_hours(vendor, f"{enc}.admitted_at", f"{k} * 2")
    return (f"{enc}.id, {k}, {code}, '项目' || {k}, {category}, 1, {price}, {price}, {occurred}, "
            f"'YZ' || {k}, {ordered}, {price}, 0")


def generate(lines: int, institution_id: int, now) -> None:
    from django.db import connection, transaction
    from setbased import insert_cases, numbers

    from gongshang.cases.models import Accident, InjuryCase
    from gongshang.medical.models import BillLine, Encounter

    vendor = connection.vendor
    encounters = max(lines // PER_ENCOUNTER, 2)
    started = time.perf_counter()
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        accident = Accident.objects.create(region=REGION, occurred_at=BASE, address="bench")
        insert_cases(cursor, vendor=vendor, n=encounters // 2, region=REGION, accident_id=accident.pk,
                     prefix="MEDBENCH", now=adapt(now))
        _catalogue(cursor, vendor, numbers, None)
        enc, cases = Encounter._meta.db_table, InjuryCase._meta.db_table
        for j in (0, 1):
            # the second stay 20 days after the first (10 days after its discharge) for even cases, 30 for odd
            offset = f"(c.id %% 200) * 24 + {j} * CASE WHEN c.id %% 2 = 0 THEN 480 ELSE 720 END"
            cursor.execute(
                f"INSERT INTO {enc} (institution_id, case_id, region, treatment_region, remote_registration_id, kind, "
                f"admitted_at, discharged_at, diagnoses, main_diagnosis_code, department, status, total, fund_amount, "
                f"self_amount, deducted_amount, flagged, settled_at, review_note, reviewed_by_id, reviewed_at, "
                f"statement_id, created_at) "
                f"SELECT %s, c.id, %s, %s, NULL, 'inpatient', {_plus_hours(vendor, '%s', offset)}, "
                f"{_plus_hours(vendor, '%s', offset + ' + 240')}, %s, 'S62.300', '手外科', 'settled', 0, 0, 0, 0, %s, "
                f"%s, '', NULL, NULL, NULL, %s FROM {cases} c WHERE c.region = %s",
                [institution_id, REGION, REGION, adapt(BASE), adapt(BASE), '[{"code": "S62.300", "name": "手骨折"}]',
                 False, adapt(now), adapt(now), REGION])
        cursor.execute(
            f"INSERT INTO {BillLine._meta.db_table} ({_line_columns()}) SELECT "
            f"{_lines_select(vendor, 'e', 'e.id %% 50 = 0')} FROM {enc} e CROSS JOIN {numbers(vendor, PER_ENCOUNTER)} "
            f"WHERE e.region = %s", [REGION])
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count = BillLine.objects.filter(encounter__region=REGION).count()
    print(f"generated {count:,} settled lines in {Encounter.objects.filter(region=REGION).count():,} encounters "
          f"in {time.perf_counter() - started:.1f} s")


def settle_bench(institution, user, runs: int) -> list[float]:
    """One open encounter of 2,000 lines settled `runs` times (reopened in between, not timed)."""
    from django.db import connection
    from setbased import numbers

    from gongshang.cases.models import Accident, InjuryCase
    from gongshang.medical.models import BillLine, Encounter, LineFlag
    from gongshang.medical.rules.audit.common import local_date
    from gongshang.medical.services.settlement import encounter_settle

    accident = Accident.objects.create(region=REGION, occurred_at=BASE, address="bench")
    case = InjuryCase.objects.create(number="MEDBENCH-SETTLE", region=REGION, accident=accident, body_part="左手",
                                     source="application", status="opened")
    encounter = Encounter.objects.create(institution=institution, case=case, region=REGION, treatment_region=REGION,
                                         kind="inpatient", admitted_at=BASE, main_diagnosis_code="S62.300",
                                         diagnoses=[{"code": "S62.300", "name": "左手骨折"}])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BillLine._meta.db_table} ({_line_columns()}) SELECT "
                       f"{_lines_select(connection.vendor, 'e', '1 = 0')} FROM {Encounter._meta.db_table} e "
                       f"CROSS JOIN {numbers(connection.vendor, 2000)} WHERE e.id = %s", [encounter.pk])
    times = []
    for _ in range(runs):
        # each timed run is a first settlement: lines as uploaded (fund 0), no flags, no cached days
        Encounter.objects.filter(pk=encounter.pk).update(status="open", settled_at=None)
        BillLine.objects.filter(encounter=encounter).update(fund_amount=0, self_amount=0)
        LineFlag.objects.filter(encounter=encounter).delete()
        local_date.cache_clear()
        encounter.refresh_from_db()
        started = time.perf_counter()
        result = encounter_settle(actor=user, encounter=encounter)
        times.append(time.perf_counter() - started)
    flags = sum(len(line.flags) for line in result.lines)
    print(f"settle: {len(result.lines):,} lines, total {result.total}, fund {result.fund_amount}, {flags} line flags")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from gongshang.accounts.models import User
    from gongshang.medical.models import AgreementInstitution, Encounter, LineFlag
    from gongshang.medical.services.nightly_audit import nightly_audit
    from gongshang.medical.tests.factories import InstitutionFactory

    if Encounter.objects.filter(region=REGION).exists():
        sys.exit(f"region {REGION} already has bench data: drop the bench database first")
    print(f"database: {connection.vendor}, lines = {args.lines:,}")
    now = timezone.now()
    institution = AgreementInstitution.objects.filter(code="HBENCH0001").first() or InstitutionFactory(
        region=REGION, county=REGION, code="HBENCH0001", agreement_to=datetime(2099, 12, 31).date())
    user, _ = User.objects.get_or_create(username="inst-bench-medical", defaults={"kind": "institution"})
    institution.api_clients.add(user)
    generate(args.lines, institution.pk, now)

    times = settle_bench(institution, user, args.runs)
    median = statistics.median(times)
    print(f"(a) settle one 2,000-line encounter: median {median * 1000:.0f} ms over {len(times)} runs "
          f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; target ≤ 200 ms)")

    started = time.perf_counter()
    counts = nightly_audit(since=now - timezone.timedelta(minutes=1), until=now + timezone.timedelta(minutes=1))
    elapsed = time.perf_counter() - started
    print(f"(b) nightly audit over {args.lines:,} lines: {elapsed:.1f} s (target ≤ 60 s on PostgreSQL for 1,000,000); "
          f"new flags {sum(v for k, v in counts.items() if k != 'encounters_flagged'):,} {counts}")
    started = time.perf_counter()
    again = nightly_audit(since=now - timezone.timedelta(minutes=1), until=now + timezone.timedelta(minutes=1))
    print(f"    rerun: {sum(again.values())} added in {time.perf_counter() - started:.1f} s (idempotent); "
          f"nightly flags stored {LineFlag.objects.filter(source='nightly').count():,}")


if __name__ == "__main__":
    main()
