"""Settings for the PhD aggregator, read from the environment.

Every value has a default that works on a developer's machine (Postgres and Redis on
localhost). Production sets DEBUG=0 (the default), SECRET_KEY, ALLOWED_HOSTS and HTTPS.
The typed helpers below fail loudly on a malformed value instead of guessing.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets the classes django-stubs types as generics (ModelAdmin[Position], Feed[...]) be
# subscripted at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    # Without DEBUG a missing key is a deployment mistake, but management commands such as
    # `check --deploy` must still run to report it; a per-process random key is useless
    # for sessions, so it is only a fallback for tooling and tests.
    SECRET_KEY = env_str("SECRET_KEY_FALLBACK", _INSECURE_DEV_KEY + "-non-debug")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "PhD Positions")

INSTALLED_APPS = [
    # The admin site class is ours (positions/admin_site.py): two-factor when required.
    "positions.admin_apps.PhdAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "ninja",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "positions",
    "scrapers",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "positions.middleware.SecurityHeadersMiddleware",
    # Public reads to the read replica, when there is one (does nothing otherwise).
    "config.db_router.ReplicaReadsMiddleware",
    "positions.request_budget.DatabaseBudgetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "positions.shortlist_middleware.ShortlistMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phd_aggregator"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL: it is the one database.")
# JIT compilation costs more than it saves on the short queries a web request runs. Facet
# counts hash and sort tens of thousands of rows: with Postgres' default 4 MB they spill
# to disk (issue 7 benchmarks); a few connections x 32 MB is little memory.
DATABASE_WORK_MEM = env_str("DATABASE_WORK_MEM", "32MB")
# A Postgres that is down or hung must answer the web's requests with a 503 within a few
# seconds (positions/outage.py), not hold them: connecting gives up after
# DATABASE_CONNECT_TIMEOUT seconds, and a statement after DATABASE_STATEMENT_TIMEOUT
# (Postgres units; "0" turns it off, for long maintenance commands).
# A web process (config/wsgi.py, config/asgi.py) uses DATABASE_WEB_STATEMENT_TIMEOUT
# instead: a request answers, or gives up with a 503, within ~3 s; workers and management
# commands keep the longer one.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 2)
DATABASE_STATEMENT_TIMEOUT = env_str("DATABASE_STATEMENT_TIMEOUT", "30s")
DATABASE_WEB_STATEMENT_TIMEOUT = env_str("DATABASE_WEB_STATEMENT_TIMEOUT", "3s")


def _postgres_options(statement_timeout: str) -> str:
    return f"-c jit=off -c work_mem={DATABASE_WORK_MEM} -c statement_timeout={statement_timeout}"


DATABASE_WEB_OPTIONS = _postgres_options(DATABASE_WEB_STATEMENT_TIMEOUT)
DATABASES["default"].setdefault("OPTIONS", {})["options"] = _postgres_options(
    DATABASE_STATEMENT_TIMEOUT
)
DATABASES["default"]["OPTIONS"]["connect_timeout"] = DATABASE_CONNECT_TIMEOUT

# A streaming read replica for the web's public reads (config/db_router.py): off unless set.
# Unreachable, it is set aside for DATABASE_REPLICA_RETRY_SECONDS and the primary serves;
# after a write a browser reads the primary for DATABASE_REPLICA_PIN_SECONDS.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_CONNECT_TIMEOUT = env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 1)
DATABASE_REPLICA_RETRY_SECONDS = env_float("DATABASE_REPLICA_RETRY_SECONDS", 10.0)
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 5)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at PostgreSQL too.")
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": DATABASE_REPLICA_CONNECT_TIMEOUT,
    }
    # Tests read the replica as the primary (no second test database to create).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# Search counts and result ids cached in Redis per data version (positions/cache.py).
SEARCH_CACHE = env_bool("SEARCH_CACHE", True)
# Counts are exact when about this many positions or fewer match; above, the total and the
# facet counts are estimated from a uniform sample of between half this many and this many
# (positions/search/sampling.py).
SEARCH_EXACT_COUNTS_UP_TO = env_int("SEARCH_EXACT_COUNTS_UP_TO", 2000)
# The probe that estimates how many match counts the positions in the sample buckets below
# this (of models.SAMPLE_BUCKETS, 1024: 1/256 of them); keep it one of models.SAMPLE_LEVELS,
# whose own index serves it. Relevance ranks at most SEARCH_RELEVANCE_CANDIDATES matches
# (a uniform sample of a broad search's). Settings, not constants, so tests can make a
# table of sixty positions sample (tests/perf/); not meant to be tuned in deployment.
SEARCH_PROBE_BUCKETS = 4
SEARCH_RELEVANCE_CANDIDATES = 500
# While ingestion keeps writing, a cached search is recomputed at most this often.
SEARCH_CACHE_STALE_SECONDS = env_float("SEARCH_CACHE_STALE_SECONDS", 10.0)
# A web process re-reads the data version at most this often (0: on every request).
DATA_VERSION_SECONDS = env_float("DATA_VERSION_SECONDS", 1.0)
CACHES = {
    "default": {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": env_str("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "phd"),
        "TIMEOUT": 300,
        # A Redis that does not answer must not hold a page: the cache gives up quickly
        # and the page is served uncached (config/cache.py).
        "OPTIONS": {
            "socket_connect_timeout": env_float("CACHE_CONNECT_TIMEOUT", 0.5),
            "socket_timeout": env_float("CACHE_SOCKET_TIMEOUT", 1.0),
            "retry_on_timeout": False,
        },
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_bool("STATIC_PLAIN_STORAGE", False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# --- Security -------------------------------------------------------------------------
# Off by default so the quick start works over plain HTTP on 127.0.0.1; production sets it.
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
)
# Behind a proxy that rewrites the Host header. Any sign of a proxy (this, the one above)
# needs BEHIND_PROXY and its header below, or the start-up check refuses (positions/checks.py).
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"
ADMINS = [(email.split("@")[0], email) for email in env_list("ADMIN_EMAILS", ["admin@localhost"])]
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "phd-aggregator@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- E-mail alerts (alerts/, docs/alerts.md) -------------------------------------------
ALERTS_FROM_EMAIL = env_str("ALERTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# Bounce and complaint webhook (POST /alerts/bounce/ with "Authorization: Bearer <secret>");
# off while empty. `manage.py alerts_suppress` records one by hand.
ALERTS_WEBHOOK_SECRET = env_str("ALERTS_WEBHOOK_SECRET", "")
ALERTS_CONFIRM_HOURS = env_int("ALERTS_CONFIRM_HOURS", 72)
ALERTS_MANAGE_LINK_DAYS = env_int("ALERTS_MANAGE_LINK_DAYS", 60)
ALERTS_SHORTLIST_MAX = env_int("ALERTS_SHORTLIST_MAX", 100)
ALERTS_MAILS_PER_ADDRESS_PER_DAY = env_int("ALERTS_MAILS_PER_ADDRESS_PER_DAY", 5)
ALERTS_REQUESTS_PER_CLIENT_PER_HOUR = env_int("ALERTS_REQUESTS_PER_CLIENT_PER_HOUR", 20)
ALERTS_SUBSCRIPTIONS_PER_ADDRESS = env_int("ALERTS_SUBSCRIPTIONS_PER_ADDRESS", 20)
ALERTS_BATCH_SIZE = env_int("ALERTS_BATCH_SIZE", 500)
ALERTS_DIGEST_MAX_POSITIONS = env_int("ALERTS_DIGEST_MAX_POSITIONS", 20)
ALERTS_SEND_RETRIES = env_int("ALERTS_SEND_RETRIES", 6)
ALERTS_RETRY_BACKOFF_SECONDS = env_int("ALERTS_RETRY_BACKOFF_SECONDS", 60)
ALERTS_CLAIM_LEASE_SECONDS = env_int("ALERTS_CLAIM_LEASE_SECONDS", 1800)
# A run's SMTP connection is reopened after this many mails or this long idle (servers cap
# both: Postfix's smtpd_timeout is 300 s, many relays accept ~100 mails a connection).
ALERTS_SMTP_MESSAGES_PER_CONNECTION = env_int("ALERTS_SMTP_MESSAGES_PER_CONNECTION", 100)
ALERTS_SMTP_IDLE_SECONDS = env_int("ALERTS_SMTP_IDLE_SECONDS", 60)

# Login throttling (django-axes): per username and address, with a cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A new attempt during the lock-out is refused without restarting the cool-off, so the
# time the lock-out page gives (positions/admin_lockout.py) holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "positions.admin_lockout.lockout_response"
# Behind a proxy only the trusted proxy's header counts (positions/security.py reads it,
# for axes and for the report form's rate limit); by default the socket address.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "positions.security.client_ip"
# Visitors' "report this position" form: at most this many reports per address per hour.
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 5)
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", False)
OTP_TOTP_ISSUER = SITE_NAME

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 3300)
# A late-acked task is redelivered after this long if its worker vanished; it must exceed
# the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", 400_000)
CELERY_TIMEZONE = TIME_ZONE
# The limiter talks to Redis itself (alerts/ratelimit.py): it must know when Redis is away.
ALERTS_RATE_LIMIT_REDIS_URL = env_str("ALERTS_RATE_LIMIT_REDIS_URL", REDIS_URL)

# --- Scraping ---------------------------------------------------------------------------
SCRAPER_USER_AGENT = env_str(
    "SCRAPER_USER_AGENT",
    "phd-aggregator/0.1 (+https://github.com/phd-aggregator/phd-aggregator; bot)",
)
SCRAPER_MAX_BODY_BYTES = env_int("SCRAPER_MAX_BODY_BYTES", 5 * 1024 * 1024)
SCRAPER_TOTAL_TIMEOUT = env_float("SCRAPER_TOTAL_TIMEOUT", 30.0)
SCRAPER_CONNECT_TIMEOUT = env_float("SCRAPER_CONNECT_TIMEOUT", 10.0)
SCRAPER_READ_TIMEOUT = env_float("SCRAPER_READ_TIMEOUT", 15.0)
SCRAPER_MAX_REDIRECTS = env_int("SCRAPER_MAX_REDIRECTS", 5)
SCRAPER_MIN_HOST_DELAY = env_float("SCRAPER_MIN_HOST_DELAY", 2.0)
SCRAPER_MAX_CRAWL_DELAY = env_float("SCRAPER_MAX_CRAWL_DELAY", 30.0)
SCRAPER_MAX_RETRIES = env_int("SCRAPER_MAX_RETRIES", 3)
SCRAPER_ALLOWED_PORTS = [int(p) for p in env_list("SCRAPER_ALLOWED_PORTS", ["80", "443"])]
# Hosts (or CIDR ranges) that the SSRF guard lets through: for tests and the offline demo.
SCRAPER_ALLOWED_PRIVATE_HOSTS = env_list("SCRAPER_ALLOWED_PRIVATE_HOSTS", [])
# A folder of recorded responses: when set, every fetch is served from it (offline demo).
SCRAPER_REPLAY_DIR = env_str("SCRAPER_REPLAY_DIR", "")
SCRAPER_CLOSE_AFTER_MISSED_RUNS = env_int("SCRAPER_CLOSE_AFTER_MISSED_RUNS", 3)
# Retries: exponential backoff from this base (plus jitter); a Retry-After longer than the
# cap pauses the host instead of being cut short.
SCRAPER_BACKOFF_BASE = env_float("SCRAPER_BACKOFF_BASE", 1.0)
SCRAPER_MAX_RETRY_WAIT = env_float("SCRAPER_MAX_RETRY_WAIT", 120.0)
# Circuit breaker: this many failed fetches in a row pause a host for this long.
SCRAPER_BREAKER_FAILURES = env_int("SCRAPER_BREAKER_FAILURES", 5)
SCRAPER_BREAKER_PAUSE_SECONDS = env_int("SCRAPER_BREAKER_PAUSE_SECONDS", 1800)
SCRAPER_ROBOTS_CACHE_SECONDS = env_int("SCRAPER_ROBOTS_CACHE_SECONDS", 24 * 3600)
SCRAPER_ROBOTS_ERROR_CACHE_SECONDS = env_int("SCRAPER_ROBOTS_ERROR_CACHE_SECONDS", 600)
# Locks: how long a fetch waits for its host, and the lease of a run on its source
# (renewed while the run works; a dead worker's lease runs out after this long).
SCRAPER_HOST_LOCK_WAIT = env_float("SCRAPER_HOST_LOCK_WAIT", 300.0)
SCRAPER_HOST_LOCK_MARGIN = env_float("SCRAPER_HOST_LOCK_MARGIN", 5.0)
SCRAPER_SOURCE_LOCK_SECONDS = env_int("SCRAPER_SOURCE_LOCK_SECONDS", 300)
# The scrapers' Redis commands (locks, politeness) retry a lost connection this long.
SCRAPER_REDIS_RETRY_SECONDS = env_float("SCRAPER_REDIS_RETRY_SECONDS", 15.0)
# ... and this long in a web process (the admin's Test parse, Add from URL): a page answers,
# saying Redis is away, within seconds (config/web_process.py).
SCRAPER_WEB_REDIS_RETRY_SECONDS = env_float("SCRAPER_WEB_REDIS_RETRY_SECONDS", 1.0)
# A scrape task that met Postgres or Redis away retries after this, doubled each time.
SCRAPER_TASK_RETRY_SECONDS = env_float("SCRAPER_TASK_RETRY_SECONDS", 30.0)
SCRAPER_REVIEW_CONFIDENCE = env_float("SCRAPER_REVIEW_CONFIDENCE", 0.6)
# A source that auto-publishes still sends a new position stating less than this share
# (0-100) of the six facts to review; a source may set its own threshold. 0 (the default)
# keeps auto-publish as it was; 34 asks for two of the six facts, 50 for three.
AUTO_PUBLISH_MIN_COMPLETENESS = env_int("AUTO_PUBLISH_MIN_COMPLETENESS", 0)
SOURCE_FAILURES_BEFORE_ALERT = env_int("SOURCE_FAILURES_BEFORE_ALERT", 3)
# The admin's dashboard calls a source silent when no new listing came from it in this long.
SOURCE_SILENT_DAYS = env_int("SOURCE_SILENT_DAYS", 14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
