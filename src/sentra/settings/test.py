"""Test settings: the same as base, with fast hashing and tasks run in-process."""

from sentra.settings.base import *  # noqa: F403
from sentra.settings.base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].pop("CONN_MAX_AGE", None)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
