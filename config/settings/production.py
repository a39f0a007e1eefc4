"""Production settings: secrets and hosts must come from the environment.

`DJANGO_SETTINGS_MODULE=config.settings.production python manage.py check --deploy` passes with
no warnings when SECRET_KEY, PII_ENCRYPTION_KEYS, PII_INDEX_KEY and ALLOWED_HOSTS are set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_DEBUG", "false")

from .base import *  # noqa: E402,F401,F403
from .base import env_bool, env_int  # noqa: E402

DEBUG = False
for _name in ("SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_INDEX_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name}")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SMS_DEMO_SHOW_CODE = False

DEMO_DATA_ALLOWED = False
