"""Servicetorg settings: one module, driven by environment variables."""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    """Read a yes/no variable; refuse anything that is not clearly one of the two."""
    value = os.getenv(name, default).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


def envint(name: str, default: str) -> int:
    """Read a whole-number variable."""
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    """Read a comma-separated variable."""
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envrate(name: str, default: str) -> str:
    """Read a rate limit such as 30/5m (requests per 5 minutes; s, m, h or d)."""
    value = os.getenv(name, default).strip()
    if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 30/5m, not {value!r}")
    return value


DEBUG = envbool("DEBUG", "false")
DEMO = envbool("DEMO", "true")
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured("SECRET_KEY must be set outside the demo")
    SECRET_KEY = "demo-only-secret-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "servicetorg.municipalities",
    "servicetorg.accounts",
    "servicetorg.identity",
    "servicetorg.catalog",
    "servicetorg.submissions",
    "servicetorg.cases",
    "servicetorg.documents",
    "servicetorg.insights",
]

MIDDLEWARE = [
    # Outermost: public pages for visitors who are not logged in, kept whole (lib/pagecache.py).
    "servicetorg.lib.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "servicetorg.lib.middleware.BodySizeMiddleware",
    # Pages compressed with Django's BREACH mitigation (random padding).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Above everything that queries the database: an outage below it becomes a "try again" page.
    "servicetorg.lib.unavailable.UnavailableMiddleware",
    # Django's, with a failed save reported as the outage it is (lib/unavailable.py).
    "servicetorg.lib.unavailable.SessionMiddleware",
    "servicetorg.municipalities.middleware.MunicipalityMiddleware",
    "servicetorg.municipalities.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "servicetorg.lib.middleware.NoStoreMiddleware",
    # Last, so that it sees failed staff logins (lock-out after repeated failures).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicetorg.urls"
WSGI_APPLICATION = "servicetorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "servicetorg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicetorg.municipalities.context_processors.municipality",
            ],
        },
    }
]

# SQLite in WAL mode with synchronous=FULL: a receipt is shown only after the
# application is on disk (NORMAL can lose the last commits on power loss).
SQLITE_PATH = VAR_DIR / "servicetorg.sqlite3"
# How long a request waits for another writer before it gives up and shows "try again".
SQLITE_BUSY_TIMEOUT_MS = envint("SQLITE_BUSY_TIMEOUT_MS", "10000")
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=envint("CONN_MAX_AGE", "600")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};",
        "transaction_mode": "IMMEDIATE",
    }
    # A file (not memory) so live-server threads share it; one per process so runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    # The inbox's indexes carry extra columns on PostgreSQL (INCLUDE); SQLite leaves them out.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short web queries never gain from JIT compiling; it cost the inbox 165-450 ms at 1M cases.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "servicetorg_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "servicetorg" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "servicetorg" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "files"},
    },
    "staticfiles": {
        "BACKEND": "servicetorg.lib.staticfiles.StaticStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600

# Attachments: the app enforces its own limit per file; the body limit guards the rest.
UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", "20")
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DRAFT_LIFETIME_DAYS = envint("DRAFT_LIFETIME_DAYS", "30")
# Forvaltningsloven § 11 a: flag a case for an interim reply this many days after receipt, in
# time to send it before the month is out.
INTERIM_REPLY_WARN_DAYS = envint("INTERIM_REPLY_WARN_DAYS", "21")
if not 1 <= INTERIM_REPLY_WARN_DAYS <= 28:
    raise ImproperlyConfigured("INTERIM_REPLY_WARN_DAYS must be between 1 and 28")
# Test and synthetic identity numbers (month + 80) are for demo and test installations only.
ALLOW_SYNTHETIC_IDS = envbool("ALLOW_SYNTHETIC_IDS", "true" if DEMO else "false")

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = envbool("SECURE_COOKIES", "false" if DEMO else "true")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
if SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "servicetorg": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}

# --- Login (ID-porten / TestID) ---
# TestID: this installation's own OpenID Connect provider with synthetic people (demo, tests).
TESTID_ENABLED = envbool("TESTID_ENABLED", "true" if DEMO else "false")
TESTID_DEMO_SECRET = "testid-demo-secret-not-for-production"
# Extra clients TestID accepts ({client_id: {...}}); this installation's own client is always there.
TESTID_CLIENTS: dict[str, dict] = {}
# Tests only: make TestID issue a faulty ID token ("expired", "wrong-key", ...).
TESTID_FAULT = ""
# Empty issuer: this installation's own TestID (SITE_URL + "/testid").
IDPORTEN_ISSUER = os.getenv("IDPORTEN_ISSUER", "").strip().rstrip("/")
IDPORTEN_CLIENT_ID = os.getenv("IDPORTEN_CLIENT_ID", "servicetorg-testid" if TESTID_ENABLED else "")
IDPORTEN_CLIENT_AUTH = os.getenv("IDPORTEN_CLIENT_AUTH", "client_secret_basic").strip()
if IDPORTEN_CLIENT_AUTH not in ("client_secret_basic", "client_secret_post", "private_key_jwt"):
    raise ImproperlyConfigured(f"IDPORTEN_CLIENT_AUTH {IDPORTEN_CLIENT_AUTH!r} is not supported")
IDPORTEN_CLIENT_SECRET = os.getenv(
    "IDPORTEN_CLIENT_SECRET", TESTID_DEMO_SECRET if TESTID_ENABLED else ""
)
IDPORTEN_PRIVATE_KEY_PATH = os.getenv("IDPORTEN_PRIVATE_KEY_PATH", "")  # PEM or JWK (JSON)
IDPORTEN_PRIVATE_KEY_ID = os.getenv("IDPORTEN_PRIVATE_KEY_ID", "")  # kid, if not in the JWK
# Empty: built from the address of this site (/logg-inn/ferdig/ and /logg-ut/ferdig/).
IDPORTEN_REDIRECT_URI = os.getenv("IDPORTEN_REDIRECT_URI", "")
IDPORTEN_POST_LOGOUT_REDIRECT_URI = os.getenv("IDPORTEN_POST_LOGOUT_REDIRECT_URI", "")
IDPORTEN_TIMEOUT_SECONDS = envint("IDPORTEN_TIMEOUT_SECONDS", "5")
IDPORTEN_METADATA_CACHE_SECONDS = 24 * 3600
RESIDENT_IDLE_MINUTES = envint("RESIDENT_IDLE_MINUTES", "30")
if not DEMO and (TESTID_ENABLED or ALLOW_SYNTHETIC_IDS):
    # Synthetic people must never reach a production installation.
    raise ImproperlyConfigured("TESTID_ENABLED and ALLOW_SYNTHETIC_IDS must be off when DEMO=false")
if IDPORTEN_ISSUER:
    # Chromium applies form-action to redirects: Start and Log out are forms that redirect there.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        "/".join(IDPORTEN_ISSUER.split("/")[:3])
    )
INSTALLED_APPS.append("servicetorg.identity.testid")
MIDDLEWARE.insert(
    MIDDLEWARE.index("servicetorg.lib.unavailable.SessionMiddleware") + 1,
    "servicetorg.identity.middleware.ResidentSessionMiddleware",
)

# --- Staff login ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
STAFF_SESSION_IDLE_MINUTES = envint("STAFF_SESSION_IDLE_MINUTES", "60")
# Lock a user name out for an hour after five failed logins from anywhere.
AXES_FAILURE_LIMIT = envint("STAFF_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Servicetorg"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Public pages (catalog, service pages) kept whole in each worker for visitors who are not
# logged in; 0 entries turns it off. Any change to the catalog or a municipality empties it.
PAGE_CACHE_ENTRIES = envint("PAGE_CACHE_ENTRIES", "500")
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "300")
# How often a worker looks for another worker's change to the catalog or a municipality.
CHANGES_CHECK_SECONDS = envint("CHANGES_CHECK_SECONDS", "1")

# --- Rate limits (anti-automation) ---
# Counters are shared by every app server through the cache: Redis when REDIS_URL is set (atomic
# counts; use it with more than one machine), otherwise a table in the database, created by
# `make migrate` (createcachetable) and by the test set-up.
REDIS_URL = os.getenv("REDIS_URL", "").strip()
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "servicetorg_cache"}
}
if REDIS_URL:
    # Sessions read from Redis, written through to the database: one query less per request,
    # and nobody is logged out when Redis restarts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Per client address ("ip") and, where someone is logged in, per resident or staff user
# ("person"). Offices behind one shared address may need a higher "ip" limit.
RATELIMITS = {
    "login": {
        "ip": envrate("RATELIMIT_LOGIN_IP", "30/5m"),
        "person": envrate("RATELIMIT_LOGIN_PERSON", "10/5m"),
    },
    "submit": {
        "ip": envrate("RATELIMIT_SUBMIT_IP", "60/h"),
        "person": envrate("RATELIMIT_SUBMIT_PERSON", "10/h"),
    },
    "upload": {
        "ip": envrate("RATELIMIT_UPLOAD_IP", "300/h"),
        "person": envrate("RATELIMIT_UPLOAD_PERSON", "100/h"),
    },
    "message": {
        "ip": envrate("RATELIMIT_MESSAGE_IP", "300/h"),
        "person": envrate("RATELIMIT_MESSAGE_PERSON", "30/h"),
    },
}
# Behind a proxy every request comes from the proxy: name the header it sets (X-Forwarded-For).
RATELIMIT_IP_HEADER = os.getenv("RATELIMIT_IP_HEADER", "").strip()
RATELIMIT_IP_META_KEY = "servicetorg.lib.ratelimits.client_ip"
# Counters in the database cannot be counted when the database is down; the request's own
# writes then fail too and the person sees "try again" (lib/unavailable.py), not "too many
# attempts". Counters in Redis still fail closed.
RATELIMIT_FAIL_OPEN = not REDIS_URL

# --- E-mail ---
# Residents get an e-mail with a link to log in when a case has news: no personal data in it.
# The demo expects a local SMTP server on port 1025 (e.g. `python -m aiosmtpd -n -l :1025`).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "1025" if DEMO else "587")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false" if DEMO else "true")
# Short, so a mail server that does not answer never holds up a caseworker's request for long.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "5")
DEFAULT_FROM_EMAIL = os.getenv(
    "DEFAULT_FROM_EMAIL", "Servicetorg <ikke-svar@servicetorg.localhost>"
)
# The outbox (cases.Notification): tried once after commit, then by `manage.py send_notifications`.
NOTIFY_ON_COMMIT = envbool("NOTIFY_ON_COMMIT", "true")
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", "8")
NOTIFY_RETRY_SECONDS = envint("NOTIFY_RETRY_SECONDS", "60")

# --- Virus scanning of uploaded files ---
# `clamd`: ClamAV's daemon over TCP, asked after commit and retried by `manage.py
# scan_attachments`. `demo`: only the EICAR test file is recognised (and held back); every other
# file is marked "not checked for viruses", never "clean". See docs/decisions/0008.
ATTACHMENT_SCANNER = os.getenv("ATTACHMENT_SCANNER", "demo" if DEMO else "clamd").strip()
if ATTACHMENT_SCANNER not in ("clamd", "demo"):
    raise ImproperlyConfigured(f"ATTACHMENT_SCANNER {ATTACHMENT_SCANNER!r} is not supported")
if ATTACHMENT_SCANNER == "demo" and not DEMO:
    raise ImproperlyConfigured("ATTACHMENT_SCANNER=demo scans nothing: set clamd when DEMO=false")
CLAMD_HOST = os.getenv("CLAMD_HOST", "127.0.0.1")
CLAMD_PORT = envint("CLAMD_PORT", "3310")
# Connecting is quick or the daemon is down; scanning a large PDF can take a while.
CLAMD_CONNECT_TIMEOUT = envint("CLAMD_CONNECT_TIMEOUT", "3")
CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", "60")
# clamd's StreamMaxLength (25 MB unless changed there): keep it above UPLOAD_MAX_MB.
CLAMD_STREAM_MAX_MB = envint("CLAMD_STREAM_MAX_MB", "25")
SCAN_ON_COMMIT = envbool("SCAN_ON_COMMIT", "true")
SCAN_MAX_ATTEMPTS = envint("SCAN_MAX_ATTEMPTS", "12")
SCAN_RETRY_SECONDS = envint("SCAN_RETRY_SECONDS", "60")

# --- Decisions ---
# Days the applicant has to appeal (forvaltningsloven § 29: three weeks from receipt), counted
# from the day the letter is sent: in "Mine saker" it arrives that day.
APPEAL_DAYS = envint("APPEAL_DAYS", "21")

# --- Service builder ---
# Publish a service whose texts exist only in the municipality's own language (the others fall
# back to it). Off by default: every text a resident sees exists in bokmål, nynorsk and English.
BUILDER_ALLOW_LANGUAGE_FALLBACK = envbool("BUILDER_ALLOW_LANGUAGE_FALLBACK", "false")

# --- Insights ---
# Defaults for the gains until a leader sets the municipality's own figures (docs/insights.md
# gives the reasoning). Minutes are per application, by channel.
INSIGHTS_DEFAULTS = {
    "hourly_cost_nok": envint("INSIGHTS_HOURLY_COST_NOK", "700"),
    "letter_cost_nok": os.getenv("INSIGHTS_LETTER_COST_NOK", "25.00"),
    "minutes": {"digital": 10, "paper": 30, "email": 25, "phone": 20},
}
# Counts below this are shown as "fewer than N" when municipalities are compared.
INSIGHTS_SUPPRESS_BELOW = envint("INSIGHTS_SUPPRESS_BELOW", "5")
