"""Settings shared by every environment; everything that differs comes from the environment.

Local use needs no configuration: SQLite under var/, files under var/media, and secrets
generated once into var/local-secrets.json. Production (config.settings.production) requires
them from the environment instead.
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGSHANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secrets() -> dict:
    """Secrets for local use, generated once and kept in var/ (never used in production)."""
    path = VAR_DIR / "local-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    data = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PII_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
        "PII_INDEX_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(data, indent=2))
    path.chmod(0o600)
    return data


DEBUG = env_bool("DJANGO_DEBUG", True)
_local = local_secrets() if DEBUG or not os.environ.get("SECRET_KEY") else {}
SECRET_KEY = os.environ.get("SECRET_KEY") or _local.get("SECRET_KEY", "")

# Personal information (PIPL): Fernet keys, newest first (older ones still decrypt), and the
# HMAC key of the blind index used for exact lookup. Keys live in the environment, never in the DB.
PII_ENCRYPTION_KEYS = env_list("PII_ENCRYPTION_KEYS") or _local.get("PII_ENCRYPTION_KEYS", [])
PII_INDEX_KEY = os.environ.get("PII_INDEX_KEY") or _local.get("PII_INDEX_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "ninja",  # serves the vendored Swagger UI for /api/v1/docs (no CDN, no inline script)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "captcha",
    "django_tasks",
    "django_tasks_db",
    "gongshang.core",
    "gongshang.accounts",
    "gongshang.registry",
    "gongshang.cases",
    "gongshang.quickreports",
    "gongshang.benefits",
    "gongshang.recognition",
    "gongshang.appraisal",
    "gongshang.medical",
    "gongshang.service",
    "gongshang.integrations",
    "gongshang.api",
    "gongshang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gongshang.web.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongshang.core.audit.context.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongshang.accounts.middleware.StaffIdleTimeoutMiddleware",
    "gongshang.web.middleware.DomainErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongshang.api.idempotency.IdempotencyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongshang.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongshang.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the web server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
# A PostgreSQL streaming standby for report reads (gongshang/core/db/routers.py): only reads inside a
# reporting block go there; without DATABASE_REPLICA_URL nothing changes. Tests mirror it to default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gongshang.core.db.routers.ReportingReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "gongshang" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Files: local filesystem by default, S3-compatible object storage when S3_BUCKET is set.
if os.environ.get("S3_BUCKET"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads larger than this go to a temporary file, so memory stays flat for big evidence.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background tasks: the ORM-backed worker by default (manage.py db_worker), Redis (RQ) for scale.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
if TASK_BACKEND == "rq":
    # The queue may live on its own Redis (noeviction, AOF) apart from the cache's (allkeys-lru).
    RQ_QUEUES = {"default": {"URL": os.environ.get("RQ_REDIS_URL") or os.environ.get("REDIS_URL",
                                                                                       "redis://127.0.0.1:6379/0")}}
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The shared cache: Redis when REDIS_URL is set, with the database cache table serving while Redis
# cannot be reached (gongshang/core/cache.py); the database cache alone otherwise.
# MAX_ENTRIES: Django's default of 300 deletes a third of the table, live entries too, whenever a write
# finds more; every client's rate limits, login counters and SMS codes live here (during an outage,
# or always without Redis). Expired rows go first at each cull; each write counts the table (~8 ms on
# PostgreSQL for 100,000 rows).
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gongshang_cache",
                  "OPTIONS": {"MAX_ENTRIES": env_int("DATABASE_CACHE_MAX_ENTRIES", 100_000)}}
CACHES = {"default": DATABASE_CACHE, "database": DATABASE_CACHE}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "gongshang.core.cache.FallbackRedisCache", "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }

# Sessions and login security. With Redis (several app servers), sessions are read from the cache
# and written through to the database: a Redis restart (it keeps nothing on disk) signs nobody out,
# and while Redis is unreachable they are served from the database (gongshang/accounts/sessions.py).
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "gongshang.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A form posted without its CSRF token: our page (Chinese, no inline style), not Django's.
CSRF_FAILURE_VIEW = "gongshang.web.views.csrf_failure"
STAFF_IDLE_TIMEOUT_MINUTES = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 30)
# Failed logins (password, TOTP, SMS code) lock one account for one client (account + IP) after
# LOGIN_FAILURE_LIMIT failures, for LOGIN_LOCKOUT_MINUTES; other clients still sign in, so knowing
# a public USCC or a username is not enough to lock its owner out.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# One client failing across many accounts (password spraying) is throttled: after this many
# failures within the window every login from that address answers 429 until the window ends.
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20)
LOGIN_IP_WINDOW_MINUTES = env_int("LOGIN_IP_WINDOW_MINUTES", 15)
# One account failing from many clients: past this many failures within the window, logins of
# that account need a challenge (image captcha) on every entrance; it is never locked outright.
LOGIN_ACCOUNT_CHALLENGE_LIMIT = env_int("LOGIN_ACCOUNT_CHALLENGE_LIMIT", 10)
LOGIN_ACCOUNT_WINDOW_MINUTES = env_int("LOGIN_ACCOUNT_WINDOW_MINUTES", 60)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "gongshang.core.audit.client_network"  # IPv6: per /64
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongshang.accounts.views.lockout_response"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# API bearer tokens.
API_TOKEN_TTL_MINUTES = {
    "staff": env_int("API_TOKEN_TTL_STAFF_MINUTES", 30),
    "employer": env_int("API_TOKEN_TTL_EMPLOYER_MINUTES", 8 * 60),
    "individual": env_int("API_TOKEN_TTL_INDIVIDUAL_MINUTES", 8 * 60),
    "institution": env_int("API_TOKEN_TTL_INSTITUTION_MINUTES", 24 * 60),
}

# SMS one-time codes (个人登录, 找回密码).
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 300)
SMS_CODE_RESEND_SECONDS = env_int("SMS_CODE_RESEND_SECONDS", 60)
SMS_CODE_DAILY_LIMIT = env_int("SMS_CODE_DAILY_LIMIT", 10)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5)

# Notification channels: "console" writes to var/outbox/<channel>.log; "http" posts to a gateway.
NOTIFY_SMS_BACKEND = os.environ.get("NOTIFY_SMS_BACKEND", "console")
NOTIFY_SMS_GATEWAY_URL = os.environ.get("NOTIFY_SMS_GATEWAY_URL", "")
NOTIFY_SMS_GATEWAY_KEY = os.environ.get("NOTIFY_SMS_GATEWAY_KEY", "")
NOTIFY_WECHAT_BACKEND = os.environ.get("NOTIFY_WECHAT_BACKEND", "console")
NOTIFY_WECHAT_GATEWAY_URL = os.environ.get("NOTIFY_WECHAT_GATEWAY_URL", "")
NOTIFY_WECHAT_GATEWAY_KEY = os.environ.get("NOTIFY_WECHAT_GATEWAY_KEY", "")
# 机构接口推送 (webhook): each message is POSTed as JSON to the institution's own address (the recipient);
# "console" only logs it (local use, demos), "webhook" sends it.
NOTIFY_WEBHOOK_BACKEND = os.environ.get("NOTIFY_WEBHOOK_BACKEND", "console")
NOTIFY_WEBHOOK_KEY = os.environ.get("NOTIFY_WEBHOOK_KEY", "")
NOTIFY_OUTBOX_DIR = VAR_DIR / "outbox"
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8)
# Bulk delivery: a drain job claims NOTIFY_BATCH_SIZE due messages at a time for at most
# NOTIFY_DRAIN_SECONDS; bulk sends and the sweep enqueue NOTIFY_DRAIN_JOBS of them (≈ the workers).
NOTIFY_BATCH_SIZE = env_int("NOTIFY_BATCH_SIZE", 100)
NOTIFY_DRAIN_SECONDS = env_int("NOTIFY_DRAIN_SECONDS", 60)
NOTIFY_DRAIN_JOBS = env_int("NOTIFY_DRAIN_JOBS", 4)
# Show SMS codes on the page only in a local demo with the console backend.
SMS_DEMO_SHOW_CODE = env_bool("SMS_DEMO_SHOW_CODE", DEBUG and NOTIFY_SMS_BACKEND == "console")

# Audit events are kept at least 183 days (网络安全法 第二十一条: logs ≥ 6 months).
AUDIT_RETENTION_DAYS = max(183, env_int("AUDIT_RETENTION_DAYS", 365))

# The default pooling region (统筹区) of this installation.
DEFAULT_POOLING_REGION = os.environ.get("DEFAULT_POOLING_REGION", "370200")
# The national 药品目录 applies to every 统筹区: only the staff of this one (the province's or the
# platform operator's agency) may import it.
MEDICAL_NATIONAL_CATALOGUE_REGION = os.environ.get("MEDICAL_NATIONAL_CATALOGUE_REGION", DEFAULT_POOLING_REGION)

# Printed documents: the address in their QR codes and the agency named per 统筹区
# (DOCUMENT_ISSUER_NAMES as JSON, e.g. {"370200": "青岛市社会保险事业中心"}).
# Unset (development only): the address each request came to. Production requires it.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
DOCUMENT_ISSUER_NAMES = json.loads(os.environ.get("DOCUMENT_ISSUER_NAMES", "{}") or "{}")

# Roster changes: how far the effective month may lie before / after the current month.
ROSTER_BACKDATE_MONTHS = int(os.environ.get("ROSTER_BACKDATE_MONTHS", "2"))
ROSTER_AHEAD_MONTHS = int(os.environ.get("ROSTER_AHEAD_MONTHS", "1"))

# 数据交换 (integrations/): partner files dropped under EXCHANGE_INBOX_DIR/<partner>/<kind>/ (manage.py
# exchange_ingest), the largest file accepted, files processed during the request up to
# EXCHANGE_INLINE_MAX_BYTES (larger ones by the task worker; EXCHANGE_PROCESS_INLINE forces the
# request), how long a batch may stay processing before the sweep fails it, and each partner's
# push address for the files we send (JSON, e.g. {"province": "https://..."}; none: not pushed).
EXCHANGE_INBOX_DIR = Path(os.environ.get("EXCHANGE_INBOX_DIR", VAR_DIR / "exchange" / "inbox"))
EXCHANGE_MAX_BYTES = env_int("EXCHANGE_MAX_BYTES", 200 * 1024 * 1024)
EXCHANGE_INLINE_MAX_BYTES = env_int("EXCHANGE_INLINE_MAX_BYTES", 256 * 1024)
EXCHANGE_PROCESS_INLINE = env_bool("EXCHANGE_PROCESS_INLINE", False)
EXCHANGE_PROCESSING_TIMEOUT_MINUTES = env_int("EXCHANGE_PROCESSING_TIMEOUT_MINUTES", 120)
EXCHANGE_PUSH_MAX_BYTES = env_int("EXCHANGE_PUSH_MAX_BYTES", 20 * 1024 * 1024)
EXCHANGE_PARTNER_URLS = json.loads(os.environ.get("EXCHANGE_PARTNER_URLS", "{}") or "{}")
# 身份核验 against the population register (公安人口库): the client class (dotted path; the default is
# the fake register of development and tests), how long an answer is reused for the same ID number
# and name, and how many checks one account may make per window.
POPULATION_REGISTER_BACKEND = os.environ.get(
    "POPULATION_REGISTER_BACKEND", "gongshang.integrations.fakes.population.FakePopulationRegister")
IDENTITY_CACHE_DAYS = env_int("IDENTITY_CACHE_DAYS", 30)
IDENTITY_CHECK_RATE_LIMIT = env_int("IDENTITY_CHECK_RATE_LIMIT", 100)
IDENTITY_CHECK_RATE_WINDOW_SECONDS = env_int("IDENTITY_CHECK_RATE_WINDOW_SECONDS", 600)
# Batch imports: distinct persons checked per uploading account and window (one full file a day).
IDENTITY_BATCH_CHECK_LIMIT = env_int("IDENTITY_BATCH_CHECK_LIMIT", 100000)
IDENTITY_BATCH_CHECK_WINDOW_SECONDS = env_int("IDENTITY_BATCH_CHECK_WINDOW_SECONDS", 86400)

# Image captcha (单位登录).
CAPTCHA_LENGTH = 4
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_TIMEOUT = 5

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 200
# `@paginate` without a class: limit and offset bounded (gongshang.api.pagination).
NINJA_PAGINATION_CLASS = "gongshang.api.pagination.LimitOffsetPagination"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # 快报唯一标志码 are credentials and appear in request paths: redacted in request/server logs.
    "filters": {"redact_quick_report_codes": {"()": "gongshang.core.logging_filters.RedactQuickReportCodes"}},
    "formatters": {"django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                                     "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler"},
                 "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django.db.backends": {"level": "INFO"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},  # per-page progress lines
                "django.request": {"filters": ["redact_quick_report_codes"]},
                "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False,
                                  "filters": ["redact_quick_report_codes"]}},
}

# Number of reverse proxies in front of the app that append to X-Forwarded-For (0: trust
# REMOTE_ADDR only). Rate limits and audit IPs depend on it, so it is explicit.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files (no
# inline script, no inline style, no eval), no plugins, no framing, forms post only to us.
# Images may be data: URIs (QR codes). CSP_REPORT_URI, when set, receives violation reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": os.environ["CSP_REPORT_URI"]} if os.environ.get("CSP_REPORT_URI") else {}),
    },
}

# seed_demo writes public demo passwords and TOTP keys: only where this is on.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", DEBUG)
