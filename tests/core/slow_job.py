"""A job kind for the worker tests: it holds a write transaction open until told to stop, without reporting
progress (as an import's database write does), and writes its process id where the test can read it.

Installed as an app only by ``tests/core/worker_settings.py`` (the settings a real ``sentra worker`` runs with in
tests/core/test_worker_process.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.db import transaction


def hold_a_transaction(ctx: Any) -> dict[str, Any]:
    marker = Path(ctx.params["marker"])
    stop = marker.with_suffix(".stop")
    deadline = time.monotonic() + float(ctx.params.get("seconds", 60))
    with transaction.atomic():  # on SQLite (BEGIN IMMEDIATE) this holds the write lock, as an import's write does
        marker.write_text(str(os.getpid()), encoding="utf-8")
        while not stop.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    return {"held": True}


class SlowJobConfig(AppConfig):
    name = "tests.core.slow_job"
    label = "tests_slow_job"

    def ready(self) -> None:
        from sentra.core.jobs import register_job_handler

        register_job_handler("test-hold", "tests.core.slow_job.hold_a_transaction")
