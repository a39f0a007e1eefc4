"""Settings of the gunicorn processes test_scaleout_web starts: the test settings (fixed keys,
captcha test mode), with the cache and session engine base.py derives from REDIS_URL, as in
production (config/settings/test.py replaces them with a per-process memory cache)."""

from config.settings import base as _base
from config.settings.test import *  # noqa: F401,F403

CACHES = _base.CACHES
SESSION_ENGINE = getattr(_base, "SESSION_ENGINE", "django.contrib.sessions.backends.db")
