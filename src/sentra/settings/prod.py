"""Production: the same as base, but it refuses to start without its required variables.

Required: SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL). Optional: REDIS_URL, USE_S3 and the
SENTRA_S3_* variables, SENTRA_SSL_REDIRECT (default on; turn off only behind a proxy that redirects).
"""

from django.core.exceptions import ImproperlyConfigured

from sentra.settings.env import MissingSetting, env_bool, env_int, env_required

try:
    env_required(
        "SECRET_KEY",
        "a random string of at least 50 characters, e.g. `python -c 'import secrets;print(secrets.token_urlsafe(50))'`",
    )
    env_required("ALLOWED_HOSTS", "the host names this server answers for, comma separated")
    env_required("DATABASE_URL", "postgres://user:password@host:5432/sentra")
except MissingSetting as exc:
    raise ImproperlyConfigured(str(exc)) from None

from sentra.settings.base import *  # noqa: F403
from sentra.settings.base import STATIC_FILE_MODES, STORAGES

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SENTRA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SENTRA_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SENTRA_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Hashed, compressed names; source-map comments naming a map the package lacks are dropped (core.staticstorage).
STORAGES["staticfiles"] = {"BACKEND": "sentra.core.staticstorage.ManifestStorage", "OPTIONS": dict(STATIC_FILE_MODES)}
SENTRA_PRODUCTION = True
