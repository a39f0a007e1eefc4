"""Production settings: secrets and hosts must come from the environment.

`DJANGO_SETTINGS_MODULE=config.settings.production python manage.py check --deploy` passes with
no warnings when SECRET_KEY, PII_ENCRYPTION_KEYS, PII_INDEX_KEY, ALLOWED_HOSTS and PUBLIC_BASE_URL are set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_DEBUG", "false")

from .base import *  # noqa: E402,F401,F403
from .base import env_bool, env_int  # noqa: E402

DEBUG = False
for _name in ("SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_INDEX_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name}")
# The address printed on issued documents and in their QR codes: the public one, never the request's.
if not PUBLIC_BASE_URL.startswith(("https://", "http://")):  # noqa: F405
    raise ImproperlyConfigured("生产环境变量 PUBLIC_BASE_URL 须为公众访问的完整地址，如 https://gs.example.gov.cn")

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
