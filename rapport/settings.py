"""Rapport's settings: one module, every value from the environment through typed helpers.

Every variable read here is listed with its default in README.md ("Configuration").
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from rapport.lib.env import env_bool, env_int, env_list, env_str
from rapport.lib.security import DEVELOPMENT_SECRET_KEY, production_problems

PACKAGE_DIR = Path(__file__).resolve().parent

RAPPORT_ENV = env_str("RAPPORT_ENV", "development")
if RAPPORT_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"RAPPORT_ENV must be development or production, not {RAPPORT_ENV!r}."
    )
PRODUCTION = RAPPORT_ENV == "production"

VAR_DIR = Path(env_str("RAPPORT_VAR_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on with RAPPORT_ENV=production.")

SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if PRODUCTION and (
    problems := production_problems(secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)
):
    raise ImproperlyConfigured(
        "Rapport refuses to start with RAPPORT_ENV=production: " + " ".join(problems)
    )

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "heroicons",
    "django_tasks_db",
    "crontask",
    "axes",
    "django_countries",
    "rapport.core",
    "rapport.access",
    "rapport.customers",
    "rapport.activities",
    "rapport.pipeline",
    "rapport.leads",
    "rapport.fulltext",
    "rapport.quality.rules",
    "rapport.quality.cleaning",
    "rapport.quality.dedupe",
    "rapport.quality.merge",
    "rapport.quality.scores",
    "rapport.imports",
    "rapport.exports",
    "rapport.insights",
    "rapport.web",
    "rapport.api",
    "rapport.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Audit entries written while serving a request carry its address and id.
    "rapport.core.middleware.AuditContextMiddleware",
    # After WhiteNoise, so static files never reach it; it reads the user after the view ran.
    "rapport.insights.middleware.UsageCaptureMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: a timed-out session leaves a message for the sign-in page.
    "rapport.access.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rapport.web.context_processors.shell",
            ],
        },
    },
]

# Database: embedded SQLite under ./var/ by default, PostgreSQL in production.
_default_db_url = f"sqlite:///{VAR_DIR / 'rapport.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _default_db_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database must work on a fresh clone without a set-up step.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: django.tasks. The database backend needs nothing else; Redis scales out.
TASKS_BACKEND = env_str("RAPPORT_TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("RAPPORT_TASKS_BACKEND=redis needs REDIS_URL.")
    # django-tasks-rq stores tasks through django-rq, whose app its system check requires.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"RAPPORT_TASKS_BACKEND must be database, redis or immediate, not {TASKS_BACKEND!r}."
    )
# The scheduler takes a Redis lock when Redis is there, so only one scheduler fires jobs.
CRONTASK = {"REDIS_URL": REDIS_URL or None}

# Users and authentication.
AUTH_USER_MODEL = "access.User"
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
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "access:login"

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env_int("RAPPORT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RAPPORT_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# E-mail addresses are case-insensitive: "Rita@X" and "rita@x" must count against the same lockout.
AXES_USERNAME_CALLABLE = "rapport.access.authentication.lockout_username"
AXES_CLIENT_IP_CALLABLE = "rapport.access.authentication.client_ip_address"
AXES_VERBOSE = False
# Login records (axes attempts and logs) are kept this long, then purged by access.purge_sessions.
RAPPORT_LOGIN_RECORDS_DAYS = env_int("RAPPORT_LOGIN_RECORDS_DAYS", 30, minimum=1)

# Deleted records stay in the recycle bin (restorable) this long before the nightly purge.
RAPPORT_RECYCLE_RETENTION_DAYS = env_int("RAPPORT_RECYCLE_RETENTION_DAYS", 30, minimum=1)

# Public web-to-lead forms: submissions allowed per client address ("<count>/<period>").
RAPPORT_WEB_TO_LEAD_RATE = env_str("RAPPORT_WEB_TO_LEAD_RATE", "10/minute")
# The largest file an import accepts (bytes); larger uploads are refused with the limit named.
RAPPORT_IMPORT_MAX_BYTES = env_int("RAPPORT_IMPORT_MAX_BYTES", 512 * 1024 * 1024, minimum=1024)

# Sessions: rotated on login (django.contrib.auth.login), idle and absolute timeouts enforced by
# rapport.access.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("RAPPORT_SESSION_IDLE_MINUTES", 60, minimum=1))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("RAPPORT_SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers. CSP is enforced everywhere (not only in production) so a violation shows up
# in development and in the browser tests before it reaches users.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy the client address is the proxy's; RAPPORT_TRUSTED_PROXIES says how many
# proxies append to X-Forwarded-For, so lockouts and session records see the real client.
RAPPORT_BEHIND_PROXY = env_bool("RAPPORT_BEHIND_PROXY", default=False)
RAPPORT_TRUSTED_PROXIES = env_int(
    "RAPPORT_TRUSTED_PROXIES", 1 if RAPPORT_BEHIND_PROXY else 0, minimum=0
)
if RAPPORT_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise to browser vendors about the whole domain, so it is the operator's
    # decision; without it Django's deploy check warns (W021), which is silenced only then.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# E-mail: EMAIL_URL such as smtp://user:password@host:587/?tls=True, or console: in development.
_email = dj_email_url.parse(
    env_str("EMAIL_URL", "smtp://localhost:25" if PRODUCTION else "console:")
)
# Django 6.1's MAILERS replaces the EMAIL_* settings (deprecated until Django 2028).
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    _mail_options: dict[str, object] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email["EMAIL_USE_TLS"],
        "use_ssl": _email["EMAIL_USE_SSL"],
        "timeout": _email.get("EMAIL_TIMEOUT") or 10,
    }
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rapport <rapport@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation and time: timezone-aware everywhere.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files come from packages installed at set-up (django-htmx ships htmx, the sidecar ships
# Swagger UI); WhiteNoise serves them, so no CDN is ever needed.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# The REST API.
API_MAX_PAGE_SIZE = 200
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rapport.access.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rapport.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rapport.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    # JSON only: DRF's browsable pages need inline styles the CSP forbids; the interactive API
    # console is /api/docs/ (Swagger UI served from the sidecar package).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rapport API",
    "DESCRIPTION": (
        "The REST API of Rapport. Authenticate with a personal API token "
        "(`Authorization: Bearer <token>`, created on your profile page) or a browser session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Both lists of field names (a stage's and a web form's required fields) are lists of
    # choices; name each enum after what it lists.
    "ENUM_NAME_OVERRIDES": {"WebFormFieldEnum": "rapport.leads.services.WEB_FORM_FIELDS"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own "django" logger prints to the console in DEBUG and also propagates to the
        # root: route it through the one console handler so each line appears once.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},
    },
}

# Usage capture (rapport.insights): events older than this are purged every night.
RAPPORT_USAGE_RETENTION_DAYS = env_int("RAPPORT_USAGE_RETENTION_DAYS", 730, minimum=1)

# Demo data: the password every demo login shares (only used by `rapport demo`).
DEMO_PASSWORD = env_str("RAPPORT_DEMO_PASSWORD", "rapport-demo")
