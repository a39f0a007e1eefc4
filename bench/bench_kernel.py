"""Kernel timings: deadline engine, PII crypto, blind-index lookup, token-authenticated API calls.

    .venv/bin/python bench/bench_kernel.py --persons 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench .venv/bin/python bench/bench_kernel.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-kernel.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("PII_ENCRYPTION_KEYS", "p4bVc2Zq0t7o6gqQ9vS2nEw4gP5k0vY3yPqk8mX1s2c=")
os.environ.setdefault("PII_INDEX_KEY", "bench-only-index-key")


def timed(label, n, fn):
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {n:>7} ops  {elapsed:8.3f} s  {elapsed / n * 1e6:10.1f} µs/op")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from gongshang.core.pii.crypto import blind_index, decrypt, encrypt
    from gongshang.core.workdays.calendar import compute_due_date
    from gongshang.registry.models import InsuredPerson
    from gongshang.registry.tests.factories import valid_id_number

    rng = random.Random(7)
    starts = [date(2026, 1, 1) + timedelta(days=rng.randrange(0, 700)) for _ in range(2000)]
    timed("due_date 60 natural days (2026-2027)", len(starts),
          lambda: [compute_due_date(s, 60, "natural") for s in starts])
    timed("due_date 15 working days (2026-2027)", len(starts),
          lambda: [compute_due_date(s, 15, "working") for s in starts])

    values = [valid_id_number(i) for i in range(10000)]
    tokens = []
    timed("encrypt ID number", len(values), lambda: tokens.extend(encrypt(v) for v in values))
    timed("decrypt ID number", len(tokens), lambda: [decrypt(t) for t in tokens])

    existing = InsuredPerson.objects.count()
    if existing < args.persons:
        batch = []
        for i in range(existing, args.persons):
            number = valid_id_number(100000 + i)
            person = InsuredPerson(id_number=number, name=f"压测{i}", gender="male", birth_date=date(1990, 1, 1),
                                   region="370200", mobile=f"137{i:08d}")
            person.id_number_index = blind_index(number)
            person.mobile_index = blind_index(person.mobile)
            batch.append(person)
        start = time.perf_counter()
        InsuredPerson.objects.bulk_create(batch, batch_size=2000)
        print(f"generated {len(batch)} insured persons in {time.perf_counter() - start:.1f} s")
    sample = [valid_id_number(100000 + rng.randrange(args.persons)) for _ in range(2000)]
    timed(f"lookup by blind index among {args.persons}", len(sample),
          lambda: [InsuredPerson.objects.filter(id_number_index=blind_index(v)).first() for v in sample])

    from gongshang.accounts.demo import PASSWORD
    from gongshang.web.management.commands.seed_demo import SEEDERS

    for path in SEEDERS:
        __import__(path, fromlist=["seed"]).seed()
    client = Client()
    response = client.post("/api/v1/auth/token", {"username": "91370200MA3C5UWK4C", "password": PASSWORD},
                           content_type="application/json")
    header = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}
    person_id = InsuredPerson.objects.get(name="张伟").pk
    latencies = []

    def calls():
        for _ in range(args.requests):
            t0 = time.perf_counter()
            assert client.get(f"/api/v1/registry/persons/{person_id}", **header).status_code == 200
            latencies.append(time.perf_counter() - t0)

    timed("GET /api/v1/registry/persons/{id} (bearer)", args.requests, calls)
    latencies.sort()
    print(f"  p50 {statistics.median(latencies) * 1000:.2f} ms, p95 {latencies[int(len(latencies) * .95)] * 1000:.2f} ms")

    # A one-page notice rendered to PDF (WeasyPrint, CJK font), after one warm-up render: was a timed
    # test (< 2 s), a figure of the machine rather than of the code.
    from gongshang.core.documents.services import document_issue

    def notice():
        return document_issue(actor=None, kind="bench.notice", title="工伤保险测试通知书",
                              template_name="documents/plain_document.html",
                              context={"paragraphs": ["兹通知张伟同志：您的参保信息已登记。"]},
                              holder_summary="张*、370202********1237", region="370200", facts=[("姓名", "张*")])

    notice()
    timed("issue a one-page PDF notice", 10, lambda: [notice() for _ in range(10)])


if __name__ == "__main__":
    main()
