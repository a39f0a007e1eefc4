"""Fixtures shared by every app's tests: accounts of each audience and API helpers.

GONGSHANG_TEST_TODAY=YYYY-MM-DD runs the whole session as if that day had come (10:00 Asia/Shanghai,
the clock ticking from there), so CI can prove that no test depends on the day it runs; a time may
follow (2027-02-10T23:59) to try the hours around midnight. Tests about particular days pin their own
clock (@pytest.mark.time_machine), which takes precedence.
"""

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp

from gongshang.accounts.tests.factories import (
    EmployerUserFactory,
    IndividualUserFactory,
    StaffUserFactory,
)
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

# The Playwright set-up (Debian chromium, phone viewport, screenshots) for every app's e2e tests.
from gongshang.web.tests.conftest import (  # noqa: F401
    browser_context_args,
    browser_type_launch_args,
    screenshot_dir,
)

PASSWORD = "Demo@2026"
TODAY_ENV = "GONGSHANG_TEST_TODAY"
SHANGHAI = ZoneInfo("Asia/Shanghai")
_session_travel: time_machine.travel | None = None


def session_start(value: str) -> datetime:
    """2027-02-10 → 10:00 that day in Asia/Shanghai; 2027-02-10T23:59 → that local time."""
    try:
        if len(value) == len("2027-02-10"):
            return datetime.combine(date.fromisoformat(value), time(10), SHANGHAI)
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise pytest.UsageError(f"{TODAY_ENV}={value!r}: expected a date such as 2027-02-10 "
                                "(optionally with a time, 2027-02-10T23:59)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def pytest_configure(config):
    """Start the session-wide travel before collection, so parameters built at import time see it."""
    global _session_travel
    value = os.environ.get(TODAY_ENV, "").strip()
    if value and _session_travel is None:
        _session_travel = time_machine.travel(session_start(value), tick=True)
        _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    if _session_travel is not None:
        start = session_start(os.environ[TODAY_ENV].strip())
        return f"clock: {TODAY_ENV}, the session starts at {start:%Y-%m-%d %H:%M %Z} and ticks on"
    return None


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and login-failure counters live in the cache: every test starts without any."""
    cache.clear()
    yield


def current_totp(user) -> str:
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def staff_factory(db):
    def make(*roles, jurisdiction="370200", **kwargs):
        return StaffUserFactory(roles=list(roles), jurisdiction=jurisdiction, **kwargs)

    return make


@pytest.fixture
def employer_a(db):
    return EmployerFactory(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司")


@pytest.fixture
def employer_b(db):
    return EmployerFactory(uscc="91370211MA3D8QXL2Y", name="青岛黄岛港湾物流有限公司")


@pytest.fixture
def employer_user_a(employer_a):
    return EmployerUserFactory(employer=employer_a, username=employer_a.uscc, is_primary_handler=True)


@pytest.fixture
def employer_user_b(employer_b):
    return EmployerUserFactory(employer=employer_b, username=employer_b.uscc, is_primary_handler=True)


@pytest.fixture
def zhang_wei(employer_a):
    person = InsuredPersonFactory(id_number="370202198803151237", name="张伟", mobile="13900000001")
    EnrolmentFactory(person=person, employer=employer_a)
    return person


@pytest.fixture
def li_na(employer_b):
    person = InsuredPersonFactory(id_number="370211199207084569", name="李娜", mobile="13900000002")
    EnrolmentFactory(person=person, employer=employer_b)
    return person


@pytest.fixture
def individual_user(db):
    return IndividualUserFactory()


@pytest.fixture
def api_client():
    return Client()


@pytest.fixture
def token_for(api_client):
    """Issue a real API token through POST /api/v1/auth/token and return the header dict."""

    def issue(user, password=PASSWORD):
        body = {"username": user.username, "password": password}
        if user.kind == "staff":
            body["otp"] = current_totp(user)
        response = api_client.post("/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return issue
