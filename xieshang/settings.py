"""Settings for xieshang: one file, read from environment variables (see README)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import csp.constants
import dj_database_url
from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from xieshang.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    is_placeholder_fernet_key,
    is_placeholder_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("XIESHANG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("XIESHANG_TESTING", False)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING) else None)
if not (DEBUG or TESTING) and (len(SECRET_KEY) < 50 or is_placeholder_secret(SECRET_KEY)):
    # A value copied from an example (`change-me-…`) is as public as no key at all: it
    # signs sessions, password resets and the citizens' booking links.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of 50+ characters, not an example value: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Fernet key for personal data at rest (citizens' phone numbers). Required in production.
_DEV_FERNET_KEY = "ZGV2LW9ubHktZmVybmV0LWtleS0zMi1ieXRlcy0hISE="
FIELD_ENCRYPTION_KEY = env_str(
    "FIELD_ENCRYPTION_KEY", _DEV_FERNET_KEY if (DEBUG or TESTING) else None
)
try:  # one key, or a comma-separated list with the newest first (see core/privacy.py)
    for _field_key in FIELD_ENCRYPTION_KEY.split(","):
        Fernet(_field_key.strip())
except ValueError as exc:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64-encoded bytes), "
        "or a comma-separated list of them with the newest first"
    ) from exc
if not (DEBUG or TESTING) and any(
    is_placeholder_fernet_key(key.strip(), dev_key=_DEV_FERNET_KEY)
    for key in FIELD_ENCRYPTION_KEY.split(",")
):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY is the development key or another made-up value: generate one "
        'with python -c "from cryptography.fernet import Fernet; '
        'print(Fernet.generate_key().decode())"'
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "xieshang.core",
    "xieshang.people",
    "xieshang.workrooms",
    "xieshang.suggestions",
    "xieshang.duty",
    "xieshang.proposals",
    "xieshang.activities",
    "xieshang.consultations",
    "xieshang.performance",
    "xieshang.opinions",
    "xieshang.research",
    "xieshang.search",
    "xieshang.insights",
    "xieshang.intake",
    "xieshang.workspace",
    "xieshang.figures",
    "xieshang.demo",
    "xieshang.api",
]

# The API (xieshang/api, docs/api.md): JSON only, errors in one shape, OpenAPI by
# drf-spectacular. Views open to citizens say so themselves (`PublicView`).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "xieshang.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "协商 API",
    "DESCRIPTION": "Public API of xieshang: committees, categories, workrooms, suggestions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}
# Open311 GeoReport v2 (docs/api.md): the API keys that may POST requests, one or more per
# committee, as "committee-code:key,committee-code:key".
OPEN311_API_KEYS = env_str("XIESHANG_OPEN311_KEYS", "")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xieshang.core.middleware.DatabaseUnavailableMiddleware",
    "xieshang.core.replica.ReplicaPinMiddleware",
    "xieshang.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xieshang.core.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xieshang.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xieshang.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xieshang.urls"
WSGI_APPLICATION = "xieshang.wsgi.application"

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
                "django.template.context_processors.i18n",
                "xieshang.people.context_processors.site",
                "xieshang.workspace.context_processors.sidebar",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xieshang.sqlite3'}")
# Persistent connections: a new PostgreSQL backend per request costs more CPU than the
# request itself (bench/README.md). Health checks drop a connection the server closed.
_db = dj_database_url.parse(
    DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing half-way ("database is locked").
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Behind pgbouncer in transaction pooling (deploy/pgbouncer.ini) a connection is another
# server session at each transaction: no server-side cursors (iterator() would lose its
# cursor), and no prepared statements (Django's psycopg 3 backend prepares none unless
# OPTIONS say so). Django's persistent connections then go to pgbouncer, which keeps the
# few real ones.
DB_POOLER = env_str("DB_POOLER", "")
if DB_POOLER not in ("", "session", "transaction"):
    raise ImproperlyConfigured("DB_POOLER must be empty, session or transaction")
# A primary that cannot be reached answers 503 (core/middleware.py) within seconds.
if _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
    if DB_POOLER == "transaction":
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASES = {"default": _db}
# A streaming replica for the read-heavy pages (core/replica.py): dashboards, search,
# exports, public results. The tests get a mirror of default (the same database) to route to.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    _replica["OPTIONS"] = {**_db.get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = _db.get("DISABLE_SERVER_SIDE_CURSORS", False)
    DATABASES["replica"] = _replica
elif TESTING:
    DATABASES["replica"] = {**_db, "TEST": {"MIRROR": "default"}}
REPLICA_READS = bool(DATABASE_REPLICA_URL)
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
DATABASE_ROUTERS = ["xieshang.core.replica.ReplicaRouter"] if "replica" in DATABASES else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:  # hashing strength is not what the tests are about; speed is
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:landing"

# Login throttling (core/logins.py): 5 failures for a username from one address lock that
# pair for 15 minutes; 20 failures from one address, whatever the usernames, lock the
# address. The address is the client's (core.http.client_ip), not nginx's.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "xieshang.core.http.client_ip"
AXES_HANDLER = "xieshang.core.logins.LoginLockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- I18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Uploads: on a path every web host mounts (NFS, a cluster file system), or through another
# Django storage backend (object storage) with its OPTIONS as JSON. Photos are served by
# the views that check who asks; with XIESHANG_MEDIA_X_ACCEL (an internal nginx location,
# "/_media/") nginx sends the file after the view said yes (deploy/nginx/xieshang.conf).
MEDIA_ROOT = Path(env_str("XIESHANG_MEDIA_ROOT", str(VAR_DIR / "media")))
XIESHANG_MEDIA_X_ACCEL = env_str("XIESHANG_MEDIA_X_ACCEL", "")
try:
    _storage_options = json.loads(env_str("XIESHANG_STORAGE_OPTIONS", "{}"))
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured("XIESHANG_STORAGE_OPTIONS must be a JSON object") from exc
_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {
        "BACKEND": env_str(
            "XIESHANG_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        **({"OPTIONS": _storage_options} if _storage_options else {}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Security (production values when DEBUG is off) -----------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind nginx the client's address is the last X-Forwarded-For entry nginx appended;
# without a proxy that header is whatever the client sent, so it is ignored.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
HTTPS = env_bool("HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# the few inline scripts with the request's nonce (`nonce="{{ request.csp_nonce }}"`), no
# inline styles or event handlers, no eval (htmx runs with allowEval off). Enforced; the
# tests send it report-only (the variable CSP_REPORT_ONLY, on by default only in tests), so
# the browser tests see each violation (they fail on one) instead of a page that silently
# lost its script. An operator may try a changed policy report-only first the same way.
_CSP_DIRECTIVES: dict[str, object] = {
    "default-src": [csp.constants.SELF],
    "script-src": [csp.constants.SELF, csp.constants.NONCE],
    "style-src": [csp.constants.SELF],
    # Bootstrap draws its icons (menu, select arrow, close button) as data: SVG images.
    "img-src": [csp.constants.SELF, "data:"],
    "font-src": [csp.constants.SELF],
    "connect-src": [csp.constants.SELF],
    "object-src": [csp.constants.NONE],
    "base-uri": [csp.constants.NONE],
    "form-action": [csp.constants.SELF],
    "frame-ancestors": [csp.constants.NONE],
}
# (Not a setting of its own: django-csp takes any CSP_* setting for one of its old ones.)
_csp_report_only = env_bool("CSP_REPORT_ONLY", TESTING)
CONTENT_SECURITY_POLICY: dict[str, object] | None = (
    None if _csp_report_only else {"DIRECTIVES": _CSP_DIRECTIVES}
)
CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, object] | None = (
    {"DIRECTIVES": _CSP_DIRECTIVES} if _csp_report_only else None
)
CSRF_FAILURE_VIEW = "xieshang.core.views.csrf_failure"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# --- Cache, jobs ----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is away (core/cache.py); a Redis that
            # hangs costs half a second, not a worker.
            "BACKEND": "xieshang.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis (the embedded default and the tests) tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# No job's result is read by anyone (core.echo, a probe, is the exception). Keeping them
# cost each message a SUBSCRIBE and an UNSUBSCRIBE on Redis in the sender and a write in
# the worker: about 0.4 ms of the public submit request (bench/intake.py).
CELERY_TASK_IGNORE_RESULT = True
# Two queues, both consumed by every worker (kombu takes from them in turn): "intake" for
# what a citizen or a search waits for — starting a new suggestion's jobs, its search entry,
# messages to citizens — and the default "celery" for the rest, above all the analysis
# (about 0.1 s each), so a flood of submissions does not delay the short ones behind it.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in ("celery", "intake")
)
CELERY_TASK_ROUTES = {
    name: {"queue": "intake"}
    for name in (
        "intake.dispatch",
        "search.index_suggestion",
        "suggestions.acknowledge",
        "suggestions.notify_citizen",
        "suggestions.notify_followers",
    )
}
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # What follows each new suggestion (fingerprint, then the jobs for its search entry,
    # acknowledgement and analysis): the submit request leaves it to this, so it never
    # waits for the broker (decision 28). Not optional: without a beat nothing follows.
    "intake-dispatch": {
        "task": "intake.dispatch",
        "schedule": 1.0,
    },
    # The figures' monthly pre-aggregates of the months whose records changed are
    # rebuilt (until then those months are counted from the records).
    "figures-cube-refresh": {
        "task": "figures.cube_refresh",
        "schedule": 60.0,
    },
    # Jobs whose send after their commit failed (the broker was away) are sent again.
    "core-outbox-flush": {
        "task": "core.outbox_flush",
        "schedule": 10.0,
    },
    # The day before a talk, every hour from 08:05 to 22:05 Beijing time, so a talk booked
    # or moved to tomorrow late in the day is reminded too; run again, it reminds nobody
    # twice.
    "duty-remind-bookings": {
        "task": "duty.bookings_remind",
        "schedule": crontab(minute=5, hour="8-22"),
    },
    # The day before a consultation event, every hour from 08:15 to 22:15 Beijing time, so
    # someone invited to tomorrow's event late in the day is reminded too; run again, it
    # reminds nobody twice.
    "consultations-remind-invitees": {
        "task": "consultations.remind_invitees",
        "schedule": crontab(minute=15, hour="8-22"),
    },
    # Keep eight weeks of shifts ahead, every night.
    "duty-extend-rosters": {
        "task": "duty.extend_rosters",
        "schedule": crontab(hour=2, minute=30),
    },
    # Departments are reminded of proposal replies due in a week and due today; run
    # again, it reminds nobody twice.
    "proposals-remind-deadlines": {
        "task": "proposals.remind_deadlines",
        "schedule": crontab(hour=8, minute=30),
    },
    # Suggestions whose analysis job was lost (Redis keeps nothing on disk) get it.
    "insights-analyse-missed": {
        "task": "insights.analyse_missed",
        "schedule": crontab(minute=40),
    },
    # Citizens whose acknowledgement job was lost in the past day are sent it.
    "suggestions-acknowledge-missed": {
        "task": "suggestions.acknowledge_missed",
        "schedule": crontab(minute=45),
    },
    # Suggestions whose search entry job was lost get their entry.
    "search-index-missed": {
        "task": "search.index_missed",
        "schedule": crontab(minute=35),
    },
    # Each committee's category model learns the day's triage decisions overnight.
    "insights-retrain-categories": {
        "task": "insights.retrain_category_models",
        "schedule": crontab(hour=3, minute=15),
    },
    # At each checkpoint of the year (PERFORMANCE_CHECKPOINTS) staff are told which
    # members are below the pro-rata baseline; run again, it tells nobody twice.
    "performance-remind-below-baseline": {
        "task": "performance.remind_below_baseline",
        "schedule": crontab(hour=8, minute=40),
    },
    # Members' points of the year recomputed from the day's records, every night.
    "performance-recompute-all": {
        "task": "performance.recompute_all",
        "schedule": crontab(hour=1, minute=45),
    },
}

# Days of the year ("MM-DD") on which each committee's staff are told which members are
# below the pro-rata baseline of points (履职积分): the end of the first three quarters and
# 30 November, a month before the year closes.
PERFORMANCE_CHECKPOINTS = env_list("PERFORMANCE_CHECKPOINTS", ["03-31", "06-30", "09-30", "11-30"])
for _checkpoint in PERFORMANCE_CHECKPOINTS:
    try:
        datetime.strptime(f"2024-{_checkpoint}", "%Y-%m-%d")
    except ValueError:
        raise ImproperlyConfigured(
            f"PERFORMANCE_CHECKPOINTS: {_checkpoint!r} is not a day of the year (MM-DD)."
        ) from None

# --- Email and SMS --------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or TESTING)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xieshang@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "xieshang.core.sms.ConsoleBackend")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME", "协商")
# The console backend sends nothing: it writes each text to the log (codes masked). Outside
# development a site on it would take bookings whose codes never arrive, so it starts only
# when that is what is wanted (a trial, a benchmark): SMS_CONSOLE_ALLOWED=1.
SMS_CONSOLE_ALLOWED = env_bool("SMS_CONSOLE_ALLOWED", False)
if (
    SMS_BACKEND == "xieshang.core.sms.ConsoleBackend"
    and not (DEBUG or TESTING)
    and not SMS_CONSOLE_ALLOWED
):
    raise ImproperlyConfigured(
        "SMS_BACKEND is the console backend, which sends no text message. Set SMS_BACKEND "
        "to your SMS provider's backend, or SMS_CONSOLE_ALLOWED=1 to run without texts."
    )

# --- Video talks ----------------------------------------------------------------------
VIDEO_ROOM_BASE_URL = env_str("VIDEO_ROOM_BASE_URL", "https://meet.jit.si/")
if not VIDEO_ROOM_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("VIDEO_ROOM_BASE_URL must be an http(s) URL")
# The site's public address (https://xieshang.example.cn), for the link to a booking in the
# texts a citizen gets; empty: the texts carry the booking code without a link.
BOOKING_LINK_BASE_URL = env_str("BOOKING_LINK_BASE_URL", "")
if BOOKING_LINK_BASE_URL and not BOOKING_LINK_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("BOOKING_LINK_BASE_URL must be an http(s) URL")

SITE_NAME = env_str("SITE_NAME", "协商")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
