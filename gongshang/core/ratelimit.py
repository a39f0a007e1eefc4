"""One fixed-window counter in the cache for every rate limit (SMS codes, quick-report codes,
document verification). With several app servers the cache must be shared (Redis)."""

from django.core.cache import cache

from gongshang.core.errors import RateLimited


def hit(key: str, *, limit: int, window_seconds: int, message: str, cost: int = 1) -> int:
    """Count `cost` attempts (one by default) under `key`; RateLimited (429, retry_after) once more
    than `limit` attempts fall in the current window. Returns the count."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key, cost)
    except ValueError:  # the key expired between add and incr
        cache.set(key, cost, timeout=window_seconds)
        count = cost
    if count > limit:
        raise RateLimited(message, retry_after=window_seconds)
    return count
