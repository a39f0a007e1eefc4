"""The reporting read replica: the router's decisions, the marked report pages, and a real streaming
standby (two throwaway PostgreSQL instances started here) proving where each query runs."""

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.urls import resolve, reverse

from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.cases.models import InjuryCase
from gongshang.core.db import routers
from gongshang.core.db.routers import (
    REPLICA,
    ReportingReplicaRouter,
    in_reporting,
    reporting,
    reporting_view,
)
from gongshang.core.models import AuditEvent, HolidayOverride, PiiAccessLog
from gongshang.service.api import dashboard as dashboard_api
from gongshang.service.api import prevention as prevention_api
from gongshang.service.api import ratings as ratings_api
from gongshang.service.models import Rating

router = ReportingReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A `replica` alias in the settings (the router only looks whether it exists)."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(settings.DATABASES[DEFAULT_DB_ALIAS]))


# --- the router's decisions ------------------------------------------------------------------------------

def test_reads_outside_a_reporting_block_stay_on_the_primary(with_replica):
    assert not in_reporting()
    assert router.db_for_read(InjuryCase) == DEFAULT_DB_ALIAS


def test_report_reads_go_to_the_replica_inside_a_reporting_block(with_replica):
    with reporting():
        assert in_reporting()
        assert router.db_for_read(InjuryCase) == REPLICA
        assert router.db_for_read(Rating) == REPLICA
        assert router.db_for_read(HolidayOverride) == REPLICA
    assert not in_reporting()
    assert router.db_for_read(InjuryCase) == DEFAULT_DB_ALIAS


@pytest.mark.parametrize("model", [User, StaffRoleAssignment, Session, AuditEvent, PiiAccessLog])
def test_sessions_accounts_and_audit_stay_on_the_primary_inside_a_block(with_replica, model):
    with reporting():
        assert router.db_for_read(model) == DEFAULT_DB_ALIAS


def test_a_write_in_a_block_goes_to_the_primary_and_pins_the_rest_of_the_block(with_replica):
    with reporting():
        assert router.db_for_read(InjuryCase) == REPLICA
        assert router.db_for_write(HolidayOverride) == DEFAULT_DB_ALIAS
        assert router.db_for_read(InjuryCase) == DEFAULT_DB_ALIAS
    with reporting():  # a new block starts on the replica again
        assert router.db_for_read(InjuryCase) == REPLICA


def test_writes_always_name_the_primary_when_a_replica_exists(with_replica):
    """Without it Django would write an object back to the alias it was read from."""
    assert router.db_for_write(InjuryCase) == DEFAULT_DB_ALIAS
    instance = InjuryCase()
    instance._state.db = REPLICA
    assert router.db_for_write(InjuryCase, instance=instance) == DEFAULT_DB_ALIAS


def test_nested_blocks_share_the_outer_one(with_replica):
    with reporting():
        with reporting():
            router.db_for_write(HolidayOverride)
        assert in_reporting()
        assert router.db_for_read(InjuryCase) == DEFAULT_DB_ALIAS  # the inner write pins the outer block


def test_without_a_replica_nothing_changes():
    assert REPLICA not in settings.DATABASES
    with reporting():
        assert router.db_for_read(InjuryCase) is None
        assert router.db_for_write(InjuryCase) is None
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases") is None


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    """The test runs inside a transaction on the primary, like an atomic block of a service."""
    with reporting():
        assert router.db_for_read(InjuryCase) == DEFAULT_DB_ALIAS


def test_rows_reached_from_a_replica_row_follow_the_block_not_the_row(with_replica, settings):
    """Django reads a related row (case.created_by, case.employer) from the alias of the row it starts
    from unless a router names one: a user reached from a replica row, or any row after the block
    wrote, must still come from the primary."""
    from django.db import router as django_router

    settings.DATABASE_ROUTERS = ["gongshang.core.db.routers.ReportingReplicaRouter"]
    case = InjuryCase()
    case._state.db = REPLICA
    with reporting():
        assert django_router.db_for_read(InjuryCase, instance=case) == REPLICA
        assert django_router.db_for_read(User, instance=case) == DEFAULT_DB_ALIAS
        router.db_for_write(HolidayOverride)
        assert django_router.db_for_read(InjuryCase, instance=case) == DEFAULT_DB_ALIAS
    assert django_router.db_for_read(InjuryCase, instance=case) == DEFAULT_DB_ALIAS


def test_the_standby_is_never_migrated_and_relations_across_the_pair_are_allowed():
    assert router.allow_migrate(REPLICA, "cases") is False
    a, b, c = InjuryCase(), InjuryCase(), InjuryCase()
    a._state.db, b._state.db, c._state.db = DEFAULT_DB_ALIAS, REPLICA, "other"
    assert router.allow_relation(a, b) is True
    assert router.allow_relation(a, c) is None


def test_the_view_decorator_wraps_the_view_and_always_leaves_the_block():
    seen = []

    @reporting_view
    def view(request, pk):
        seen.append((in_reporting(), pk))
        if pk == 2:
            raise ValueError("boom")
        return "ok"

    assert view(None, 1) == "ok" and seen == [(True, 1)]
    with pytest.raises(ValueError):
        view(None, 2)
    assert not in_reporting()
    assert view.reads_replica is True and view.__name__ == "view"


def _flaky_view(calls):
    """Fails like an unreachable replica while its reads would go there."""

    @reporting_view
    def view(request):
        target = router.db_for_read(InjuryCase)
        calls.append(target)
        if target == REPLICA:
            raise OperationalError("connection to server failed")
        return "answered"

    return view


def test_a_failed_replica_answers_the_report_from_the_primary(with_replica, monkeypatch, caplog):
    monkeypatch.setattr(routers, "replica_failed", lambda: True)
    calls = []
    assert _flaky_view(calls)(None) == "answered"
    assert calls == [REPLICA, DEFAULT_DB_ALIAS]
    assert "read replica failed" in caplog.text


def test_an_error_of_the_primary_is_not_retried(with_replica, monkeypatch):
    monkeypatch.setattr(routers, "replica_failed", lambda: False)
    calls = []
    with pytest.raises(OperationalError):
        _flaky_view(calls)(None)
    assert calls == [REPLICA]


# --- the marked report pages -----------------------------------------------------------------------------

REPORT_PAGES = [
    reverse("service:dashboard"), reverse("service:dashboard_export", args=["csv"]),
    reverse("service:rating_report"), reverse("service:rating_report_export", args=["xlsx"]),
    reverse("service:prevention_report"), reverse("service:prevention_report_csv"),
    reverse("medical:outliers"), reverse("appraisal:publications"),
]
REPORT_OPERATIONS = [dashboard_api.get_dashboard, prevention_api.report, ratings_api.report]
# Pages right after a write of the same user (read-your-writes), or whose reads feed a write.
PRIMARY_PAGES = [
    reverse("integrations:report_list"), reverse("integrations:report_new"), reverse("web:staff_home"),
    reverse("appraisal:publications_staff"), reverse("service:rating_followups"),
]


@pytest.mark.parametrize("url", REPORT_PAGES)
def test_report_pages_read_the_replica(url):
    assert getattr(resolve(url).func, "reads_replica", False), f"{url} is not marked @reporting_view"


@pytest.mark.parametrize("operation", REPORT_OPERATIONS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_report_api_operations_read_the_replica(operation):
    assert getattr(operation, "reads_replica", False)


@pytest.mark.parametrize("url", PRIMARY_PAGES)
def test_pages_acting_on_fresh_data_stay_on_the_primary(url):
    assert not getattr(resolve(url).func, "reads_replica", False)


# --- a real streaming standby ----------------------------------------------------------------------------

PG_BIN = Path(os.environ.get("GONGSHANG_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parents[3]
PROBE = r'''
import json, time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import django
import time_machine

django.setup()
from django.db import connections
from django.db.utils import Error
from django.test import Client
from django.urls import reverse

from gongshang.cases.models import InjuryCase
from gongshang.core.db.routers import reporting
from gongshang.core.models import HolidayOverride
from gongshang.service.tests.factories_dashboard import dashboard_world

primary, replica = connections["default"], connections["replica"]
log = []


def recorder(alias):
    def wrapper(execute, sql, params, many, context):
        log.append((alias, sql))
        return execute(sql, params, many, context)
    return wrapper


def scalar(conn, sql, params=()):
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def caught_up():
    """Wait until the standby has replayed everything the primary wrote so far."""
    lsn = scalar(primary, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 30
    while not scalar(replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        if time.monotonic() > deadline:
            raise SystemExit("the standby did not catch up within 30 s")
        time.sleep(0.05)


def recorded(call):
    log.clear()
    with primary.execute_wrapper(recorder("default")), replica.execute_wrapper(recorder("replica")):
        result = call()
    return result, list(log)


def tables(entries, alias):
    return sorted({word.strip('",()') for a, sql in entries if a == alias for word in sql.split()
                   if word.strip('",()').split("_")[0] in {"cases", "service", "recognition", "benefits", "appraisal",
                                                        "medical", "accounts", "django", "core", "auth"}
                   and "." not in word})


out = {"recovery": {"default": scalar(primary, "SELECT pg_is_in_recovery()"),
                    "replica": scalar(replica, "SELECT pg_is_in_recovery()")}}
with time_machine.travel(datetime(2026, 11, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
    world = dashboard_world()
    caught_up()
    client = Client()
    client.force_login(world.leader)
    xact_before = scalar(replica, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")

    response, entries = recorded(lambda: client.get(reverse("service:dashboard")))
    out["report_page"] = {"status": response.status_code, "replica": tables(entries, "replica"),
                          "default": tables(entries, "default"),
                          "replica_queries": sum(a == "replica" for a, _ in entries),
                          "shows_figures": "66.7" in response.content.decode()}
    response, entries = recorded(lambda: client.get(reverse("service:dashboard_export", args=["csv"])))
    out["report_export"] = {"status": response.status_code, "replica_queries": sum(a == "replica" for a, _ in entries)}

    response, entries = recorded(lambda: client.get(reverse("web:staff_home")))
    out["other_page"] = {"status": response.status_code, "replica_queries": sum(a == "replica" for a, _ in entries),
                         "default_queries": sum(a == "default" for a, _ in entries)}
    _, entries = recorded(lambda: InjuryCase.objects.count())
    out["outside_block"] = sorted({a for a, _ in entries})

    def write_in_block():
        with reporting():
            first = InjuryCase.objects.count()
            HolidayOverride.objects.create(date=date(2031, 1, 2), is_workday=False, name="测试")
            second = InjuryCase.objects.count()
            return first, second
    counts, entries = recorded(write_in_block)
    out["write_in_block"] = {
        "counts": list(counts),
        "sequence": [(a, sql.split()[0].upper()) for a, sql in entries if "core_holidayoverride" in sql
                     or "cases_injurycase" in sql],
        "replica_writes": [sql for a, sql in entries if a == "replica" and sql.split()[0].upper() in
                           {"INSERT", "UPDATE", "DELETE"}]}
    try:
        with replica.cursor() as cursor:
            cursor.execute("DELETE FROM core_holidayoverride")
        out["standby_refuses_writes"] = False
    except Error as exc:
        out["standby_refuses_writes"] = "read-only" in str(exc)
    started = time.monotonic()
    while not HolidayOverride.objects.using("replica").filter(date=date(2031, 1, 2)).exists():
        time.sleep(0.01)
    out["replication_lag_ms"] = round((time.monotonic() - started) * 1000)
    out["replica_xacts"] = scalar(replica, "SELECT xact_commit FROM pg_stat_database "
                                  "WHERE datname = current_database()") - xact_before
print("PROBE " + json.dumps(out, ensure_ascii=False))
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres() -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres account then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root without a 'postgres' account: initdb cannot run")
    if not shutil.which("runuser"):
        pytest.skip("running as root without runuser: initdb cannot run as the postgres account")
    return ["runuser", "-u", "postgres", "--"]


def _run(args, what, log=None):
    done = subprocess.run(args, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        tail = (log.read_text()[-800:] if log and log.exists() else "") or (done.stderr or done.stdout)[-800:]
        pytest.skip(f"second PostgreSQL instance: {what} failed: {tail.strip()}")
    return done


@pytest.fixture(scope="module")
def streaming_pair():
    """A fresh primary (wal_level=replica) and a pg_basebackup -R standby streaming from it, each in a
    temp dir on a free port; both stopped and removed afterwards. Never touches the machine's cluster."""
    missing = [n for n in ("initdb", "pg_ctl", "pg_basebackup", "postgres", "psql") if not (PG_BIN / n).exists()]
    if missing:
        pytest.skip(f"PostgreSQL server binaries missing in {PG_BIN}: {', '.join(missing)} "
                    "(set GONGSHANG_PG_BIN to their directory)")
    prefix = _as_postgres()
    base = Path(tempfile.mkdtemp(prefix="gongshang-replica-"))
    if prefix:
        shutil.chown(base, "postgres", "postgres")
    primary, standby = base / "primary", base / "standby"
    p_port, s_port = _free_port(), _free_port()
    started = []
    try:
        _run([*prefix, PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8"], "initdb")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {p_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\n"
                       "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n"
                       "synchronous_commit = off\nshared_buffers = 16MB\nmax_connections = 30\n")
        _run([*prefix, PG_BIN / "pg_ctl", "-D", primary, "-l", base / "primary.log", "-w", "-t", "60", "start"],
             "starting the primary", base / "primary.log")
        started.append(primary)
        _run([*prefix, PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres", "-qc",
              "CREATE DATABASE gongshang"], "creating the database")
        _run([*prefix, PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres",
              "-D", standby, "-R", "-X", "stream", "-c", "fast"], "pg_basebackup")
        with open(standby / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {s_port}\n")
        _run([*prefix, PG_BIN / "pg_ctl", "-D", standby, "-l", base / "standby.log", "-w", "-t", "60", "start"],
             "starting the standby", base / "standby.log")
        started.append(standby)
        yield {"primary": f"postgres://postgres@127.0.0.1:{p_port}/gongshang",
               "standby": f"postgres://postgres@127.0.0.1:{s_port}/gongshang"}
    finally:
        for data in reversed(started):
            subprocess.run([*prefix, PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


def _manage_env(pair, *, replica: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=pair["primary"], PYTHONPATH=str(ROOT))
    if replica:
        env["DATABASE_REPLICA_URL"] = pair["standby"]
    return env


@pytest.fixture(scope="module")
def probe(streaming_pair):
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                             env=_manage_env(streaming_pair, replica=True), capture_output=True, text=True,
                             timeout=600)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=_manage_env(streaming_pair, replica=True),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("PROBE "))
    result = json.loads(line.removeprefix("PROBE "))
    result["seconds"] = round(time.monotonic() - started, 1)
    print("replica probe:", json.dumps(result, ensure_ascii=False))
    return result


def test_the_replica_connection_is_the_standby(probe):
    assert probe["recovery"] == {"default": False, "replica": True}


def test_a_report_page_reads_the_standby(probe):
    page = probe["report_page"]
    assert page["status"] == 200 and page["shows_figures"]
    assert page["replica_queries"] > 5
    assert {"cases_injurycase", "recognition_recognitionapplication", "service_rating"} <= set(page["replica"])
    # Who is signed in and may see the page: always the primary.
    assert not [t for t in page["replica"] if t.startswith(("django_session", "accounts_", "auth_"))]
    assert "django_session" in page["default"] and "accounts_user" in page["default"]
    assert probe["replica_xacts"] > 0
    assert probe["report_export"]["status"] == 200 and probe["report_export"]["replica_queries"] > 5


def test_other_pages_and_reads_use_the_primary(probe):
    assert probe["other_page"]["status"] == 200
    assert probe["other_page"]["replica_queries"] == 0 and probe["other_page"]["default_queries"] > 0
    assert probe["outside_block"] == ["default"]


def test_a_write_on_a_reporting_path_never_reaches_the_standby(probe):
    write = probe["write_in_block"]
    assert write["replica_writes"] == []
    assert write["sequence"] == [["replica", "SELECT"], ["default", "INSERT"], ["default", "SELECT"]]
    assert write["counts"][0] == write["counts"][1]
    assert probe["standby_refuses_writes"] is True


PROBE_DOWN = r'''
import json, logging
from datetime import datetime
from zoneinfo import ZoneInfo

import django
import time_machine

django.setup()
from django.test import Client
from django.urls import reverse

from gongshang.accounts.models import User

warnings = []
handler = logging.Handler()
handler.emit = lambda record: warnings.append(record.getMessage())
logging.getLogger("gongshang.core.db.routers").addHandler(handler)
with time_machine.travel(datetime(2026, 11, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
    client = Client()
    client.force_login(User.objects.get(display_name="韩领导"))
    response = client.get(reverse("service:dashboard"))
print("PROBE " + json.dumps({"status": response.status_code, "figures": "66.7" in response.content.decode(),
                             "warned": any("read replica failed" in w for w in warnings)}))
'''


def test_a_report_page_answers_from_the_primary_when_the_standby_is_unreachable(streaming_pair, probe):
    pair = {**streaming_pair, "standby": f"postgres://postgres@127.0.0.1:{_free_port()}/gongshang?connect_timeout=2"}
    done = subprocess.run([sys.executable, "-c", PROBE_DOWN], cwd=ROOT, env=_manage_env(pair, replica=True),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("PROBE "))
    assert json.loads(line.removeprefix("PROBE ")) == {"status": 200, "figures": True, "warned": True}
