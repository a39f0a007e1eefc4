"""The shared cache: Redis, and the database cache while Redis cannot be reached.

Rate limits and login counters (core/ratelimit.py, accounts/services/lockout.py), quick-report
grants and cached suggestions live in the cache. With Django's stock RedisCache an unreachable
Redis turns every one of those calls into an exception, so signing in and sending a code answered
500 during a Redis outage. `FallbackRedisCache` sends each operation to Redis and, when Redis
cannot be reached, to the cache named by OPTIONS["FALLBACK"] (the database cache table that
`manage.py createcachetable` creates; shared by every app server, so counters still count across
them). After a failure Redis is not tried again for `RETRY_SECONDS`, so an outage costs one
connection attempt per process and interval, not one per call (the state is the process's: Django
builds one cache object per thread). Counters started during the outage live on in the database
until their window ends; nothing is copied back when Redis returns.

Redis keeps what it held while it could not be reached (a network cut, a reply slower than the
socket timeout), and the session store trusts a cached session: a sign-out during the outage would
be undone when Redis returns. So every key written or deleted in the fallback is remembered, and
deleted from Redis before Redis serves this process again (a session is then read from its row).
This covers the outage as this process saw it; `clear()` during an outage clears the fallback only.

Settings (config/settings/base.py):

    CACHES = {"default": {"BACKEND": "gongshang.core.cache.FallbackRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 0.5,
                                      "socket_timeout": 0.5}},
              "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                           "LOCATION": "gongshang_cache"}}
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10.0
MAX_STALE_KEYS = 100_000  # a longer outage's further writes may be read stale from Redis (logged)
FORGET_CHUNK = 1000


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


@dataclass
class _Outage:
    """One Redis (LOCATION) as this process sees it, shared by its threads' cache objects."""

    down_until: float = 0.0
    stale: set = field(default_factory=set)  # Redis keys changed in the fallback while Redis was away
    overflowed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._fallback_alias = options.pop("FALLBACK", "database")
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._outage = _outage_of(";".join(self._servers))

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self._outage.down_until

    def _call(self, method: str, *args, changed=(), version=None, **kwargs):
        if version is not None:
            kwargs["version"] = version
        if not self.redis_down:
            try:
                if self._outage.stale:
                    self._forget_stale()
                return getattr(super(), method)(*args, **kwargs)
            except _unreachable_errors():
                self._outage.down_until = time.monotonic() + RETRY_SECONDS
                logger.warning("Redis cache unreachable: %s served by the %r cache for %.0f s",
                               method, self._fallback_alias, RETRY_SECONDS, exc_info=True)
        result = getattr(caches[self._fallback_alias], method)(*args, **kwargs)
        if changed:
            self._remember_stale(changed, version)
        return result

    def _remember_stale(self, keys, version) -> None:
        made = {self.make_and_validate_key(key, version=version) for key in keys}
        outage = self._outage
        with outage.lock:
            if len(outage.stale) + len(made) <= MAX_STALE_KEYS:
                outage.stale |= made
            elif not outage.overflowed:
                outage.overflowed = True
                logger.error("Redis cache unreachable: more than %d keys changed in the %r cache; Redis may "
                             "serve older values of the others when it returns", MAX_STALE_KEYS, self._fallback_alias)

    def _forget_stale(self) -> None:
        """Delete from Redis what changed in the fallback meanwhile; raises (the keys kept) while
        Redis is still unreachable."""
        outage = self._outage
        with outage.lock:
            keys = sorted(outage.stale)
            for start in range(0, len(keys), FORGET_CHUNK):
                self._cache.delete_many(keys[start:start + FORGET_CHUNK])
                outage.stale.difference_update(keys[start:start + FORGET_CHUNK])
            outage.overflowed = False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version, changed=[key])

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version, changed=[key])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version, changed=[key])

    def delete(self, key, version=None):
        return self._call("delete", key, version=version, changed=[key])

    def get_many(self, keys, version=None):
        return self._call("get_many", list(keys), version=version)  # Redis would use up an iterator

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version, changed=[key])

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version=version, changed=list(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)  # Redis would use up an iterator before failing; the fallback needs it too
        return self._call("delete_many", keys, version=version, changed=keys)

    def clear(self):
        return self._call("clear")
