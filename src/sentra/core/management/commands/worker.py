"""``sentra worker``: the background task worker (the database queue by default, RQ on Redis by setting).

With ``DEBUG`` the database worker reloads on code changes: a parent process watches the files and runs the
worker in a child. Killed with SIGKILL, the parent cannot stop that child, which would go on running jobs
unseen; so the child asks the kernel to kill it when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``; elsewhere
a thread watches the parent's pid). A job it was running then stops beating and is shown as failed within
``SENTRA_JOB_STALE_SECONDS`` (``sentra.core.jobs``).

Every worker also looks, a few times within that period, for jobs whose worker died and queues them again
(``requeue_stale_jobs``): with several workers, a job outlives the machine or process that took it.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

logger = logging.getLogger(__name__)

#: The pid of the reloading parent, handed to its child through the environment.
PARENT_PID_ENV = "SENTRA_WORKER_PARENT_PID"
PR_SET_PDEATHSIG = 1
#: The job class django-tasks' RQ backend enqueues with; its workers must run jobs with the same class.
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


def die_with_parent(parent_pid: int) -> str:
    """Make this process end when ``parent_pid`` (its parent) ends; returns how ("prctl" or "poll")."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        except (OSError, AttributeError):
            logger.warning("prctl(PR_SET_PDEATHSIG) unavailable: watching the parent process instead", exc_info=True)
        else:
            if os.getppid() != parent_pid:  # the parent died before the kernel was asked to tell us
                os._exit(1)
            return "prctl"

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="worker-parent-watch", daemon=True).start()
    return "poll"


def start_reaper() -> threading.Thread:
    """A thread that re-queues the jobs of dead workers every third of ``SENTRA_JOB_STALE_SECONDS``."""
    from django.db import connection

    from sentra.core.jobs import requeue_stale_jobs

    interval = max(1.0, float(settings.SENTRA_JOB_STALE_SECONDS) / 3)

    def run() -> None:
        while True:
            time.sleep(interval)
            try:
                requeue_stale_jobs()
            except Exception:  # the database is away for a moment: try again next time
                logger.warning("looking for jobs of dead workers failed", exc_info=True)
            finally:
                connection.close()  # no socket of this thread's is open when RQ forks a work horse

    thread = threading.Thread(target=run, name="job-reaper", daemon=True)
    thread.start()
    return thread


class Command(BaseCommand):
    help = "Menjalankan pekerja tugas latar (basis data secara bawaan, atau RQ/Redis bila dipilih)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args, **options):
        backend = str(settings.TASKS["default"]["BACKEND"])
        start_reaper()
        if backend.startswith("django_tasks_rq"):
            # The backend's own job class runs the task's function and records its result; rq's default one
            # would call the Task object itself and fail every job.
            call_command("rqworker", options["queue_name"], with_scheduler=False, job_class=RQ_JOB_CLASS)
            return
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true" and os.environ.get(PARENT_PID_ENV, "").isdigit():
            die_with_parent(int(os.environ[PARENT_PID_ENV]))  # the reloader's child
        else:
            os.environ[PARENT_PID_ENV] = str(os.getpid())  # inherited by the child the reloader starts
        extra = ["--max-tasks", str(options["max_tasks"])] if options["max_tasks"] else []
        call_command("db_worker", "--queue-name", options["queue_name"], *extra)
