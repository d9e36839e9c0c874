"""Settings for a real ``sentra worker`` in tests: the base settings (database queue, DATABASE_URL from the
environment) plus the ``test-hold`` job kind of ``tests.core.slow_job``."""

from sentra.settings.base import *  # noqa: F403
from sentra.settings.base import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.core.slow_job.SlowJobConfig"]
