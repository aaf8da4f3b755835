"""Settings, read from environment variables.

ENV_FILE       a file of NAME=value lines read first (default var/.env, which `make run`
               writes for a development checkout: DEBUG=1); the environment wins over it;
               set ENV_FILE= (empty) to read none. Never read by the test suite.
DATABASE_URL   a database URL (postgres://user:pass@host/name); a SQLite file under var/ when unset
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" to turn on debugging (off by default)
ALLOWED_HOSTS  comma-separated host names (default: localhost names)
MEDIA_ROOT     where uploaded images go (default: var/media)
CORS_ALLOWED_ORIGINS  comma-separated origins allowed to read the API from a browser ("*" for any)
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = env_bool("TESTING")
ENV_FILE = os.environ.get("ENV_FILE", str(VAR_DIR / ".env"))
if ENV_FILE and not TESTING:
    load_dotenv(ENV_FILE, override=False)

DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only for a developer's own machine: a key made once and kept under var/.
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            import secrets

            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. On a server, set the SECRET_KEY environment variable (50 "
            "random characters). In a development checkout, `make run` writes var/.env "
            "(DEBUG=1), after which manage.py needs nothing more."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "axes",
    "reversion",
    "publishing",
    "history",
    "lessons",
    "learner",
    "search",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.UnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "operations.throttling.SiteThrottleMiddleware",
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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Connections are kept between requests (a worker connects once a minute, not once a
# request); health checks replace one kept from before the database restarted at the start of
# the next request instead of failing it.
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that polls the socket before it sends SELECT 1.
        DATABASES["default"]["ENGINE"] = "operations.postgresql"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
# WAL lets readers go on while one writer writes; IMMEDIATE avoids "database is locked"
# when a read transaction turns into a write.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory test database

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Source maps are read by browsers' developer tools only: served as they are, not compressed
# (the API documentation's are the largest static files, most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded media is served by the proxy in front (see the README) or, on a small site, by
# Django itself when SERVE_MEDIA is on (operations.views.media: images only, safe headers).
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)
# manage.py backup writes here unless given a file or folder.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
# Uploaded images (history/images.py): larger files or more pixels are refused.
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", str(10_000_000)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(40_000_000)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Room for a pasted article over the limit (history.text.MAX_CHARACTERS, up to 4 bytes each,
# form-encoded), so that the form, not a bare 400, tells the editor what the limit is.
DATA_UPLOAD_MAX_MEMORY_SIZE = 24 * 1024 * 1024
# The API's JSON bodies (config/parsers.py): larger ones get 413, deeper ones 400. An
# article of 500,000 characters fits, even with every one escaped.
API_JSON_MAX_BYTES = int(os.environ.get("API_JSON_MAX_BYTES", str(5 * 1024 * 1024)))
API_JSON_MAX_DEPTH = 32

LOGIN_URL = "admin:login"

# Security defaults; HTTPS-only settings follow from running without DEBUG behind TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the admin's curation script reads it to send its token
HTTPS = env_bool("HTTPS", default=not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Behind a proxy that terminates TLS, Django learns of HTTPS from X-Forwarded-Proto; set
# SECURE_SSL_REDIRECT=0 when the proxy redirects to HTTPS itself, HSTS_SECONDS=0 when it sets
# Strict-Transport-Security itself. Health probes may come over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "config.api.csrf_failure"  # problem+json under /api/

# Content-Security-Policy (django-csp 4): no inline scripts, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures within the cool-off, a user
# name from an address is locked, and so is an address whatever user names it tried (one
# password sprayed over many accounts). The lockout is a 429 with Retry-After.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "8"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_CALLABLE = "operations.throttling.axes_lockout"
AXES_USERNAME_CALLABLE = "operations.throttling.axes_username"
AXES_ENABLED = not TESTING or env_bool("AXES_ENABLED")

# The cache, shared by every server (throttle counts live in it): Django's database cache, or
# Django's Redis cache when REDIS_URL is set (redis://host:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}
    }

# Public pages and API documents as they were last sent, kept in each server process by their
# ETag (publishing.http.kept_body): a request whose live ETag is among them reads nothing else.
# The ETag is read from the database on every request, so a publish is served at once; only
# public, live documents are kept. SERVED_BODIES is how many (0: none; the tests' default).
SERVED_BODIES = int(os.environ.get("SERVED_BODIES", "0" if TESTING else "500"))
CACHES["served"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "served-bodies",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": max(SERVED_BODIES, 1), "CULL_FREQUENCY": 4},
}

# The site's forms, throttled per client address (operations/throttling.py); generous, since
# a whole class may share one address.
SITE_THROTTLES = {
    "search:search": {"GET": os.environ.get("SITE_THROTTLE_SEARCH", "120/minute")},
    "learner:answer": {"POST": os.environ.get("SITE_THROTTLE_ANSWER", "240/minute")},
}
if TESTING:
    SITE_THROTTLES = {
        name: {m: "100000/hour" for m in rates} for name, rates in SITE_THROTTLES.items()
    }

# CORS: the read API may be called from other sites' browsers.
_cors = env_list("CORS_ALLOWED_ORIGINS", "*")
CORS_ALLOW_ALL_ORIGINS = _cors == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else _cors
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "History lessons API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# API v1 (config/api.py): problem+json errors, JSON only, throttling configurable by env.
REST_FRAMEWORK.update(
    {
        "DEFAULT_SCHEMA_CLASS": "config.api.ApiAutoSchema",
        "EXCEPTION_HANDLER": "config.api.problem_exception_handler",
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        # JSON within size and depth limits, of characters a database stores (400/413).
        "DEFAULT_PARSER_CLASSES": ["config.parsers.LimitedJSONParser"],
        "URL_FORMAT_OVERRIDE": None,
        # The client is REMOTE_ADDR (the proxy in front sets it): DRF would otherwise take
        # X-Forwarded-For as the client sends it, and a new address a request escapes a limit.
        "NUM_PROXIES": 0,
        "DEFAULT_THROTTLE_CLASSES": [
            "operations.throttling.AnonRateThrottle",
            "operations.throttling.UserRateThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "anon": os.environ.get("API_THROTTLE_ANON", "100000/hour" if TESTING else "120/minute"),
            "user": os.environ.get("API_THROTTLE_USER", "100000/hour" if TESTING else "600/minute"),
        },
    }
)
SPECTACULAR_SETTINGS.update(
    {
        "DESCRIPTION": (
            "Read published lessons, sources, events and concepts; check answers; edit drafts "
            "with a token. Errors are `application/problem+json` (RFC 9457). Character offsets "
            "count Unicode code points of an article's `body`. The version is in the path; see "
            "the README for the deprecation policy."
        ),
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "config.schema_hooks.no_nul_in_string_parameters",
        ],
        "COMPONENT_SPLIT_REQUEST": True,
        "ENUM_NAME_OVERRIDES": {
            "StatusEnum": "publishing.models.Status",
            "KindEnum": "history.models.Kind",
            "SectionKindEnum": "lessons.models.SectionKind",
            "QuestionKindEnum": "lessons.models.QuestionKind",
            "ExcerptDisplayEnum": "lessons.models.ExcerptDisplay",
        },
    }
)
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]  # POST: checking answers
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
