"""`scale.py measure`: p50/p95/max and queries per request of every large list, page and API.

Real users from the build (scale_intake, scale_benefits, scale_audit, the big employer's primary
handler) are logged in with force_login (pages) and a bearer token from the token service (API);
requests run in-process through django.test.Client against the database of DATABASE_URL. Each
list gets `warmup` requests, then `requests` measured ones whose parameters vary (persons, pages,
filters, cases, date ranges) so that no single cached row is measured.
"""

import random
import signal
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SEED = 16


@dataclass(eq=False)
class Scenario:
    name: str
    channel: str  # "页面" or "API"
    user: str
    url: object  # i → path with query
    times: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    slowest: tuple = (0.0, "", [])  # (seconds, url, captured queries)
    errors: list = field(default_factory=list)


class Data:
    """Parameters sampled from the data set: persons, names, cases, actors, the run."""

    def __init__(self):
        from gongshang.accounts.models import User
        from gongshang.benefits.models import Entitlement, PayrollRun
        from gongshang.cases.models import InjuryCase
        from gongshang.registry.models import Enrolment, InsuredPerson

        rnd = random.Random(SEED)
        self.users = {key: User.objects.get(username=f"scale_{key}") for key in ("intake", "benefits", "audit")}
        self.users["employer"] = User.objects.filter(kind="employer", is_primary_handler=True).order_by("pk").first()
        employer_id = self.users["employer"].employer_id
        low, high = _bounds(InsuredPerson)
        ids = rnd.sample(range(low, high + 1), min(400, high - low + 1))
        people = list(InsuredPerson.objects.filter(pk__in=ids, region="370200").only("id_number", "name")[:300])
        self.staff_persons = [(p.id_number, p.name) for p in people]
        own = list(Enrolment.objects.filter(employer_id=employer_id).values_list("person_id", flat=True)[:5000])
        self.employee_persons = [(p.id_number, p.name) for p in
                                 InsuredPerson.objects.filter(pk__in=rnd.sample(own, min(300, len(own))))
                                 .only("id_number", "name")]
        low, high = _bounds(InjuryCase)
        case_ids = rnd.sample(range(low, high + 1), min(2000, high - low + 1))
        self.cases = list(InjuryCase.objects.filter(pk__in=case_ids, region="370200").values_list("pk", flat=True))
        self.entitled_cases = list(Entitlement.objects.filter(region="370200").order_by("?")
                                   .values_list("case_id", flat=True)[:300])
        self.actors = list(User.objects.filter(username__startswith="scale_staff_").values_list("username", flat=True))
        self.run_id = PayrollRun.objects.filter(region="370200").order_by("-period").values_list("pk", flat=True)[0]
        self.rnd = rnd

    def pick(self, items, i):
        return items[(i * 7919) % len(items)]


def _bounds(model):
    from django.db.models import Max, Min

    got = model.objects.aggregate(low=Min("pk"), high=Max("pk"))
    return got["low"], got["high"]


def _q(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in ("", None)}
    return f"{path}?{urlencode(params)}" if params else path


def scenarios(d: Data) -> list[Scenario]:
    enrol = ["", "active", "suspended", "terminated"]
    payment = ["", "paid", "owed", "none"]
    identity = ["", "employee", "migrant_worker", "dispatched", "intern"]
    views = ["unallocated", "mine", "open", "expired"]
    day0 = date(2021, 1, 1)

    def roster(i, **extra):
        return _q("/registry/roster/", page=1 + i % 5, **extra)

    def date_range(i):
        start = day0 + timedelta(days=(i * 7919) % 2100)
        return {"date_from": start.isoformat(), "date_to": (start + timedelta(days=1 + i % 30)).isoformat()}

    out = [
        Scenario("花名册（无筛选）", "页面", "employer", lambda i: roster(i)),
        Scenario("花名册 按参保状态", "页面", "employer", lambda i: roster(i, status=enrol[1 + i % 3])),
        Scenario("花名册 按缴费状态", "页面", "employer", lambda i: roster(i, payment=payment[1 + i % 3])),
        Scenario("花名册 按参保身份", "页面", "employer", lambda i: roster(i, identity=identity[1 + i % 4])),
        Scenario("花名册 按身份证号", "页面", "employer", lambda i: roster(0, q=d.pick(d.employee_persons, i)[0])),
        Scenario("花名册 按姓名", "页面", "employer", lambda i: roster(0, q=d.pick(d.employee_persons, i)[1])),
        Scenario("花名册 组合筛选", "API", "employer",
                 lambda i: _q("/api/v1/registry/employees", status=enrol[i % 4], payment=payment[i % 4],
                              identity=identity[i % 5], limit=50, offset=50 * (i % 5))),
        Scenario("花名册 按身份证号", "API", "employer",
                 lambda i: _q("/api/v1/registry/employees", q=d.pick(d.employee_persons, i)[0])),
        Scenario("花名册 按姓名", "API", "employer",
                 lambda i: _q("/api/v1/registry/employees", q=d.pick(d.employee_persons, i)[1])),
        Scenario("个人查询 按身份证号（经办）", "页面", "intake",
                 lambda i: _q("/registry/persons/", q=d.pick(d.staff_persons, i)[0])),
        Scenario("个人查询 按姓名（经办）", "页面", "intake",
                 lambda i: _q("/registry/persons/", q=d.pick(d.staff_persons, i)[1])),
        Scenario("个人查询 按身份证号（单位）", "页面", "employer",
                 lambda i: _q("/registry/persons/", q=d.pick(d.employee_persons, i)[0])),
        Scenario("个人查询 按姓名（单位）", "页面", "employer",
                 lambda i: _q("/registry/persons/", q=d.pick(d.employee_persons, i)[1])),
        Scenario("快报收件箱", "页面", "intake",
                 lambda i: _q("/quick-reports/inbox/", status=["", "new", "received", "case_opened"][i % 4],
                              unread="on" if i % 5 == 0 else "", page=1 + i % 5)),
        Scenario("认定队列", "页面", "intake", lambda i: f"/recognition/staff/list/{views[i % 4]}/"),
        Scenario("认定队列", "API", "intake",
                 lambda i: _q("/api/v1/recognition/queue", view=views[i % 4], limit=50, offset=50 * (i % 5))),
        Scenario("认定超期", "页面", "intake", lambda i: "/recognition/staff/overdue/"),
        Scenario("认定超期", "API", "intake",
                 lambda i: _q("/api/v1/recognition/queue", view="overdue", limit=50, offset=50 * (i % 5))),
        Scenario("审计日志 按操作人", "页面", "audit",
                 lambda i: _q("/core/audit/", actor=d.pick(d.actors, i), page=1 + i % 3)),
        Scenario("审计日志 按日期", "页面", "audit", lambda i: _q("/core/audit/", page=1 + i % 3, **date_range(i))),
        Scenario("审计日志 操作人+日期", "页面", "audit",
                 lambda i: _q("/core/audit/", actor=d.pick(d.actors, i), **date_range(i))),
        Scenario("案件页", "页面", "intake", lambda i: f"/cases/{d.pick(d.cases, i)}/"),
        Scenario("待遇列表", "页面", "benefits",
                 lambda i: _q("/benefits/entitlements/", status=["", "active", "suspended", "pending"][i % 4],
                              page=1 + i % 5)),
        Scenario("案件待遇", "API", "benefits",
                 lambda i: _q("/api/v1/benefits/entitlements", case=d.pick(d.entitled_cases, i))),
        Scenario("发放批次页", "页面", "benefits", lambda i: f"/benefits/payroll/{d.run_id}/"),
        Scenario("发放批次", "API", "benefits", lambda i: f"/api/v1/benefits/payroll-runs/{d.run_id}"),
    ]
    return out


def _clients(d: Data) -> dict:
    from gongshang.accounts.services.tokens import api_token_issue

    clients = {}
    for key, user in d.users.items():
        page = Client()
        page.force_login(user)
        token, _ = api_token_issue(user=user, label="scale.py measure")
        clients[key] = (page, {"HTTP_AUTHORIZATION": f"Bearer {token}"})
    return clients


class TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise TooSlow


def _run(s: Scenario, clients: dict, i: int, *, record: bool, timeout: float) -> None:
    page, headers = clients[s.user]
    url = s.url(i)
    connection.queries_log.clear()  # a full log (9,000 queries) would make the capture count nothing
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)  # one request of minutes must not stall the run
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = page.get(url, **(headers if s.channel == "API" else {}))
            elapsed = time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001  (TooSlow, or the view's own error: reported, the run goes on)
        signal.setitimer(signal.ITIMER_REAL, 0)
        connection.close()  # a query cut off mid-way leaves the connection unusable
        s.errors.append(f"超过 {timeout:.0f} s 未答复：{url}" if isinstance(exc, TooSlow)
                        else f"{type(exc).__name__} {url}")
        return
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if response.status_code != 200:
        s.errors.append(f"{response.status_code} {url}")
        return
    if record:
        s.times.append(elapsed)
        s.queries.append(len(captured.captured_queries))
        if elapsed > s.slowest[0]:
            s.slowest = (elapsed, url, list(captured.captured_queries))


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


AUTH_TABLES = ('"django_session"', '"accounts_apitoken"', '"accounts_user"', '"otp_', '"gongshang_cache"')


def _is_auth_lookup(sql: str) -> bool:
    """The session, token, OTP device or cache lookup every request makes: not the list's query."""
    head = sql[:400]
    return any(f"FROM {table}" in head for table in AUTH_TABLES)


def _explain(sql: str) -> str:
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return f"(not a SELECT: {sql[:200]})"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(*, requests: int, warmup: int, only: str, limit_ms: float, max_seconds: float) -> int:
    import os

    if connection.vendor != "postgresql":
        return "scale.py runs on PostgreSQL only: set DATABASE_URL"
    d = Data()
    clients = _clients(d)
    wanted = [part for part in only.split(",") if part]
    chosen = [s for s in scenarios(d) if not wanted or any(part in s.name for part in wanted)]
    load = os.getloadavg()
    print(f"database {connection.settings_dict['NAME']}, {requests} requests each after {warmup} warm-up; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    print("| 列表 | 渠道 | p50 ms | p95 ms | max ms | 查询/请求 |\n|---|---|---|---|---|---|", flush=True)
    for s in chosen:
        started = time.perf_counter()
        for i in range(warmup):
            _run(s, clients, i, record=False, timeout=max_seconds)
            if s.errors or time.perf_counter() - started > max_seconds:
                break
        for i in range(warmup, warmup + requests):
            _run(s, clients, i, record=True, timeout=max_seconds)
            if s.errors or time.perf_counter() - started > max_seconds:
                break
        if s.errors:
            print(f"| {s.name} | {s.channel} | 失败：{s.errors[0]} | | | |", flush=True)
            continue
        ms = [t * 1000 for t in s.times]
        q = statistics.median(s.queries), max(s.queries)
        cut = f"（仅 {len(ms)} 次：超过 {max_seconds:.0f} s 上限）" if len(ms) < requests else ""
        print(f"| {s.name}{cut} | {s.channel} | {_pct(ms, .5):.0f} | {_pct(ms, .95):.0f} | {max(ms):.0f} | "
              f"{q[0]:.0f}{f'–{q[1]}' if q[1] != q[0] else ''} |", flush=True)
    failed = [s for s in chosen if s.errors or (s.times and _pct(s.times, .95) * 1000 > limit_ms)]
    measured = [s for s in chosen if s.times]
    worst = max(measured, key=lambda s: s.slowest[0], default=None)
    for s in sorted({*failed, *([worst] if worst else [])}, key=lambda s: -s.slowest[0]):
        if not s.slowest[2]:
            continue
        selects = [q for q in s.slowest[2] if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
                   and not _is_auth_lookup(q["sql"])]
        query = max(selects or s.slowest[2], key=lambda q: float(q["time"]))  # not a COMMIT's fsync
        print(f"\n## {s.name}（{s.channel}）: slowest request {s.slowest[0] * 1000:.0f} ms {s.slowest[1]}, "
              f"{len(s.slowest[2])} queries; slowest query {float(query['time']) * 1000:.0f} ms:\n{query['sql'][:2000]}")
        print(_explain(query["sql"]))
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if failed:
        print(f"{len(failed)} of {len(chosen)} lists above {limit_ms:.0f} ms p95 or failing: "
              + ", ".join(f"{s.name}（{s.channel}）" for s in failed))
        return 1
    print(f"all {len(chosen)} lists within {limit_ms:.0f} ms p95")
    return 0
