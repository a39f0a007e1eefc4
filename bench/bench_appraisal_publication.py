"""鉴定结论公示: the public page /appraisal/publications/ with N PublishedConclusion rows.

Data (set-based, one INSERT … SELECT per table): N applications on one case, N conclusions, N
published lines in 100 batches over three 统筹区, published on the 100 days before today and
visible for 60 days (so about 60 % of the lines are within their period). Then R requests through
Django's test client (the full middleware stack, the template rendered): the first page, a region,
a batch, a deep page (page 50), in turn; p50/p95/max in ms. Target: p95 ≤ 100 ms for N = 100,000.

    createdb -h 127.0.0.1 -U postgres gongshang_bench_pub
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench_pub \
        .venv/bin/python bench/bench_appraisal_publication.py --rows 100000 --requests 200
    dropdb -h 127.0.0.1 -U postgres gongshang_bench_pub
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-publication.sqlite3'}")

MARK = "bench-pub"
REGIONS = ("370200", "370700", "370100")
BATCHES = 100


def setup_django():
    import django

    (ROOT / "var").mkdir(exist_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _world():
    """One case, one 鉴定管理员, one site per region and the batches (ORM: a few hundred rows)."""
    from datetime import date, datetime

    from django.utils import timezone

    from gongshang.accounts.tests.factories import StaffUserFactory
    from gongshang.appraisal.models import AppraisalBatch, AppraisalSite
    from gongshang.cases.services import accident_create, case_create
    from gongshang.registry.tests.factories import EmployerFactory

    employer = EmployerFactory(uscc="91370200BENCHPUB1X", name="青岛压测机械有限公司", region="370200")
    accident = accident_create(region="370200", occurred_at=timezone.make_aware(datetime(2025, 6, 10, 9)),
                               employer=employer, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": "张三伟", "employer": employer})
    staff = StaffUserFactory(roles=["appraisal_admin"], jurisdiction="370200", username=f"{MARK}-apr")
    today = timezone.localdate()
    batches = []
    for b in range(BATCHES):
        region = REGIONS[b % len(REGIONS)]
        site, _ = AppraisalSite.objects.get_or_create(region=region, name=f"{region} 鉴定中心",
                                                      defaults={"address": "地址"})
        exam_on = today - timedelta(days=b + 3)
        batches.append(AppraisalBatch.objects.create(
            region=region, number=f"BP{b:04d}", exam_on=exam_on, cutoff_on=exam_on - timedelta(days=7), site=site,
            capacity=2000, status="published", published_on=today - timedelta(days=b),
            publication_until=today - timedelta(days=b) + timedelta(days=60), created_by=staff))
    return case, staff, batches, date.today()


def generate(rows: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from setbased import numbers

    from gongshang.appraisal.models import AppraisalApplication, AppraisalConclusion, PublishedConclusion

    if AppraisalBatch_exists():
        print(f"data present: {PublishedConclusion.objects.count()} published lines")
        return
    vendor = connection.vendor
    started = time.perf_counter()
    with transaction.atomic():
        case, staff, batches, _ = _world()
        first_batch = batches[0].pk
        now = timezone.now()
        today = timezone.localdate()
        app, concl, pub = (AppraisalApplication._meta.db_table, AppraisalConclusion._meta.db_table,
                           PublishedConclusion._meta.db_table)
        # Batch k = (i % 100): its region and dates follow from k (as _world made them).
        region_sql = "CASE (n.i %% 100) %% 3 WHEN 0 THEN '370200' WHEN 1 THEN '370700' ELSE '370100' END"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {app} (case_id, region, kind, items, status, owner_key, created_by_id, applicant_kind, "
                f"applicant_name, applicant_relation, applicant_mobile, mailing_address, dependant_name, "
                f"dependant_id_number, reason, green_channel, correction_items, extension_reason, postponed_days, "
                f"no_show_count, termination_reason, batch_id, due_label, created_at, updated_at) "
                f"SELECT %s, {region_sql}, 'initial', '[]', 'delivered', '{MARK}:' || n.i, %s, 'worker', "
                f"'申请人', '', '', '', '', '', '', %s, '[]', '', 0, 0, '', %s + (n.i %% 100), '', %s, %s "
                f"FROM {numbers(vendor, rows)}", [case.pk, staff.pk, False, first_batch, now, now])
            cursor.execute(
                f"INSERT INTO {concl} (application_id, case_id, region, number, grade, self_care, confirmation_detail, "
                f"basis, concluded_on, provincial, delivery_method, tracking_number, concluded_by_id, created_at) "
                f"SELECT a.id, a.case_id, a.region, 'BENCH-' || a.id, 1 + (a.id %% 10), '', '', '{{}}', %s, %s, '', '', "
                f"%s, %s FROM {app} a WHERE a.owner_key LIKE '{MARK}:%%'", [today, False, staff.pk, now])
            day = "CAST(%s AS date)" if vendor == "postgresql" else "%s"
            minus = ("- (b.id - %s) * INTERVAL '1 day'" if vendor == "postgresql" else None)
            if vendor == "postgresql":
                published = f"({day} {minus})::date"
                until = f"({day} {minus} + INTERVAL '60 days')::date"
                params = [today, first_batch, today, first_batch]
            else:
                published = "date(%s, '-' || (b.id - %s) || ' days')"
                until = "date(%s, '-' || (b.id - %s) || ' days', '+60 days')"
                params = [today.isoformat(), first_batch, today.isoformat(), first_batch]
            cursor.execute(
                f"INSERT INTO {pub} (conclusion_id, batch_id, region, masked_name, employer_name, kind_label, "
                f"result_label, published_on, visible_until) "
                f"SELECT c.id, a.batch_id, c.region, '张*伟', '青岛压测机械有限公司', '初次鉴定', "
                f"CASE c.grade WHEN 1 THEN '一级伤残' WHEN 7 THEN '七级伤残' ELSE '十级伤残' END, "
                f"{published}, {until} "
                f"FROM {concl} c JOIN {app} a ON a.id = c.application_id "
                f"JOIN appraisal_appraisalbatch b ON b.id = a.batch_id WHERE a.owner_key LIKE '{MARK}:%%'", params)
            if vendor == "postgresql":
                cursor.execute(f"ANALYZE {app}; ANALYZE {concl}; ANALYZE {pub}")
    print(f"generated {PublishedConclusion.objects.count()} published lines in {time.perf_counter() - started:.1f} s")


def AppraisalBatch_exists() -> bool:  # noqa: N802 (reads as the question it asks)
    from gongshang.appraisal.models import AppraisalBatch

    return AppraisalBatch.objects.filter(number="BP0000").exists()


def measure(requests: int) -> None:
    from django.test import Client
    from django.utils import timezone

    from gongshang.appraisal.models import PublishedConclusion

    client = Client()
    today = timezone.localdate()
    visible = PublishedConclusion.objects.filter(visible_until__gte=today, published_on__lte=today).count()
    urls = ["/appraisal/publications/", "/appraisal/publications/?region=370700",
            "/appraisal/publications/?batch=BP0005", "/appraisal/publications/?page=50",
            "/appraisal/publications/?region=370200&page=20"]
    for url in urls:  # warm-up (templates, connections)
        assert client.get(url).status_code == 200, url
    timings = []
    for n in range(requests):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"publication page: {requests} requests over {visible} visible of {PublishedConclusion.objects.count()} "
          f"lines: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
          f"({'OK' if p95 <= 100 else 'ABOVE'} the 100 ms target)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    generate(args.rows)
    measure(args.requests)


if __name__ == "__main__":
    main()
