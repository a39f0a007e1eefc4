"""Sessions for several app servers: read from the shared cache (Redis), written through to the
database, and served from the database alone while the cache is unreachable, so a Redis outage
neither signs anyone out nor answers 500."""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("session cache unreachable: session read from the database", exc_info=True)
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        self._cache_quietly("set", self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def exists(self, session_key):
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("session cache unreachable: existence checked in the database", exc_info=True)
        return DBStore.exists(self, session_key)

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)  # the database row decides: gone, the session is over
        key = session_key or self.session_key
        if key is not None:
            self._cache_quietly("delete", self.cache_key_prefix + key)

    def _cache_quietly(self, method: str, *args) -> None:
        try:
            getattr(self._cache, method)(*args)
        except Exception:
            logger.warning("session cache unreachable (%s)", method, exc_info=True)
