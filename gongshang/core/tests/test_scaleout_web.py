"""The web tier scaled out: two gunicorn processes on one PostgreSQL database and one Redis share
sessions (a login on one is valid on the other) and the cache-backed limits (core.ratelimit: the
login failure counter per client counts the failures made on both)."""

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from gongshang.accounts.tests.factories import PASSWORD, EmployerUserFactory
from gongshang.core.tests.ports import unused_port
from gongshang.registry.tests.factories import EmployerFactory

ROOT = Path(__file__).resolve().parents[3]
# Tests use their own Redis database, apart from a development server's queues and cache.
REDIS_URL = "redis://127.0.0.1:6379/15"
IP_FAILURE_LIMIT = 4
requests = pytest.importorskip("requests")



def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_URL} (start it: redis-server --daemonize yes)")
    for key in client.scan_iter("*login-fail-*"):
        client.delete(key)
    yield client
    for key in client.scan_iter("*login-fail-*"):
        client.delete(key)
    client.close()


@pytest.fixture
def two_servers(redis_client, tmp_path):
    """Two gunicorn processes (one sync worker each) on the test database, with REDIS_URL set."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the SQLite test database lives in this process's memory, where no "
                    "gunicorn process can see it (and app servers on several hosts need a network database)")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists() and not shutil.which("gunicorn"):
        pytest.skip("gunicorn is not installed (pip install -e '.[test]')")
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
           "DJANGO_SETTINGS_MODULE": "gongshang.core.tests.scaleout_settings",
           "DATABASE_URL": database_url(), "REDIS_URL": REDIS_URL,
           "LOGIN_IP_FAILURE_LIMIT": str(IP_FAILURE_LIMIT), "LOG_LEVEL": "WARNING"}
    servers, urls = [], []
    try:
        for index in range(2):
            port = unused_port()
            log = open(tmp_path / f"gunicorn-{index}.log", "wb")  # noqa: SIM115 (closed with the process)
            servers.append((subprocess.Popen(
                [str(gunicorn if gunicorn.exists() else shutil.which("gunicorn")), "config.wsgi:application",
                 "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "120"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
            urls.append(f"http://127.0.0.1:{port}")
        for (server, _), url in zip(servers, urls, strict=True):
            wait_until_up(server, url, tmp_path)
        yield urls
    finally:
        for server, _log in servers:
            server.terminate()
        for server, log in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def wait_until_up(server, url: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            logs = "\n".join(path.read_text(errors="replace")[-2000:] for path in tmp_path.glob("gunicorn-*.log"))
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{logs}")
        try:
            if requests.get(f"{url}/accounts/login/", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn at {url} did not answer within 180 s")


def form_fields(html: str) -> dict:
    fields = {}
    for name in ("csrfmiddlewaretoken", "captcha_0"):
        match = re.search(rf'name="{name}" value="([^"]+)"', html) or re.search(
            rf'value="([^"]+)" name="{name}"', html)
        assert match, f"{name} not on the login page"
        fields[name] = match.group(1)
    return fields


@pytest.mark.django_db(transaction=True)
def test_a_session_made_on_one_server_is_valid_on_the_other(two_servers, redis_client):
    first, second = two_servers
    employer = EmployerFactory(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司", region="370200")
    EmployerUserFactory(employer=employer, username=employer.uscc, is_primary_handler=True)
    browser = requests.Session()
    assert browser.get(f"{second}/employer/", allow_redirects=False).status_code == 302  # not signed in yet

    page = browser.get(f"{first}/accounts/login/employer/")
    answer = browser.post(f"{first}/accounts/login/employer/", allow_redirects=False,
                          headers={"Referer": f"{first}/accounts/login/employer/"},
                          data={**form_fields(page.text), "username": employer.uscc, "password": PASSWORD,
                                "captcha_1": "PASSED"})
    assert answer.status_code == 302, answer.text[:2000]

    home = browser.get(f"{second}/employer/", allow_redirects=False)
    assert home.status_code == 200
    assert "青岛海川机械制造有限公司" in home.text
    # The session is in Redis and, written through, in the database.
    session_key = browser.cookies["sessionid"]
    assert any(session_key in key.decode() for key in redis_client.scan_iter("*sessions*"))
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=session_key).exists()

    # Signing out on the second ends the session on the first.
    page = browser.get(f"{second}/employer/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    browser.post(f"{second}/accounts/logout/", data={"csrfmiddlewaretoken": token},
                 headers={"Referer": f"{second}/employer/"}, allow_redirects=False)
    assert browser.get(f"{first}/employer/", allow_redirects=False).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_login_failure_counter_counts_across_servers(two_servers, redis_client):
    """Failed logins alternate between the servers, each under another account (no per-account
    lockout): the client's counter is shared, so the attempt past the limit is refused (429)
    although neither server saw more than half of the failures."""
    statuses = []
    for attempt in range(IP_FAILURE_LIMIT + 1):
        server = two_servers[attempt % 2]
        answer = requests.post(f"{server}/api/v1/auth/token", timeout=30,
                               json={"username": f"91370200MA3C5UWK{attempt:02d}", "password": "wrong-password"})
        statuses.append(answer.status_code)
    assert statuses == [401] * IP_FAILURE_LIMIT + [429], statuses
    assert "登录失败次数过多" in answer.json()["message"]
    assert any(b"login-fail-ip" in key for key in redis_client.scan_iter("*login-fail-ip*"))
