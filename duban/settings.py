"""Settings, read from the environment. See README 「配置」 for every variable."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url

from duban.core import worker_config
from duban.core.env import (
    EnvError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    persistent_secret,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("DUBAN_DATA_DIR", str(BASE_DIR.parent / "data"))).resolve()

SECRET_KEY = persistent_secret("DUBAN_SECRET_KEY", DATA_DIR / "secret_key")
DEBUG = env_bool("DUBAN_DEBUG", False)
ALLOWED_HOSTS = env_list("DUBAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DUBAN_CSRF_TRUSTED_ORIGINS", [])
HTTPS = env_bool("DUBAN_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    # Only for its templates and static files: the API docs page is then served offline.
    "ninja",
    # Huey's Django glue: the HUEY setting below, db_task/db_periodic_task, tasks.py discovery.
    "huey.contrib.djhuey",
    "duban.core",
    "duban.audit",
    "duban.org",
    "duban.workdays",
    "duban.items",
    "duban.api",
    "duban.notify",
    "duban.assessment",
    "duban.ledgers",
    "duban.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

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
                "duban.core.context_processors.shell",
                "duban.notify.context_processors.unread",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'duban.sqlite3'}")
    # PostgreSQL keeps each server thread's connection: a new one per request cost a 台账 page
    # 10–15 ms (connecting, then a new backend reading its catalog caches again: 50 → 60–69 ms
    # for a city head's search at a million items). A connection left broken is replaced at the
    # start of the next request (CONN_HEALTH_CHECKS). SQLite opens its file in microseconds.
    keep = 0 if url.startswith("sqlite") else 300
    config: dict = dict(
        dj_database_url.parse(
            url, conn_max_age=env_int("DUBAN_CONN_MAX_AGE", keep), conn_health_checks=True
        )
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
            # timeout instead of failing mid-transaction; the audit hash chain relies on that.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON;",
        }
    else:
        # No JIT: compiling a plan took seconds on queries over a million items that run in
        # milliseconds without it (the 台账 count, the export, the sweeps); duban runs none of
        # the long analytic queries JIT pays off for. random_page_cost 1.1, for data in memory or
        # on SSD: at the default 4, priced as seeks on a spinning disk, PostgreSQL read all of a
        # million items rather than the 60,000 of a city the reach index points to (0.28 s
        # against 0.18 s for the 台账's count; the sweeps' steady day unchanged, 2.5 → 2.2 s).
        # No parallel workers by default: a page's queries are short, and starting workers cost
        # more than they saved (a city's 标签 count chose a parallel hash join, 19 ms, over the
        # merge of two index-only scans, 10 ms; the province's red lights 57 → 42 ms a page),
        # while the dashboards' longer counts stayed within 10 %.
        # work_mem 16 MB, not 4: a bitmap of the province's 137,000 closed 会议 items outgrew 4 MB
        # and went lossy, so ANDed with a keyword's bitmap every row on its pages was checked
        # again by recomputing its character pairs (48 µs each): 0.40 s, against 37 ms exact.
        parallel = env_int("DUBAN_PG_PARALLEL_WORKERS", 0)
        work_mem = env_str("DUBAN_PG_WORK_MEM", "16MB")
        options = (
            f"-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather={parallel}"
            f" -c work_mem={work_mem}"
        )
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "options": options}
        template = env_str("DUBAN_TEST_DB_TEMPLATE")
        if template:
            # The template carries UTF8 and a non-C LC_CTYPE, which pg_trgm needs for Chinese.
            config["TEST"] = {"TEMPLATE": template}
    return config


DATABASES = {"default": _database()}
# item_open_due's INCLUDE columns serve PostgreSQL's index-only scans; SQLite builds the index
# without them, as intended, and need not warn about it on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures, per account and address (django-axes).
AXES_FAILURE_LIMIT = env_int("DUBAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DUBAN_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "duban.core.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DUBAN_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("DUBAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the app folders, so a fresh checkout needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Attachments stay under MEDIA_ROOT, which no URL serves: only items.attachments.serve_attachment.
DUBAN_ATTACHMENT_MAX_MB = env_int("DUBAN_ATTACHMENT_MAX_MB", 20)
# 督查文书 PDF through LibreOffice headless, where installed (documents/pdf.py).
DUBAN_SOFFICE = env_str("DUBAN_SOFFICE", "/usr/bin/soffice")

# The worker (shared/DESIGN.md 「Worker」; README 「后台任务与通知」). "sqlite": SqliteHuey in the
# data folder, consumed in-process by `duban serve` or by `duban worker` processes; "immediate":
# tasks run in the caller's thread (the tests, where pytest is imported before these settings).
DUBAN_WORKER = env_choice(
    "DUBAN_WORKER", worker_config.KINDS, "immediate" if "pytest" in sys.modules else "sqlite"
)
# Up to how many units a scope is narrow enough to find its items unit by unit (items/access.py).
DUBAN_NARROW_SCOPE_UNITS = env_int("DUBAN_NARROW_SCOPE_UNITS", 60)
# How old (seconds) a dashboard's costly counts may be before a view counts them again
# (ledgers/figure_cache.py); the page says when they were counted.
DUBAN_FIGURES_MAX_AGE = env_int("DUBAN_FIGURES_MAX_AGE", 900)
# Only counts that took this long (ms, the dashboard's goal) are kept at all.
DUBAN_FIGURES_EXPENSIVE_MS = env_int("DUBAN_FIGURES_EXPENSIVE_MS", 300)
DUBAN_WORKER_THREADS = env_int("DUBAN_WORKER_THREADS", 2)
DUBAN_REDIS_URL = env_str("DUBAN_REDIS_URL", "redis://127.0.0.1:6379/0")
HUEY = worker_config.huey_config(
    DUBAN_WORKER, data_dir=DATA_DIR, redis_url=DUBAN_REDIS_URL, threads=DUBAN_WORKER_THREADS
)
# `duban serve` starts a consumer in its own process unless told not to (scaled deployments).
DUBAN_EMBEDDED_WORKER = env_bool("DUBAN_EMBEDDED_WORKER", True)

# Notifications (duban/notify). Links in e-mail, SMS and webhooks start with this address.
DUBAN_BASE_URL = env_str("DUBAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env_str("DUBAN_EMAIL_HOST")
EMAIL_PORT = env_int("DUBAN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DUBAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("DUBAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("DUBAN_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DUBAN_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DUBAN_EMAIL_FROM", "duban@localhost")
# "console" logs each SMS (logger duban.sms); "http" posts JSON to DUBAN_SMS_URL; or a dotted path
# to a class with the notify.channels.SmsGateway interface.
DUBAN_SMS_BACKEND = env_str("DUBAN_SMS_BACKEND")
DUBAN_SMS_URL = env_str("DUBAN_SMS_URL")
DUBAN_SMS_TOKEN = env_str("DUBAN_SMS_TOKEN")
# Channels beyond the in-app inbox: by default those that are configured (webhooks need a person's
# own robot address, so they are always offered).
DUBAN_NOTIFY_CHANNELS = env_list(
    "DUBAN_NOTIFY_CHANNELS",
    [
        *(["email"] if EMAIL_HOST else []),
        *(["sms"] if DUBAN_SMS_BACKEND else []),
        "webhook",
    ],
)
if not set(DUBAN_NOTIFY_CHANNELS) <= {"email", "sms", "webhook"}:
    raise EnvError(f"DUBAN_NOTIFY_CHANNELS 只能包含 email、sms、webhook:{DUBAN_NOTIFY_CHANNELS}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DUBAN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
