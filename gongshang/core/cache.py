"""The shared cache: Redis, and the database cache while Redis cannot be reached.

Rate limits and login counters (core/ratelimit.py, accounts/services/lockout.py), quick-report
grants and cached suggestions live in the cache. With Django's stock RedisCache an unreachable
Redis turns every one of those calls into an exception, so signing in and sending a code answered
500 during a Redis outage. `FallbackRedisCache` sends each operation to Redis and, when Redis
cannot be reached, to the cache named by OPTIONS["FALLBACK"] (the database cache table that
`manage.py createcachetable` creates; shared by every app server, so counters still count across
them). After a failure Redis is not tried again for `RETRY_SECONDS`, so an outage costs one
connection attempt per process and interval, not one per call. Counters started during the outage
live on in the database until their window ends; nothing is copied back when Redis returns.

Settings (config/settings/base.py):

    CACHES = {"default": {"BACKEND": "gongshang.core.cache.FallbackRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 0.5,
                                      "socket_timeout": 0.5}},
              "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                           "LOCATION": "gongshang_cache"}}
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10.0


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._fallback_alias = options.pop("FALLBACK", "database")
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = 0.0

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, method: str, *args, **kwargs):
        if not self.redis_down:
            try:
                return getattr(super(), method)(*args, **kwargs)
            except _unreachable_errors():
                self._down_until = time.monotonic() + RETRY_SECONDS
                logger.warning("Redis cache unreachable: %s served by the %r cache for %.0f s",
                               method, self._fallback_alias, RETRY_SECONDS, exc_info=True)
        return getattr(caches[self._fallback_alias], method)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
