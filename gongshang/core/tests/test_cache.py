"""The shared cache keeps answering while Redis is unreachable: every operation goes to the database
cache, login counters and rate limits keep counting, and sign-in answers a page, not 500."""


import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection

from config.settings.base import DATABASE_CACHE
from gongshang.core import cache as cache_module
from gongshang.core.errors import RateLimited
from gongshang.core.ratelimit import hit
from gongshang.core.tests.ports import unused_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_outages(monkeypatch):
    """What a process knew of each Redis's outages is not carried from one test to the next."""
    monkeypatch.setattr(cache_module, "_outages", {})



def fallback_caches(location: str) -> dict:
    return {
        "default": {"BACKEND": "gongshang.core.cache.FallbackRedisCache", "LOCATION": location,
                    "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
        "database": {**DATABASE_CACHE, "LOCATION": "gongshang_test_cache"},  # base.py's, on a table of its own
    }


@pytest.fixture
def redis_down(settings):
    pytest.importorskip("redis")
    settings.CACHES = fallback_caches(f"redis://127.0.0.1:{unused_port()}/0")
    call_command("createcachetable", "gongshang_test_cache", verbosity=0)
    yield caches["default"]


@pytest.fixture
def redis_get_attempts(monkeypatch) -> list:
    """Each time RedisCache.get really asks Redis, one entry."""
    attempts = []
    real = cache_module.RedisCache.get

    def counting_get(self, *args, **kwargs):
        attempts.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cache_module.RedisCache, "get", counting_get)
    return attempts


def test_every_operation_is_served_by_the_database_cache(redis_down):
    assert cache.add("a", 1, 60) is True and cache.get("a") == 1
    cache.set("b", "值", 60)
    assert cache.get_many(["a", "b"]) == {"a": 1, "b": "值"}
    assert cache.incr("a", 2) == 3 and cache.decr("a") == 2
    assert "b" in cache and cache.touch("b", 120)
    cache.set_many({"c": 3, "d": 4}, 60)
    cache.delete_many(["c"])
    cache.delete("b")
    assert cache.get("b") is None and cache.get("c") is None and cache.get("d") == 4
    assert caches["database"].get("d") == 4  # the values really are in the database table
    assert cache.get_or_set("e", 5, 60) == 5
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_rate_limits_keep_counting(redis_down):
    for expected in (1, 2, 3):
        assert hit("login-fail-ip:10.0.0.0", limit=3, window_seconds=60, message="") == expected
    with pytest.raises(RateLimited):
        hit("login-fail-ip:10.0.0.0", limit=3, window_seconds=60, message="太频繁")


def test_redis_is_not_tried_again_until_the_interval_ends(redis_down, redis_get_attempts):
    attempts = redis_get_attempts
    for _ in range(5):
        cache.get("x")
    assert len(attempts) == 1 and redis_down.redis_down
    redis_down._outage.down_until = 0.0  # the interval has passed
    cache.get("x")
    assert len(attempts) == 2


def test_a_working_redis_is_used(settings):
    pytest.importorskip("redis")
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = fallback_caches("redis://127.0.0.1:6379/15")
    call_command("createcachetable", "gongshang_test_cache", verbosity=0)
    cache.set("gongshang-cache-test", "redis", 30)
    try:
        assert cache.get("gongshang-cache-test") == "redis" and not caches["default"].redis_down
        assert caches["database"].get("gongshang-cache-test") is None  # nothing went to the fallback
    finally:
        cache.delete("gongshang-cache-test")


def test_sign_in_and_login_codes_answer_while_redis_is_down(redis_down, client):
    page = client.post("/accounts/login/staff/", {"username": "nobody", "password": "wrong-password", "otp": "123456"})
    assert page.status_code == 200 and "账号、密码或动态口令不正确" in page.content.decode()
    with connection.cursor() as cursor:  # the failure counters went to the database cache
        cursor.execute("SELECT COUNT(*) FROM gongshang_test_cache")
        assert cursor.fetchone()[0] >= 1
    sent = client.post("/accounts/login/individual/code/", {"mobile": "13900000001"})
    assert sent.status_code == 200


def test_every_thread_knows_redis_is_down(settings, redis_get_attempts):
    """Django builds one cache object per thread: a threaded server (runserver, gunicorn --threads)
    must not try the unreachable Redis again in every new thread, each try a stall of up to the
    0.5 s timeout when the host does not answer."""
    import threading

    pytest.importorskip("redis")
    settings.CACHES = {**fallback_caches(f"redis://127.0.0.1:{unused_port()}/0"),
                       "database": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    attempts = redis_get_attempts
    for _ in range(3):
        request = threading.Thread(target=lambda: caches["default"].get("x"))
        request.start()
        request.join()
    assert len(attempts) == 1


class FakeRedis:
    """RedisCacheClient's operations on a dict; while `down`, each raises what redis-py raises for a
    host it cannot reach. What it held when it went away it still holds when it returns."""

    def __init__(self):
        self.data, self.down = {}, False

    def _reach(self):
        if self.down:
            import redis

            raise redis.exceptions.ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    def get(self, key, default=None):
        self._reach()
        return self.data.get(key, default)

    def get_many(self, keys):
        self._reach()
        return {k: self.data[k] for k in keys if k in self.data}

    def has_key(self, key):
        self._reach()
        return key in self.data

    def set(self, key, value, timeout=None):
        self._reach()
        self.data[key] = value

    def add(self, key, value, timeout=None):
        self._reach()
        return self.data.setdefault(key, value) is value

    def set_many(self, data, timeout=None):
        self._reach()
        self.data.update(data)

    def touch(self, key, timeout=None):
        self._reach()
        return key in self.data

    def incr(self, key, delta):
        self._reach()
        if key not in self.data:
            raise ValueError(f"Key {key!r} not found.")
        self.data[key] += delta
        return self.data[key]

    def delete(self, key):
        self._reach()
        return self.data.pop(key, None) is not None

    def delete_many(self, keys):
        self._reach()
        for key in keys:
            self.data.pop(key, None)


@pytest.fixture
def flaky_redis(settings, monkeypatch):
    """The fallback cache in front of a Redis that goes away and comes back (retried at once)."""
    pytest.importorskip("redis")
    settings.CACHES = fallback_caches("redis://redis.invalid:6379/0")
    call_command("createcachetable", "gongshang_test_cache", verbosity=0)
    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0.0)
    fake = FakeRedis()
    caches["default"].__dict__["_cache"] = fake
    return fake


def test_what_changed_while_redis_was_away_is_not_read_stale_from_it_when_it_returns(flaky_redis):
    cache.set("grant", "before", 60)
    cache.set("kept", "untouched", 60)
    flaky_redis.down = True
    cache.set("grant", "during", 60)
    cache.delete("kept-too")
    flaky_redis.down = False
    assert cache.get("grant") != "before"  # dropped from Redis, not served from before the outage
    assert cache.get("kept") == "untouched"  # what the outage did not touch stays


def test_a_session_ended_while_redis_was_away_stays_ended_when_it_returns(flaky_redis, settings):
    """Signing out during an outage deletes the session row and the fallback's copy; Redis still
    held the session, and the session store trusts the cache: the old cookie signed in again."""
    from gongshang.accounts.sessions import SessionStore

    settings.SESSION_ENGINE = "gongshang.accounts.sessions"
    session = SessionStore()
    session["_auth_user_id"] = "1"
    session.create()
    flaky_redis.down = True
    SessionStore(session_key=session.session_key).delete()  # signing out
    flaky_redis.down = False
    assert SessionStore(session_key=session.session_key).load() == {}


def test_keys_given_as_an_iterator_reach_the_fallback(redis_down):
    """Redis consumed the iterator before failing: the fallback was handed it empty."""
    caches["database"].set_many({"a": 1, "b": 2}, 60)  # written during the outage
    assert cache.get_many(iter(["a", "b"])) == {"a": 1, "b": 2}  # the call that finds Redis unreachable
    redis_down._outage.down_until = 0.0  # the interval has passed: the next call tries Redis again
    cache.delete_many(key for key in ("a", "b"))
    assert caches["database"].get_many(["a", "b"]) == {}


def test_a_busy_outage_does_not_cull_the_counters(redis_down):
    """Django's database cache keeps 300 entries unless told otherwise, and past them deletes a third
    of the table in key order, live entries too: during an outage every client's counters and codes
    live there, and a login counter vanished once SMS codes had been asked from 400 networks."""
    for expected in (1, 2, 3):
        assert hit("login-fail-ip:10.0.0.0", limit=5, window_seconds=900, message="") == expected
    for i in range(400):
        hit(f"sms-ip:10.1.{i // 256}.{i % 256}", limit=5, window_seconds=3600, message="")
    assert hit("login-fail-ip:10.0.0.0", limit=5, window_seconds=900, message="") == 4
