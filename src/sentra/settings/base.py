"""Settings shared by every environment; `test` and `prod` only override.

Everything that differs between machines comes from the environment (see ``env.py``); nothing exists only
in production, which is switched on by variables, not by code paths [STYLE I].
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sentra.settings.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent  # the `sentra` package
DATA_DIR = Path(env("SENTRA_DATA_DIR", "var") or "var").resolve()
# The data directory holds the SQLite database, backups and uploads, all with full NIKs: each is private to the
# service's user (files 0600, directories 0700). The data directory itself is 0711, so the web server can still
# reach the public static/ inside it (deploy/nginx) but nobody else can list it.
DATA_DIR_MODE = 0o711


def _make_data_dir() -> None:
    if not DATA_DIR.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        DATA_DIR.chmod(DATA_DIR_MODE)


def _private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 if it does not exist (before SQLite creates it with the umask's 0644), and
    take group and world access away from one that does, if this user owns it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(info.st_mode & 0o700)
    else:
        os.close(fd)


def _demo_secret_key() -> str:
    """Generate the demo's secret key once and keep it in the data directory."""
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    _make_data_dir()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = env("SECRET_KEY") or _demo_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "sentra.core",
    "sentra.regions",
    "sentra.accounts",
    "sentra.periodic",
    "sentra.registry",
    "sentra.budget",
    "sentra.centres",
    "sentra.training",
    "sentra.quality",
    "sentra.products",
    "sentra.reports",
    "sentra.api",
    "sentra.demo",  # the demo and benchmark data commands (load_demo, seed_scale, demo_otp_code)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sentra.core.locale.SentraLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sentra.accounts.middleware.TwoFactorMiddleware",
    "sentra.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sentra.core.middleware.SecurityHeadersMiddleware",
    "sentra.core.middleware.VaryOnHtmxMiddleware",
    "sentra.core.middleware.DatabaseUnavailableMiddleware",
    "sentra.core.replica.ReportReadsMiddleware",
    # Axes must be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sentra.urls"
WSGI_APPLICATION = "sentra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sentra.core.context_processors.sentra",
            ],
            "builtins": ["sentra.core.templatetags.sentra"],
        },
    }
]
FORM_RENDERER = "sentra.core.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------------
# SQLite is the embedded default (zero set-up); PostgreSQL is production (DATABASE_URL=postgres://...).
DEFAULT_SQLITE = f"sqlite:///{DATA_DIR / 'sentra.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL") or DEFAULT_SQLITE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _make_data_dir()
    if DATABASES["default"]["NAME"] and not str(DATABASES["default"]["NAME"]).startswith(("file:", ":memory:")):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # SQLite gives the -wal and -shm files the database file's mode.
        _private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the task worker writes; the busy timeout makes a writer wait
        # for the lock instead of failing at once, and IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SENTRA_SQLITE_TIMEOUT", 20),
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    if env_bool("SENTRA_DB_POOL", False):
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": env_int("SENTRA_DB_POOL_MAX", 10)}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("SENTRA_CONN_MAX_AGE", 60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica (PostgreSQL streaming replication) serves the report pages' reads: core/replica.py.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(env("DATABASE_REPLICA_URL")),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        "TEST": {"MIRROR": "default"},
    }
    # A stopped replica must not hold a report page for long: it is skipped, and the primary answers.
    DATABASES["replica"]["OPTIONS"].setdefault("connect_timeout", 2)
#: Report pages read from the primary while the replica is unreachable or further behind than this.
SENTRA_REPLICA_MAX_LAG_SECONDS = env_int("SENTRA_REPLICA_MAX_LAG_SECONDS", 30)
#: How often each process asks the replica whether it is up and caught up.
SENTRA_REPLICA_CHECK_SECONDS = env_int("SENTRA_REPLICA_CHECK_SECONDS", 5)
DATABASE_ROUTERS = ["sentra.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sentra.accounts.backends.RoleBackend",
]
# Lockout after repeated failed logins (per username and per IP address).
AXES_FAILURE_LIMIT = env_int("SENTRA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SENTRA_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the pair: one typo-prone user must not lock a whole office NAT
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor sign-in (accounts.two_factor): an authenticator app plus recovery codes, required for the roles and
# permissions that reach the most personal data and money. On everywhere unless switched off on purpose.
SENTRA_2FA_REQUIRED = env_bool("SENTRA_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = env("SENTRA_2FA_ISSUER", "Sentra IKM") or "Sentra IKM"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SENTRA_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_SECURE = env_bool("SENTRA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- i18n -------------------------------------------------------------------------------------------
# Indonesian is the default language; source strings are written in Indonesian and English comes from
# the `en` catalogue.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("SENTRA_TIME_ZONE", "Asia/Jakarta")
# Numbers are formatted explicitly with the `angka`/`rupiah` filters, so that ids in URLs and attributes are
# never given thousand separators by accident.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["sentra.formats"]

# --- Static and media ----------------------------------------------------------------------------------
import xstatic.pkg.bootstrap  # noqa: E402
import xstatic.pkg.leaflet  # noqa: E402
import xstatic.pkg.leaflet_markercluster  # noqa: E402

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",  # our own CSS and JS (src/sentra/static/sentra/...)
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "sentra.reports.staticfiles.PackageFileFinder",  # vendor/plotly/plotly.min.js from the plotly package
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("SENTRA_MEDIA_ROOT", str(DATA_DIR / "media")) or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "sentra.core.uploads.SafeFileSystemStorage"},  # removes half-written files
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_bool("USE_S3", False):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("SENTRA_S3_BUCKET"),
            "endpoint_url": env("SENTRA_S3_ENDPOINT_URL"),
            "access_key": env("SENTRA_S3_ACCESS_KEY"),
            "secret_key": env("SENTRA_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
# Uploads (photos, documents, import files) are private to the service's user; static files stay readable by the
# web server (their storage's own modes below).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STATIC_FILE_MODES = {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755}
STORAGES["staticfiles"]["OPTIONS"] = dict(STATIC_FILE_MODES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background tasks --------------------------------------------------------------------------------------
# The database worker (`sentra worker`) by default; RQ on Redis for deployments that outgrow one machine.
if env("SENTRA_TASKS_BACKEND", "db") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Cache -----------------------------------------------------------------------------------------------
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sentra@localhost")
# SMTP (with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend). Mail is sent by the "email" job kind
# (sentra.core.mail), which retries a failed delivery, so a short timeout keeps a dead server from holding a worker.
EMAIL_HOST = env("EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SENTRA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Sentra -------------------------------------------------------------------------------------------------
SENTRA_AGENCY_NAME = env("SENTRA_AGENCY_NAME", "Dinas Tenaga Kerja dan Perindustrian Kota Kendari")
SENTRA_PAGE_SIZE = env_int("SENTRA_PAGE_SIZE", 25)
# Load the Kemendagri regions when `migrate` creates a new database.
SENTRA_LOAD_REGIONS_ON_MIGRATE = env_bool("SENTRA_LOAD_REGIONS_ON_MIGRATE", True)
# Serve static files straight from the packages when developing (no collectstatic needed for the demo).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
SENTRA_PRODUCTION = False
# API token rows kept between requests only with a cache every worker process shares (Redis), so a revoked token
# never works again anywhere; permissions (keyed by role) cached unless turned off (sentra.api.tokencache, permcache).
SENTRA_API_TOKEN_CACHE_SECONDS = (
    env_int("SENTRA_API_TOKEN_CACHE_SECONDS", 0) if env("SENTRA_API_TOKEN_CACHE_SECONDS") else None
)
SENTRA_API_PERM_CACHE = env_bool("SENTRA_API_PERM_CACHE", True) if env("SENTRA_API_PERM_CACHE") else None
# --- Background jobs, import and export  ------------------------------------------------------------
# A thread of the worker beats for its running job every SENTRA_JOB_HEARTBEAT_SECONDS, also inside a long import
# transaction (sentra.core.jobs._Heartbeat); a running job without a beat for SENTRA_JOB_STALE_SECONDS has lost its
# worker (killed, machine gone): it is shown as failed and may be re-run.
SENTRA_JOB_HEARTBEAT_SECONDS = env_int("SENTRA_JOB_HEARTBEAT_SECONDS", 5)
SENTRA_JOB_STALE_SECONDS = env_int("SENTRA_JOB_STALE_SECONDS", 30)
SENTRA_IMPORT_MAX_BYTES = env_int("SENTRA_IMPORT_MAX_MB", 100) * 1024 * 1024
SENTRA_IMPORT_MAX_ROWS = env_int("SENTRA_IMPORT_MAX_ROWS", 1_000_000)
# An XLSX/ODS is a zip: refuse one that expands beyond this, or more than this many times its own size.
SENTRA_IMPORT_MAX_UNZIPPED_BYTES = env_int("SENTRA_IMPORT_MAX_UNZIPPED_MB", 1024) * 1024 * 1024
SENTRA_IMPORT_MAX_ZIP_RATIO = env_int("SENTRA_IMPORT_MAX_ZIP_RATIO", 200)
SENTRA_UPLOAD_MAX_BYTES = env_int("SENTRA_UPLOAD_MAX_MB", 5) * 1024 * 1024
# Retention of personal data in days (UU PDP; sentra.core.retention, docs/deployment.md); 0 turns a rule off.
SENTRA_RETENTION_DAYS = {
    "training_applications": env_int("SENTRA_RETAIN_APPLICATIONS_DAYS", 365),
    "job_files": env_int("SENTRA_RETAIN_JOB_FILES_DAYS", 90),
    "reveal_log": env_int("SENTRA_RETAIN_REVEAL_LOG_DAYS", 730),
    "sessions": env_int("SENTRA_RETAIN_SESSIONS_DAYS", 1),
    "login_records": env_int("SENTRA_RETAIN_LOGIN_RECORDS_DAYS", 180),
    "system_jobs": env_int("SENTRA_RETAIN_SYSTEM_JOBS_DAYS", 30),
}
SENTRA_IMPORT_PREVIEW_ROWS = env_int("SENTRA_IMPORT_PREVIEW_ROWS", 50)
SENTRA_IMPORT_BATCH_SIZE = env_int("SENTRA_IMPORT_BATCH_SIZE", 5000)
# Write batch N on a second thread while batch N+1 is checked (sentra.core.importing.pipeline).
SENTRA_IMPORT_BACKGROUND_WRITES = env_bool("SENTRA_IMPORT_BACKGROUND_WRITES", True)
# Exports up to this many rows are sent at once; larger ones run as a background job.
SENTRA_EXPORT_INLINE_ROWS = env_int("SENTRA_EXPORT_INLINE_ROWS", 5000)
SENTRA_EXPORT_CHUNK_SIZE = env_int("SENTRA_EXPORT_CHUNK_SIZE", 2000)
