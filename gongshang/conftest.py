"""Fixtures shared by every app's tests: accounts of each audience and API helpers."""

import pytest
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
