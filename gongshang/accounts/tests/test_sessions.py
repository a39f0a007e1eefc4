"""Sessions on a shared cache with the database behind it: while the cache (Redis) is unreachable a
signed-in user keeps working and can sign out; nothing answers 500."""


import pytest
from django.contrib.sessions.models import Session

from gongshang.accounts.sessions import SessionStore
from gongshang.accounts.tests.factories import EmployerUserFactory
from gongshang.core.tests.ports import unused_port
from gongshang.registry.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def redis_down(settings):
    pytest.importorskip("redis")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{unused_port()}/0"}}
    settings.SESSION_ENGINE = "gongshang.accounts.sessions"


@pytest.fixture
def employer_user():
    employer = EmployerFactory(uscc="91370200MA3C5UWK4C", name="青岛海川机械制造有限公司", region="370200")
    return EmployerUserFactory(employer=employer, username=employer.uscc, is_primary_handler=True)


def test_a_signed_in_user_keeps_working_and_signs_out_while_the_cache_is_down(redis_down, client, employer_user):
    client.force_login(employer_user)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()

    page = client.get("/employer/")
    assert page.status_code == 200 and "青岛海川机械制造有限公司" in page.content.decode()

    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/employer/").status_code == 302  # signed out


def test_the_store_reads_the_database_when_the_cache_fails(redis_down):
    store = SessionStore()
    store["k"] = "v"
    store.save()
    again = SessionStore(store.session_key)
    assert again["k"] == "v" and again.exists(store.session_key)
    again.delete()
    assert not SessionStore().exists(store.session_key)
