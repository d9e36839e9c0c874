"""Settings of the instance that ``bench/bench_load.py`` serves with gunicorn: the real settings, plus a bare view."""

from sentra.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

import warnings  # noqa: E402

# The bench serves no static files (locust fetches pages only); WhiteNoise's "no STATIC_ROOT yet" is noise here.
warnings.filterwarnings("ignore", message="No directory at")
