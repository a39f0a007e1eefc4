"""Test settings: same as local, with fast hashing, fixed keys and the immediate-free DB task backend."""

import os

os.environ.setdefault("GONGSHANG_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "var", "test"))

from .base import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PII_ENCRYPTION_KEYS = ["p4bVc2Zq0t7o6gqQ9vS2nEw4gP5k0vY3yPqk8mX1s2c="]
PII_INDEX_KEY = "test-blind-index-key"
CAPTCHA_TEST_MODE = True
SMS_DEMO_SHOW_CODE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEMO_DATA_ALLOWED = True
