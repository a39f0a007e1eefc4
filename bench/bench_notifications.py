"""通知发件箱 through Redis and several RQ workers: N outbox messages (default 100,000) queued with
`enqueue_messages` in one transaction, handed to RQ after commit (a few `drain_outbox` jobs, which
send in batches and re-enqueue themselves while work remains), delivered by W (default 4)
`manage.py rqworker` processes (non-forking SimpleWorker), started first; half-way, the sweep
(`send_outbox --enqueue`, what the timer runs) adds its drain jobs while messages are still pending.

The SMS gateway is a counting fake: every send is recorded in a Redis hash (message id → sends), so
the script can check that each message went out EXACTLY once. Duplicates and misses are printed
(and make it exit 1). Also printed: the rates, the jobs RQ ran, and the table's bytes per message
(docs/operations.md sizes from them).

    createdb -h 127.0.0.1 -U postgres gongshang_bench_notify
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench_notify \\
        .venv/bin/python bench/bench_notifications.py --messages 100000 --workers 4
    dropdb -h 127.0.0.1 -U postgres gongshang_bench_notify

`--batch-size` sets NOTIFY_BATCH_SIZE for the workers (default: the setting, 100);
BENCH_GATEWAY_LATENCY_MS adds a sleep per send (a real gateway's round trip).
It empties the outbox of that database and the Redis database of BENCH_REDIS_URL (db 14 by default).
"""

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SENDS_KEY = "bench:notify:sends"
BACKEND_PATH = "bench.bench_notifications.CountingSmsBackend"


class CountingSmsBackend:
    """The fake gateway the workers use: one HINCRBY per send (atomic across processes)."""

    client = None
    latency = float(os.environ.get("BENCH_GATEWAY_LATENCY_MS", "0")) / 1000

    def __init__(self, channel):
        self.channel = channel

    def send(self, message) -> None:
        if CountingSmsBackend.client is None:
            import redis

            CountingSmsBackend.client = redis.Redis.from_url(REDIS_URL)
        if self.latency:
            time.sleep(self.latency)
        CountingSmsBackend.client.hincrby(SENDS_KEY, str(message.pk), 1)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongshang_bench_notify")
    os.environ["TASK_BACKEND"] = "rq"
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["NOTIFY_SMS_BACKEND"] = BACKEND_PATH
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def start_workers(count: int) -> list[subprocess.Popen]:
    command = [str(ROOT / ".venv/bin/python"), "manage.py", "rqworker", "default", "--worker-class",
               "rq.worker.SimpleWorker", "--job-class", "django_tasks_rq.Job", "--verbosity", "0"]
    return [subprocess.Popen([*command, "--name", f"bench-notify-{os.getpid()}-{index}"], cwd=ROOT,
                             env=dict(os.environ)) for index in range(count)]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()  # warm shutdown: the job in hand finishes first
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def table_bytes(connection, table: str) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return cursor.fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-sweep", action="store_true", help="do not run send_outbox --enqueue during the run")
    parser.add_argument("--timeout", type=int, default=7200, help="seconds to wait for delivery")
    parser.add_argument("--batch-size", type=int, default=None, help="NOTIFY_BATCH_SIZE for the workers")
    args = parser.parse_args()
    if args.batch_size:
        os.environ["NOTIFY_BATCH_SIZE"] = str(args.batch_size)
    setup_django()

    import django_rq
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from rq.worker import Worker

    from gongshang.core.models import OutboxMessage
    from gongshang.core.models.outbox import OutboxStatus
    from gongshang.core.notifications.services import enqueue_messages

    call_command("migrate", verbosity=0)
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    if connection.vendor == "postgresql":  # a fresh table, so its size is that of these messages
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {OutboxMessage._meta.db_table}")
    else:
        OutboxMessage.objects.all().delete()
    queue = django_rq.get_queue("default")
    print(f"database: {connection.vendor}; Redis: {REDIS_URL}; {args.workers} RQ workers (SimpleWorker); "
          f"batch {settings.NOTIFY_BATCH_SIZE}, drain jobs {settings.NOTIFY_DRAIN_JOBS}, "
          f"drain budget {settings.NOTIFY_DRAIN_SECONDS} s; load average before: {os.getloadavg()[0]:.2f}")
    n = args.messages
    # A monthly payment notice to every beneficiary: the largest mass send the platform makes.
    specs = ({"channel": "sms", "recipient": f"139{index:08d}", "template": "sms_payment_issued",
              "params": {"month": "2026年11月", "amount": f"{3000 + index % 997}.00",
                         "account_tail": f"{index % 10000:04d}"}} for index in range(n))
    workers = start_workers(args.workers)
    swept = None
    try:
        while Worker.count(connection=client, queue=queue) < args.workers:
            time.sleep(0.1)
        started = reported = time.perf_counter()
        with transaction.atomic():
            enqueue_messages(specs)
            inserted = time.perf_counter()
        handed_off = time.perf_counter()  # the after-commit hand-off (a few drain jobs) ran as the block exited
        print(f"insert {n:,} rows (enqueue_messages): {inserted - started:.1f} s ({n / (inserted - started):,.0f}/s)")
        jobs = min(settings.NOTIFY_DRAIN_JOBS, -(-n // settings.NOTIFY_BATCH_SIZE)) if n > 1 else 1
        print(f"hand-off to RQ after commit: {(handed_off - inserted) * 1000:.0f} ms ({jobs} drain jobs)", flush=True)
        deadline = started + args.timeout
        while time.perf_counter() < deadline:
            sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
            if swept is None and not args.no_sweep and sent >= n // 2:
                # Half-way, the timer's sweep runs while half the messages are still pending.
                out = io.StringIO()
                call_command("send_outbox", "--enqueue", stdout=out)
                swept = int("".join(ch for ch in out.getvalue() if ch.isdigit()) or 0)
            if sent >= n and queue.count == 0 and queue.started_job_registry.count == 0:
                break
            if time.perf_counter() - reported >= 60:
                reported = time.perf_counter()
                print(f"  … {sent:,} sent after {reported - started:.0f} s ({sent / (reported - started):,.0f}/s), "
                      f"{queue.count:,} jobs waiting, load average {os.getloadavg()[0]:.2f}", flush=True)
            time.sleep(0.2)
        delivered = time.perf_counter()
    finally:
        stop_workers(workers)

    sends = {int(key): int(value) for key, value in client.hgetall(SENDS_KEY).items()}
    ids = set(OutboxMessage.objects.values_list("pk", flat=True))
    statuses = {status: OutboxMessage.objects.filter(status=status).count() for status in OutboxStatus.values}
    duplicates = {pk: count for pk, count in sends.items() if count > 1}
    missing = ids - sends.keys()
    unknown = sends.keys() - ids
    total = delivered - started
    print(f"{args.workers} workers delivered {sum(sends.values()):,} sends in {total:.1f} s "
          f"from the first insert ({n / total:,.0f} messages/s), {n / (delivered - handed_off):,.0f} messages/s "
          f"from the hand-off; the sweep half-way enqueued {swept or 0:,} drain jobs")
    print(f"RQ jobs: {queue.finished_job_registry.count:,} finished, {queue.failed_job_registry.count:,} failed, "
          f"{queue.count:,} still queued")
    print(f"statuses: {', '.join(f'{k} {v:,}' for k, v in statuses.items() if v)}")
    print(f"exactly once: {len(sends) - len(duplicates):,} of {n:,}; duplicates: {len(duplicates):,} "
          f"({sum(duplicates.values()) - len(duplicates):,} extra sends); missing: {len(missing):,}; "
          f"unknown ids: {len(unknown):,}")
    if duplicates:
        print(f"  duplicated ids (first 10): {sorted(duplicates)[:10]}")
    if missing:
        print(f"  missing ids (first 10): {sorted(missing)[:10]}")
    size = table_bytes(connection, OutboxMessage._meta.db_table)
    if size:
        print(f"outbox table with indexes: {size / 2**20:.1f} MB, {size / n:,.0f} bytes per message")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    client.delete(SENDS_KEY)
    return 0 if not duplicates and not missing and not unknown and statuses.get("sent") == n else 1


if __name__ == "__main__":
    sys.exit(main())
