"""工伤快报 under a production-style server: gunicorn (sync workers) on PostgreSQL, with the task
worker (manage.py db_worker) running beside it as in production, drawing the watermarked copies.
Production-like settings for every phase: DEBUG off, persistent database connections
(DATABASE_CONN_MAX_AGE=60). The requests are built once before anything is timed and sent by a
lean socket client, so the clients' own CPU (on the same machine) stays small.

0. In-process, deterministic: one submission's queries and CPU (cProfile), before the server runs.

1. The bare rate: N concurrent clients GET /api/v1/calendar/due-date (a dynamic endpoint).
2. N concurrent clients each POST /api/v1/quick-reports with two ~1.3 MB JPEG photos (EXIF time):
   throughput, p50/p95 latency, and the rate as a share of the bare rate measured in the same run
   (targets: p95 ≤ 300 ms at 8 clients; ≥ 25 % of the bare rate). Then the same with two ~4 MB
   12-megapixel photos (a real phone's). The time until the worker has drawn every copy is printed.
3. One ~199 MB video upload while the worker's RSS is sampled: peak growth (target ≤ 64 MB).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongshang_bench \
        .venv/bin/python bench/bench_quickreports.py --reports 200 --concurrency 8 --workers 4
"""

import argparse
import http.client
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongshang_bench")
os.environ.setdefault("TASK_BACKEND", "database")  # the copies (and SMS) go to the db_worker, as in production
os.environ.setdefault("DJANGO_DEBUG", "false")  # production-like: no query log, no debug pages
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")  # production-like: a worker keeps its connection
PORT = 8765
API_PATH = "/api/v1/quick-reports"  # the fixed API name: no trailing slash (that one answers 404)


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the database cache (rate limits) when no REDIS_URL
    from gongshang.accounts.services.auth import api_token_issue
    from gongshang.accounts.tests.factories import IndividualUserFactory
    from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

    employer = EmployerFactory(uscc=f"BENCH{uuid.uuid4().hex[:13]}"[:18], region="370200")
    person = InsuredPersonFactory(id_number="370202198803151237") if not _zhang() else _zhang()
    EnrolmentFactory(person=person, employer=employer)
    user = IndividualUserFactory(person=person, mobile="13900000001", username=f"bench-{uuid.uuid4().hex[:12]}")
    key, _token = api_token_issue(None, user)
    return key


def _zhang():
    from gongshang.core.pii.crypto import blind_index
    from gongshang.registry.models import InsuredPerson

    return InsuredPerson.objects.filter(id_number_index=blind_index("370202198803151237")).first()


def jpeg(seed: int, size=(1600, 1200), quality=96) -> bytes:
    """A photo-like JPEG with an EXIF capture time: noise over a gradient (noise alone compresses
    like nothing a camera makes). 1600×1200 at quality 96 is about 1.3 MB; 4000×3000 at 80 about 4 MB."""
    from django.utils import timezone
    from PIL import Image

    noise = Image.effect_noise(size, 40 + seed % 20).convert("RGB")
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    img = Image.blend(noise, gradient, 0.5)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = timezone.localtime().strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif, quality=quality)
    return buffer.getvalue()


def data_json(pledge: str) -> str:
    from django.utils import timezone

    return json.dumps({"reporter_kind": "self", "accident_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                       "description": "压测快报", "address": "青岛市市南区", "pledge_version": pledge},
                      ensure_ascii=False)


def multipart_parts(fields: dict, files: list[tuple[str, str, object, int]], boundary: str):
    """(total length, iterator of byte chunks): files are streamed from disk, never loaded whole."""
    pieces = []
    for name, value in fields.items():
        pieces.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, source, size in files:
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode()
        pieces += [head, (source, size), b"\r\n"]
    pieces.append(f"--{boundary}--\r\n".encode())
    total = sum(p[1] if isinstance(p, tuple) else len(p) for p in pieces)

    def chunks():
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
            elif isinstance(piece[0], bytes):
                yield piece[0]
            else:
                with open(piece[0], "rb") as fh:
                    while block := fh.read(1 << 20):
                        yield block
    return total, chunks()


def post(token: str, fields: dict, files) -> tuple[int, float, bytes]:
    """One streamed upload (the big video): the body is read from disk while it is sent."""
    boundary = uuid.uuid4().hex
    length, body = multipart_parts(fields, files, boundary)
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    conn.putrequest("POST", API_PATH)
    conn.putheader("Authorization", f"Bearer {token}")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(length))
    conn.endheaders()
    for chunk in body:
        conn.send(chunk)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, time.perf_counter() - started, content


def report_request(token: str, pledge: str, photos: list[bytes]) -> bytes:
    """The whole HTTP request of one submission (headers and multipart body), built once."""
    boundary = uuid.uuid4().hex
    files = [("photos", f"{i}.jpg", photo, len(photo)) for i, photo in enumerate(photos)]
    length, chunks = multipart_parts({"data": data_json(pledge)}, files, boundary)
    head = (f"POST {API_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n").encode()
    return head + b"".join(chunks)


def get_request(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nConnection: close\r\n\r\n".encode()


def send(request: bytes) -> tuple[int, float, bytes]:
    """The lean client: one prebuilt request on a fresh connection, the answer read to its end
    (the server closes it). (status, seconds, body)."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", PORT), timeout=600) as sock:
        sock.sendall(request)
        parts = []
        while block := sock.recv(65536):
            parts.append(block)
    seconds = time.perf_counter() - started
    answer = b"".join(parts)
    head, _sep, body = answer.partition(b"\r\n\r\n")
    return int(head[9:12] or 0), seconds, body


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def start_server(workers: int, env: dict) -> subprocess.Popen:
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{PORT}",
           "-w", str(workers), "--timeout", "600", "--log-level", "warning"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 120  # four workers importing Django on a busy machine
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            conn.request("GET", "/api/v1/calendar/due-date?start=2026-01-10&length=15&unit=working")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def bare_rate(n: int, concurrency: int) -> float:
    """The bare dynamic endpoint's rate (requests/s) and p95, same server, same clients."""
    requests = [get_request(f"/api/v1/calendar/due-date?start=2026-0{1 + i % 9}-10&length=15&unit=working")
                for i in range(9)]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda i: send(requests[i % len(requests)])[:2], range(n)))
    elapsed = time.perf_counter() - started
    if any(r[0] != 200 for r in results):
        raise SystemExit("the bare endpoint did not answer 200")
    latencies = sorted(r[1] for r in results)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    rate = n / elapsed
    print(f"bare GET /api/v1/calendar/due-date: {n} requests, concurrency {concurrency}: {rate:.1f} req/s, "
          f"p95 {p95 * 1000:.0f} ms")
    return rate


def warm_up(token, pledge, photos, concurrency) -> None:
    """Every worker process imports and connects before anything is measured (not printed)."""
    quiet = io.StringIO()
    stdout, sys.stdout = sys.stdout, quiet
    try:
        bare_rate(100, concurrency)
        concurrent_reports(token, pledge, photos, 2 * concurrency, concurrency)
    finally:
        sys.stdout = stdout
    started = time.perf_counter()
    wait_for_copies_quietly(started)


def wait_for_copies_quietly(started: float, timeout: float = 300) -> None:
    while copies_pending() and time.perf_counter() - started < timeout:
        time.sleep(0.5)


RUN_STARTED = None  # set by main(): only this run's media are waited for


def copies_pending() -> int:
    """This run's media still without their copy (a photo the task flagged as failed is done)."""
    from gongshang.quickreports.models import QuickReportMedia

    pending = QuickReportMedia.objects.filter(watermarked__isnull=True, uploaded_at__gte=RUN_STARTED)
    return pending.exclude(flags__contains=["watermark_failed"]).count()


COPIES_TIMEOUT = 900.0  # --copies-timeout


def wait_for_copies(started: float, timeout: float | None = None) -> None:
    timeout = COPIES_TIMEOUT if timeout is None else timeout
    while (pending := copies_pending()) and time.perf_counter() - started < timeout:
        time.sleep(0.5)
    print(f"  watermarked copies: {'all drawn' if not pending else f'{pending} still pending'} "
          f"{time.perf_counter() - started:.1f} s after the first submission")


def start_worker(env: dict) -> subprocess.Popen:
    """The task worker at the lowest CPU priority: the copies are background work that follows the
    reports (in production it runs on its own cores or machines); here it takes what the server leaves."""
    return subprocess.Popen(["nice", "-n", "19", str(ROOT / ".venv/bin/python"), "manage.py", "db_worker",
                             "--interval", "0.2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def concurrent_reports(token, pledge, photos, n, concurrency, bare: float | None = None):
    requests = [report_request(token, pledge, [photos[i], photos[(i + 1) % len(photos)]]) for i in range(len(photos))]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda i: send(requests[i % len(requests)]), range(n)))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[1] for r in results)
    bad = [r for r in results if r[0] != 201]
    if bad:  # figures of failed requests mean nothing: stop loudly
        raise SystemExit(f"{len(bad)} of {n} submissions did not answer 201; first: HTTP {bad[0][0]} "
                         f"{bad[0][2][:300]!r}")
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    share = f", {100 * n / elapsed / bare:.0f} % of the bare rate" if bare else ""
    print(f"reports: {n} × 2 photos ({len(photos[0]) // 1024} KB each), concurrency {concurrency}: "
          f"{n / elapsed:.1f} reports/s, p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms{share}, all 201")


def profile_submission(token: str, pledge: str, photos: list[bytes], n: int, top: int = 0) -> None:
    """In-process (Django's test client, the same settings and database): the queries of one
    submission, the CPU per submission (process time, no profiler) and where cProfile finds it.
    Independent of the machine's load, unlike the timings below; the client's own encoding of the
    request is included (about 1 ms)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def one():
        files = []
        for i, photo in enumerate(photos[:2]):
            upload = io.BytesIO(photo)
            upload.name = f"{i}.jpg"
            files.append(upload)
        response = client.post(API_PATH, {"data": data_json(pledge), "photos": files})
        if response.status_code != 201:
            raise SystemExit(f"in-process submission answered {response.status_code}: {response.content[:300]!r}")

    for _ in range(3):
        one()  # imports, connection, caches
    with CaptureQueriesContext(connection) as queries:
        one()
    captured = list(queries.captured_queries)  # now: the next request clears the log
    query_count = len(captured)
    database = database_cpu_seconds()
    cpu = time.process_time()
    for _ in range(n):
        one()
    cpu = (time.process_time() - cpu) / n
    database = (database_cpu_seconds() - database) / n if database is not None else None
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [one() for _ in range(n)])
    stats = pstats.Stats(profiler)
    total = stats.total_tt / n
    own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:6]
    print(f"in-process submission (2 photos, {len(photos[0]) // 1024} KB each): {query_count} "
          f"queries, CPU {cpu * 1000:.1f} ms (process time, mean of {n})"
          + (f" + PostgreSQL backend {database * 1000:.1f} ms" if database is not None else "")
          + f"; cProfile total {total * 1000:.1f} ms, {stats.total_calls / n:,.0f} function calls, "
          "most own time: " + "; ".join(f"{name[2]} {tt / n * 1000:.1f} ms" for name, (_cc, _nc, tt, _ct, _c) in own))
    if top:
        print(f"by cumulative time (ms per submission, calls per submission), top {top}:")
        for (path, line, name), (_cc, calls, _tt, ct, _c) in sorted(
                stats.stats.items(), key=lambda item: item[1][3], reverse=True)[:top]:
            where = path.replace(str(ROOT) + "/", "").rsplit("site-packages/", 1)[-1]
            print(f"  {ct / n * 1000:7.2f} ms {calls / n:6.1f}x  {name}  ({where}:{line})")
        print("queries of one submission:")
        for query in captured:
            print(f"  {query['sql'][:160]}")


def database_cpu_seconds() -> float | None:
    """CPU time (user + system) of this connection's PostgreSQL backend process so far, when the
    server runs on this machine (/proc); None otherwise (SQLite, a remote server)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def big_video(tmp: Path, megabytes: int) -> Path:
    clip = tmp / "clip.mp4"
    from datetime import datetime

    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
                    "-t", "2", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-metadata",
                    f"creation_time={stamp}", str(clip)], check=True)
    video = tmp / "big.mp4"
    with open(video, "wb") as out, open(clip, "rb") as src:
        shutil.copyfileobj(src, out)
        out.write(b"\0" * (megabytes * 1024 * 1024 - clip.stat().st_size))  # 'free'-like padding
    return video


def video_memory(token, pledge, server, tmp: Path, megabytes: int):
    video = big_video(tmp, megabytes)
    pids = worker_pids(server.pid)
    baseline = {pid: rss_kb(pid) for pid in pids}
    peak = dict(baseline)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_kb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    status, seconds, content = post(token, {"data": data_json(pledge)},
                                    [("video", "big.mp4", str(video), video.stat().st_size)])
    done.set()
    sampler.join()
    if status != 201:
        raise SystemExit(f"video upload answered HTTP {status}, not 201: {content[:300]!r}")
    growth = max(peak[pid] - baseline[pid] for pid in pids) / 1024
    flags = json.loads(content).get("flags", [])
    print(f"video: {video.stat().st_size / 1048576:.0f} MB upload → HTTP {status} in {seconds:.1f} s; "
          f"worker RSS growth peak {growth:.1f} MB (target ≤ 64 MB); report flags {flags}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--video-mb", type=int, default=199)
    parser.add_argument("--profile", type=int, default=20, help="in-process submissions profiled (0: none)")
    parser.add_argument("--profile-only", action="store_true",
                        help="phase 0 only (queries and CPU of one submission, in-process); no server is started")
    parser.add_argument("--profile-top", type=int, default=0,
                        help="with --profile: also print this many functions by cumulative time")
    parser.add_argument("--copies-timeout", type=float, default=900,
                        help="seconds to wait for a phase's copies before going on (a busy machine starves the worker)")
    args = parser.parse_args()
    global COPIES_TIMEOUT
    COPIES_TIMEOUT = args.copies_timeout
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    token = setup_django()
    global RUN_STARTED  # noqa: PLW0603
    from django.utils import timezone

    RUN_STARTED = timezone.now()
    from django.conf import settings

    from gongshang.quickreports import content

    photos = [jpeg(i) for i in range(4)]
    phone = [jpeg(i, size=(4000, 3000), quality=80) for i in range(2)]
    database = settings.DATABASES["default"]
    print(f"settings {os.environ['DJANGO_SETTINGS_MODULE']}, DEBUG {settings.DEBUG}, {database['ENGINE']} "
          f"(CONN_MAX_AGE {database['CONN_MAX_AGE']}), cache {settings.CACHES['default']['BACKEND']}, "
          f"gunicorn {args.workers} sync workers, {args.concurrency} clients; load {os.getloadavg()[0]:.2f}")
    if args.profile:
        profile_submission(token, content.PLEDGE_VERSION, photos, args.profile, top=args.profile_top)
    if args.profile_only:
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(args.workers, env)
        worker = start_worker(env)
        try:
            warm_up(token, content.PLEDGE_VERSION, photos, args.concurrency)
            bare = bare_rate(max(400, args.reports * 2), args.concurrency)
            started = time.perf_counter()
            concurrent_reports(token, content.PLEDGE_VERSION, photos, args.reports, args.concurrency, bare)
            wait_for_copies(started)
            started = time.perf_counter()
            concurrent_reports(token, content.PLEDGE_VERSION, phone, max(20, args.reports // 4), args.concurrency,
                               bare)
            wait_for_copies(started)
            video_memory(token, content.PLEDGE_VERSION, server, Path(tmp), args.video_mb)
            print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        finally:
            for process in (server, worker):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
