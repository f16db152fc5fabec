"""The one settings module. Every value that differs between machines comes from the environment
through the small typed readers below, which fail loudly on a value they cannot read."""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YUANQU_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
DEBUG = envbool("YUANQU_DEBUG", False)
# Demo mode: the local, single-machine run of `yuanqu demo` on http://127.0.0.1 with synthetic data.
DEMO_MODE = envbool("YUANQU_DEMO", False)
PRODUCTION = not (DEBUG or DEMO_MODE or TESTING)


def secret_key_is_weak(key: str) -> bool:
    """Django's own rule (check security.W009): short, few distinct characters, or a generated
    development key."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


def _secret_key(production: bool = PRODUCTION) -> str:
    key = os.environ.get("YUANQU_SECRET_KEY", "")
    if key:
        if production and secret_key_is_weak(key):
            raise ImproperlyConfigured(
                "YUANQU_SECRET_KEY is weak: use at least 50 random characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(50))")'
            )
        return key
    if production:
        raise ImproperlyConfigured("YUANQU_SECRET_KEY must be set outside debug and demo mode")
    # A machine-local key for debug, demo and tests, kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("YUANQU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if TESTING:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = envlist("YUANQU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "yuanqu.core",
    "yuanqu.notifications",
    "yuanqu.jobs",
    "yuanqu.registry",
    "yuanqu.stats",
    "yuanqu.casework",
    "yuanqu.intake",
    "yuanqu.indicators",
    "yuanqu.targets",
    "yuanqu.evaluation",
    "yuanqu.energy",
    "yuanqu.investment",
    "yuanqu.service",
    "yuanqu.factors",
    "yuanqu.talent",
    "yuanqu.dashboard",
    "yuanqu.reports",
    "yuanqu.demo",
]

MIDDLEWARE = [
    # First: the client's address and scheme from a trusted proxy, before anything reads them.
    "yuanqu.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early: an oversized body is refused before anything reads it.
    "yuanqu.core.uploads.UploadSizeMiddleware",
    # API JSON only, compressed after every other middleware has written the body (BREACH: see there).
    "yuanqu.core.contract.middleware.ApiGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yuanqu.core.sessions.IdleSessionMiddleware",
    "yuanqu.core.middleware.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Each app's pages only for the roles core/appgate.py admits (403 before the view runs).
    "yuanqu.core.appgate.AppGateMiddleware",
    # NUL and undecodable characters in path and query refused, API bodies JSON objects, one error shape.
    "yuanqu.core.contract.middleware.RequestContractMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yuanqu.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "yuanqu.urls"
WSGI_APPLICATION = "yuanqu.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yuanqu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "yuanqu.context_processors.platform",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'yuanqu.sqlite3'}"
# A request thread keeps its database connection for YUANQU_DB_CONN_MAX_AGE seconds (checked before
# reuse) instead of opening one per request, which on PostgreSQL costs a new server process each time.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=envint("YUANQU_DB_CONN_MAX_AGE", 0 if TESTING else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while an import writes; IMMEDIATE takes the write lock up front so
        # two writers queue instead of failing half-way with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["yuanqu.core.signin.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
    if TESTING
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)

# Sign-in throttling (core.signin, docs/operations.md): failures counted per user name and per
# address in the database; past the limit each failure doubles the wait, up to the cap.
LOGIN_USER_FAILURE_LIMIT = envint("YUANQU_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("YUANQU_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_DELAY_BASE_SECONDS = envint("YUANQU_LOGIN_DELAY_SECONDS", 60)
LOGIN_DELAY_MAX_SECONDS = envint("YUANQU_LOGIN_DELAY_MAX_MINUTES", 60) * 60
LOGIN_FAILURE_WINDOW_SECONDS = envint("YUANQU_LOGIN_FAILURE_WINDOW_HOURS", 24) * 3600

# API tokens answer for this many days after creation.
API_TOKEN_DAYS = envint("YUANQU_API_TOKEN_DAYS", 90)
# An API read returning at least this many rows is audited as a bulk read.
AUDIT_BULK_READ_ROWS = envint("YUANQU_AUDIT_BULK_READ_ROWS", 100)


# Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed;
# from any other peer those headers are ignored (core.middleware.TrustedProxyMiddleware).
def _trusted_proxies() -> list[str]:
    proxies = envlist("YUANQU_TRUSTED_PROXIES", [])
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"YUANQU_TRUSTED_PROXIES: {proxy!r} is not an address or network") from exc
    return proxies


TRUSTED_PROXIES = _trusted_proxies()

# Sessions live in the database (Django's engine, read with one plain statement: core/sessions.py).
SESSION_ENGINE = "yuanqu.core.sessions"
# Idle sessions expire: a request renews the session when less than half of this age is left
# (core.sessions.IdleSessionMiddleware), so a page does not write its session every time.
SESSION_COOKIE_AGE = envint("YUANQU_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("YUANQU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("YUANQU_HSTS_SECONDS", 31536000)
    # No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from anyone. The scheme is
    # taken from trusted proxies only, by TrustedProxyMiddleware.

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yuanqu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("YUANQU_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "yuanqu" / "static", BASE_DIR / "yuanqu" / "static_vendor"]
# Static files are served by WhiteNoise; outside production straight from the finders, so a fresh
# checkout needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("YUANQU_MEDIA_ROOT", VAR_DIR / "files"))  # never served directly

# The basemap drawn under park polygons and outlining the region: the policy pack's (`basemap` in
# pack.yaml) unless replaced here by an approved map (审图号).
BASEMAP_GEOJSON = Path(os.environ["YUANQU_BASEMAP_GEOJSON"]) if os.environ.get("YUANQU_BASEMAP_GEOJSON") else None
POLICY_PACK_DIR = Path(os.environ.get("YUANQU_POLICY_PACK", BASE_DIR / "yuanqu" / "policy_packs" / "wuhan_2025_2027"))

EMAIL_BACKEND = os.environ.get(
    "YUANQU_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("YUANQU_FROM_EMAIL", "yuanqu@localhost")
# SMTP, when YUANQU_EMAIL_BACKEND names it (production's default).
EMAIL_HOST = os.environ.get("YUANQU_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("YUANQU_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("YUANQU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("YUANQU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("YUANQU_EMAIL_TLS", False)
EMAIL_TIMEOUT = envint("YUANQU_EMAIL_TIMEOUT_SECONDS", 10)

# Notifications (yuanqu/notifications; docs/notifications.md): the outbound webhook to the SMS or
# 政务微信 gateway (off without a URL), and the retries of email and webhook deliveries.
NOTIFY_WEBHOOK_URL = os.environ.get("YUANQU_NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_SECRET = os.environ.get("YUANQU_NOTIFY_WEBHOOK_SECRET", "")
if NOTIFY_WEBHOOK_URL and (
    len(NOTIFY_WEBHOOK_SECRET) < 16 or not NOTIFY_WEBHOOK_URL.startswith(("https://", "http://"))
):
    raise ImproperlyConfigured(
        "YUANQU_NOTIFY_WEBHOOK_URL needs an http(s) URL and YUANQU_NOTIFY_WEBHOOK_SECRET of at least 16 characters"
    )
NOTIFY_WEBHOOK_TIMEOUT_SECONDS = envint("YUANQU_NOTIFY_WEBHOOK_TIMEOUT_SECONDS", 5)
NOTIFY_MAX_ATTEMPTS = envint("YUANQU_NOTIFY_MAX_ATTEMPTS", 6)
NOTIFY_BACKOFF_SECONDS = envint("YUANQU_NOTIFY_BACKOFF_SECONDS", 60)

# Periodic work, in one place (operations timing; the policy's own intervals live in the pack).
# Each entry: the management command and when it runs — "every" (seconds) or "daily" (HH:MM, local
# time). The commands are idempotent; docs/notifications.md shows them as systemd timers.
YUANQU_SCHEDULE: dict[str, dict[str, str | int]] = {
    "casework_sweep": {"command": "casework_sweep", "every": 15 * 60},
    "notification_retry": {"command": "notifications_retry", "every": 5 * 60},
    "casework_digest": {"command": "casework_digest", "daily": "08:00"},
    "data_freshness_check": {"command": "data_freshness_check", "daily": "02:30"},
    "files_prune": {"command": "files_prune", "daily": "03:30"},
    "talent_retention": {"command": "talent_retention", "daily": "03:45"},
    "db_statistics": {"command": "db_statistics", "daily": "04:00"},
}

NINJA_PAGINATION_PER_PAGE = 50

# Uploads (data intake): size limit, and guards against decompression bombs in .xlsx files.
INTAKE_MAX_UPLOAD_MB = envint("YUANQU_INTAKE_MAX_UPLOAD_MB", 50)
# Value cells per file (bounds an import's memory), the memory of the process reading .xls/.ods,
# imports parsed at once over every process and host, and how long an upload waits for a free place.
INTAKE_MAX_CELLS = envint("YUANQU_INTAKE_MAX_CELLS", 1_000_000)
INTAKE_READER_MEMORY_MB = envint("YUANQU_INTAKE_READER_MEMORY_MB", 512)
INTAKE_CONCURRENT_IMPORTS = envint("YUANQU_INTAKE_CONCURRENT_IMPORTS", 2)
INTAKE_SLOT_WAIT_SECONDS = envint("YUANQU_INTAKE_SLOT_WAIT_SECONDS", 10)
# Request bodies larger than this are refused before they are read (yuanqu.core.uploads): the upload
# limit plus room for the form around the file.
UPLOAD_MAX_BODY_MB = envint("YUANQU_UPLOAD_MAX_BODY_MB", INTAKE_MAX_UPLOAD_MB + 1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The cache of expensive read models (cockpit, park and district profiles, target board:
# yuanqu.core.readcache), keyed by a data version every write bumps. Shared by every process: the
# database cache by default (its table is made by `migrate`), Redis when YUANQU_CACHE_URL is set.
# Off by default under tests; the read-cache tests switch it on.
CACHE_URL = os.environ.get("YUANQU_CACHE_URL", "").strip()
READ_CACHE_ALIAS = "readmodels"
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    READ_CACHE_ALIAS: (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "yuanqu_read_cache",
            "OPTIONS": {"MAX_ENTRIES": envint("YUANQU_READ_CACHE_MAX_ENTRIES", 20_000)},
        }
    ),
}
READ_CACHE_ENABLED = envbool("YUANQU_READ_CACHE", not TESTING)
READ_CACHE_SECONDS = envint("YUANQU_READ_CACHE_SECONDS", 3600)
# Megabytes of whole-page entries each process also keeps in its own memory, served while the data
# version is the one they were rendered at (core/pagecache.py); 0 keeps none there.
PAGE_CACHE_LOCAL_MB = envint("YUANQU_PAGE_CACHE_LOCAL_MB", 32)

# Background jobs (yuanqu.jobs, docs/operations.md): Django's task framework (the django-tasks
# backport on 5.2). "database" keeps the queue in the platform's own database, worked by `yuanqu
# worker`; "rq" puts it in Redis (YUANQU_REDIS_URL) for workers on several hosts.
JOBS_BACKEND = os.environ.get("YUANQU_TASKS_BACKEND", "database").strip().lower()
REDIS_URL = os.environ.get("YUANQU_REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS: dict[str, dict[str, object]]
if JOBS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif JOBS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"YUANQU_TASKS_BACKEND must be database or rq, got {JOBS_BACKEND!r}")
# RQ's default worker forks a process per job; SimpleWorker runs jobs in the worker itself.
JOBS_RQ_WORKER_CLASS = os.environ.get("YUANQU_RQ_WORKER_CLASS", "rq.worker.Worker")
# django-rq's dashboard stays out of the admin (its JSON views answer to a token of their own).
RQ_SHOW_ADMIN_LINK = False
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": envint("YUANQU_JOBS_TIMEOUT_SECONDS", 3600)}}
# A running job whose worker has not reported for this long is marked failed (yuanqu.jobs.services.jobs_reap).
JOBS_STALE_SECONDS = envint("YUANQU_JOBS_STALE_SECONDS", 120)
JOBS_HEARTBEAT_SECONDS = envint("YUANQU_JOBS_HEARTBEAT_SECONDS", 15)
# A job that ends this long after it was submitted leaves its starter an in-app notice.
JOBS_NOTIFY_AFTER_SECONDS = envint("YUANQU_JOBS_NOTIFY_AFTER_SECONDS", 10)
# An export of more rows than this is written by a background job (core.exports, yuanqu.jobs.exports).
EXPORT_INLINE_ROWS = envint("YUANQU_EXPORT_INLINE_ROWS", 5000)
# Report and export files a job made are deleted this many days after it (yuanqu files_prune).
JOB_FILES_RETENTION_DAYS = envint("YUANQU_JOB_FILES_RETENTION_DAYS", 30)
# How often each worker's scheduler looks for due entries of YUANQU_SCHEDULE (0: never).
JOBS_SCHEDULE_TICK_SECONDS = envint("YUANQU_JOBS_SCHEDULE_TICK_SECONDS", 30)

# 人才直通车 (docs/talent.md): the key that encrypts contact data at rest (Fernet: 32 url-safe base64
# bytes; required outside debug, demo and tests, where a fixed development key stands in), how long
# an idle profile is kept, and the self-registration limits per client address and per contact.
_TALENT_DEV_KEY = "eXVhbnF1LXRhbGVudC1kZXYta2V5LW5vdC1zZWNyZXQ="
TALENT_FIELD_KEY = os.environ.get("YUANQU_TALENT_FIELD_KEY", "" if PRODUCTION else _TALENT_DEV_KEY)
if PRODUCTION and not TALENT_FIELD_KEY:
    raise ImproperlyConfigured("YUANQU_TALENT_FIELD_KEY must be set outside debug and demo mode")
TALENT_RETENTION_DAYS = envint("YUANQU_TALENT_RETENTION_DAYS", 730)
TALENT_CODE_MINUTES = envint("YUANQU_TALENT_CODE_MINUTES", 15)
TALENT_REGISTER_ADDRESS_LIMIT = envint("YUANQU_TALENT_REGISTER_ADDRESS_LIMIT", 10)
TALENT_REGISTER_CONTACT_LIMIT = envint("YUANQU_TALENT_REGISTER_CONTACT_LIMIT", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YUANQU_LOG_LEVEL", "WARNING")},
}
