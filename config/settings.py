"""Cadre settings: one file, read from environment variables (healthchecks style).

CADRE_ENV=production turns on the production checks: a real SECRET_KEY, HTTPS-only
cookies and HSTS, and no demo shortcuts.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"environment variable {name} is required")
    return value


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


CADRE_ENV = envstr("CADRE_ENV", "development")
PRODUCTION = CADRE_ENV == "production"
DATA_DIR = Path(envstr("CADRE_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and demo accounts live here

_DEV_KEY = "dev-only-not-secret-" + "x" * 40
SECRET_KEY = envstr("SECRET_KEY", None if PRODUCTION else _DEV_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("production needs a random SECRET_KEY of at least 50 characters")
# Keyed hash for national ID numbers: a different secret from SECRET_KEY so that rotating
# session keys does not orphan the ID index.
ID_HASH_KEY = envstr("CADRE_ID_HASH_KEY", None if PRODUCTION else "dev-only-id-hash-key")
# Application-level encryption keys (TRUST.md G-DP1), never in the database or the repo:
# Fernet keys for reporter contact details and report attachments, an HMAC key for receipt
# locators. Comma-separated lists rotate (first encrypts). Outside production they are derived
# from SECRET_KEY by cadre.supervision.crypto so the demo needs no set-up.
CADRE_CONTACT_KEY = envstr("CADRE_CONTACT_KEY", None if PRODUCTION else "")
CADRE_EVIDENCE_KEY = envstr("CADRE_EVIDENCE_KEY", None if PRODUCTION else "")
CADRE_RECEIPT_KEY = envstr("CADRE_RECEIPT_KEY", None if PRODUCTION else "")

DEBUG = envbool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# Demo shortcut: skip the TOTP step. Refused in production.
OTP_DEMO_BYPASS = envbool("CADRE_OTP_DEMO_BYPASS", False)
if PRODUCTION and OTP_DEMO_BYPASS:
    raise ImproperlyConfigured("CADRE_OTP_DEMO_BYPASS is not allowed in production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "simple_history",
    "ninja",
    "cadre.core",
    "cadre.orgs",
    "cadre.accounts",
    "cadre.audit",
    "cadre.cadres",
    "cadre.workdays",
    "cadre.targets",
    "cadre.worklogs",
    "cadre.assessments",
    "cadre.supervision",
    "cadre.accountability",
    "cadre.tolerance",
    "cadre.development",
    "cadre.care",
    "cadre.eligibility",
    "cadre.generator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cadre.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cadre.accounts.middleware.SessionTimeoutMiddleware",
    "cadre.accounts.middleware.RequireOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cadre.core.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cadre.core.middleware.HtmxRefusalMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cadre" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cadre.accounts.context_processors.roles",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'cadre.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(envstr("DATABASE_URL", _default_db))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN: no "database is locked" upgrade failures,
    # and the version check of an edit is serialised (TRUST.md platform facts).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MAX_LENGTH = 256
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "cadre.accounts.validators.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "cadre.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cadre.accounts.validators.ContextWordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout per account, never global (TRUST.md AU-03).
AXES_FAILURE_LIMIT = envint("CADRE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cadre.accounts.views.locked_out"
AXES_VERBOSE = False
# Lockout is per account on purpose (AU-03: never global, never defeated by rotating IPs).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = envint("CADRE_SESSION_MAX_SECONDS", 8 * 3600)  # absolute limit
SESSION_IDLE_SECONDS = envint("CADRE_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cadre.core.views.csrf_failure"  # Chinese page, no Django debug text
OTP_TOTP_ISSUER = "Cadre"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "cadre" / "static"]
MEDIA_ROOT = DATA_DIR / "media"

# Uploads: Django does not cap file size itself (TRUST.md); the import view checks it.
CADRE_IMPORT_MAX_BYTES = envint("CADRE_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CADRE_IMPORT_MAX_ROWS = envint("CADRE_IMPORT_MAX_ROWS", 50_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers (TRUST.md IO-03).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # No request logging with client addresses (TRUST.md G-AN1).
    "loggers": {"django.server": {"handlers": [], "level": "ERROR", "propagate": False}},
}

# The one page shape of every list endpoint (LimitOffsetPagination, README API section):
# ?limit= defaults to 100; a larger limit is refused with 400 (docs/decisions/002).
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 100
