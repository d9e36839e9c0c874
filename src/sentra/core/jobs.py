"""Background jobs: the one facade every long-running action (import, export, report) goes through .

The queue is Django's tasks API (django-tasks, with django-tasks-db's database worker by default, RQ/Redis by
setting); the :class:`~sentra.core.models.Job` row is what the user sees. ``job_start`` creates the row and
enqueues ``run_job(job_id)`` once the caller's transaction has committed; the task claims the job, rebuilds
the user (and so the user's scope) from the row, runs the handler registered for the job's ``kind`` and
records the outcome.

A handler is ``handler(ctx: JobContext) -> dict`` (the result shown on the job page). It reports progress with
``ctx.progress(done, total)``; each report is its own short write, throttled, and doubles as the heartbeat.
Besides, a thread of the worker process beats every ``SENTRA_JOB_HEARTBEAT_SECONDS`` while the job runs (also
while the handler sits inside one long transaction, or computes without reporting). A worker that dies (killed,
machine lost) stops both: after ``SENTRA_JOB_STALE_SECONDS`` the job is shown as failed and ``job_rerun`` may
queue it again. Handlers must therefore be safe to run twice (imports are idempotent upserts
written in one transaction; exports overwrite their file).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from sentra.core.models import Job, JobState

logger = logging.getLogger(__name__)

#: kind → dotted path of the handler (lazy, so core never imports the apps that provide handlers).
JOB_HANDLERS: dict[str, str] = {
    "import": "sentra.core.importing.service.run_import_job",
    "export": "sentra.core.exporting.service.run_export_job",
    "email": "sentra.core.mail.run_mail_job",
    "schedule": "sentra.core.schedules.run_schedule_job",
}


@dataclass(frozen=True)
class JobKindOptions:
    #: Runs without a user (notices, daily work): no owner whose account must be active.
    system: bool = False
    #: Attempts in all when the handler fails unexpectedly (an SMTP server that is down); 1 = no retry.
    max_attempts: int = 1
    #: Seconds before a retry, times the attempt number (on queues that can defer a task).
    retry_delay: int = 60


JOB_KIND_OPTIONS: dict[str, JobKindOptions] = {
    "email": JobKindOptions(system=True, max_attempts=3, retry_delay=300),
    "schedule": JobKindOptions(system=True),
}


def register_job_handler(
    kind: str, handler: str, *, system: bool = False, max_attempts: int = 1, retry_delay: int = 60
) -> None:
    """Let a higher app run its own job kind (``handler`` is a dotted path to ``fn(ctx) -> dict``)."""
    JOB_HANDLERS[kind] = handler
    JOB_KIND_OPTIONS[kind] = JobKindOptions(system=system, max_attempts=max_attempts, retry_delay=retry_delay)


def job_kind_options(kind: str) -> JobKindOptions:
    return JOB_KIND_OPTIONS.get(kind, JobKindOptions())


class JobError(Exception):
    """A failure to report to the user as it is (already in plain Indonesian); ``messages`` go to ``Job.errors``."""

    def __init__(self, message: str, *, messages: list[Any] | None = None, result: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.messages = messages or []
        self.result = result or {}


@dataclass
class JobContext:
    job: Job
    attempt: int
    user: Any
    _last_write: float = field(default=0.0)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int | None = None, *, phase: str | None = None, force: bool = False) -> None:
        """Record progress (and the heartbeat), at most twice a second unless ``force``.

        Inside an open transaction the write would only become visible at commit (and on SQLite it would wait
        for the writer's lock), so there progress is kept in memory and written at the next chance.
        """
        self.job.done = done
        if total is not None:
            self.job.total = total
        if phase is not None:
            self.job.phase = phase
        now = time.monotonic()
        if not force and now - self._last_write < 0.5:
            return
        self._last_write = now
        fields = {"done": self.job.done, "heartbeat_at": timezone.now()}
        if self.job.total is not None:
            fields["total"] = self.job.total
        if phase is not None or force:
            fields["phase"] = self.job.phase
        if connection.in_atomic_block:
            # An import writes inside one long transaction: its own connection cannot publish anything.
            _publish_live(self.job, self.attempt, fields)
            return
        # Only the current attempt may write: a zombie worker of an earlier attempt is ignored.
        Job.objects.filter(pk=self.job.pk, attempts=self.attempt, state=JobState.RUNNING).update(**fields)

    def heartbeat(self) -> None:
        self.progress(self.job.done, force=False)


# --- Progress published from inside a transaction -------------------------------------------------------------
#
# PostgreSQL: a second, autocommit connection updates the job row (``SKIP LOCKED``: it never waits for a lock).
# SQLite has one writer at a time and the import holds the write lock, so there the progress goes to a small
# store beside the database (the cache when it is shared, e.g. Redis; else files in DATA_DIR), which the job
# pages read with ``apply_live_progress``.


def _live_store() -> Any:
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache | DummyCache):  # not shared between the worker and the web processes
        return FileBasedCache(str(Path(settings.DATA_DIR) / "cache" / "jobs"), {"TIMEOUT": 86400})
    return cache


def _live_key(job: Job) -> str:
    stamp = int(job.created_at.timestamp() * 1000) if job.created_at else 0
    return f"sentra-job-live-{job.pk}-{stamp}"


def _beat_key(job: Job) -> str:
    return _live_key(job) + "-beat"


def _publish_live(job: Job, attempt: int, fields: dict[str, Any]) -> None:
    try:
        if connection.vendor == "postgresql":
            side = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                names = list(fields)
                assignments = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in names)
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE core_job SET {assignments} WHERE id IN (SELECT id FROM core_job "  # noqa: S608
                        "WHERE id = %s AND attempts = %s AND state = %s FOR UPDATE SKIP LOCKED)",
                        [*(fields[n] for n in names), job.pk, attempt, JobState.RUNNING],
                    )
            finally:
                side.close()
        else:
            _live_store().set(_live_key(job), {"attempt": attempt, **fields})
    except Exception:  # progress is best effort: never fail the job for it
        logger.warning("could not publish the progress of job %s", job.pk, exc_info=True)


def apply_live_progress(job: Job) -> Job:
    """Show the progress a running job published from inside its transaction (SQLite), if newer than the row's."""
    if job.state != JobState.RUNNING or connection.vendor == "postgresql":
        return job
    try:
        store = _live_store()
        live, beat_only = store.get(_live_key(job)), store.get(_beat_key(job))
    except Exception:
        return job
    if live and live.get("attempt") == job.attempts:
        beat = live.get("heartbeat_at")
        if beat is not None and (job.heartbeat_at is None or beat > job.heartbeat_at):
            for name in ("done", "total", "phase", "heartbeat_at"):
                if name in live:
                    setattr(job, name, live[name])
    if beat_only and beat_only.get("attempt") == job.attempts:
        beat = beat_only.get("heartbeat_at")
        if beat is not None and (job.heartbeat_at is None or beat > job.heartbeat_at):
            job.heartbeat_at = beat
    return job


def _forget_live(job: Job) -> None:
    if connection.vendor != "postgresql":
        with contextlib.suppress(Exception):
            _live_store().delete_many([_live_key(job), _beat_key(job)])


class _Heartbeat:
    """A thread of the worker process that beats for the running job every ``SENTRA_JOB_HEARTBEAT_SECONDS``.

    It runs beside the handler, so the job stays fresh while the handler computes without reporting or writes
    inside one long transaction; when the process dies (SIGKILL, a lost machine) the beats stop and the job goes
    stale within ``SENTRA_JOB_STALE_SECONDS``. The thread has its own database connection and never waits for a
    lock: on PostgreSQL the row is updated with ``SKIP LOCKED``; on SQLite with a short busy timeout, and while the
    handler holds the write lock the beat goes to the live store the job pages read (``apply_live_progress``).
    """

    def __init__(self, job: Job, attempt: int) -> None:
        self.job = job
        self.attempt = attempt
        self.interval = max(0.1, float(settings.SENTRA_JOB_HEARTBEAT_SECONDS))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job.pk}-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:  # this thread's own connection
                    cursor.execute("PRAGMA busy_timeout = 250")
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except Exception:  # a beat is best effort; the next one may succeed
                    logger.warning("heartbeat of job %s failed", self.job.pk, exc_info=True)
        finally:
            connection.close()

    def beat(self) -> None:
        now = timezone.now()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE core_job SET heartbeat_at = %s WHERE id IN (SELECT id FROM core_job "
                    "WHERE id = %s AND attempts = %s AND state = %s FOR UPDATE SKIP LOCKED)",
                    [now, self.job.pk, self.attempt, JobState.RUNNING],
                )
            return
        try:
            Job.objects.filter(pk=self.job.pk, attempts=self.attempt, state=JobState.RUNNING).update(heartbeat_at=now)
        except OperationalError:  # the handler's transaction holds SQLite's write lock
            _live_store().set(_beat_key(self.job), {"attempt": self.attempt, "heartbeat_at": now})


# --- Starting and re-running -------------------------------------------------------------------------------------


def job_create(*, actor: Any, kind: str, title: str, params: dict[str, Any] | None = None, **fields: Any) -> Job:
    """A job row in the draft state (an import waiting for its mapping and preview)."""
    return Job.objects.create(
        user=actor, kind=kind, title=title[:200], params=params or {}, state=JobState.DRAFT, **fields
    )


def job_start(
    *,
    actor: Any,
    kind: str | None = None,
    title: str = "",
    params: dict[str, Any] | None = None,
    job: Job | None = None,
) -> Job:
    """Queue a job (a new one, or the given draft) to run after the current transaction commits."""
    with transaction.atomic():
        if job is None:
            if kind is None:
                raise ValueError("kind or job is required")
            job = Job.objects.create(user=actor, kind=kind, title=title[:200], params=params or {})
        else:
            if job.user_id != getattr(actor, "pk", None):
                raise PermissionDenied
            updated = Job.objects.filter(pk=job.pk, state=JobState.DRAFT).update(
                state=JobState.QUEUED, params=job.params
            )
            if not updated:
                raise ValidationError(_("Tugas ini sudah dijalankan."), code="job_started")
            job.state = JobState.QUEUED
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def job_rerun(*, actor: Any, job: Job) -> Job:
    """Queue a failed job (or one whose worker died) again. Safe: handlers are idempotent."""
    if job.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    cutoff = timezone.now() - timedelta(seconds=settings.SENTRA_JOB_STALE_SECONDS)
    current = apply_live_progress(Job.objects.get(pk=job.pk))
    if current.state == JobState.RUNNING and not current.is_stale:
        # Still beating, perhaps only in the live store (SQLite, inside the handler's transaction): not dead.
        raise ValidationError(_("Hanya tugas yang gagal yang dapat dijalankan ulang."), code="job_not_failed")
    with transaction.atomic():
        updated = Job.objects.filter(
            Q(state=JobState.FAILED)
            | Q(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
            | Q(state=JobState.RUNNING, heartbeat_at__isnull=True, started_at__lt=cutoff),
            pk=job.pk,
        ).update(state=JobState.QUEUED, errors=[], phase="", done=0, finished_at=None)
        if not updated:
            raise ValidationError(_("Hanya tugas yang gagal yang dapat dijalankan ulang."), code="job_not_failed")
        transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job


#: A job whose worker died is taken up again automatically until it has been started this many times.
STALE_REQUEUE_LIMIT = 3


def requeue_stale_jobs() -> list[int]:
    """Queue again the running jobs whose worker stopped beating (killed, machine lost); return their ids.

    Every worker calls this every few seconds (``sentra worker``), so a job outlives the worker that took it without
    anyone pressing "Jalankan ulang": handlers are safe to run twice, and an import's transaction died with its
    worker. The update is conditional on the state and attempt seen, so of several workers only one takes each job.
    After ``STALE_REQUEUE_LIMIT`` starts the job is left failed (a job that kills its worker every time).
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.SENTRA_JOB_STALE_SECONDS)
    stale = Q(state=JobState.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    taken: list[int] = []
    for job in Job.objects.filter(stale).order_by("pk")[:100]:
        if not apply_live_progress(job).is_stale:  # beating in the live store (SQLite, inside the handler's write)
            continue
        seen = Job.objects.filter(stale, pk=job.pk, attempts=job.attempts)
        if job.attempts >= STALE_REQUEUE_LIMIT:
            seen.update(
                state=JobState.FAILED,
                finished_at=now,
                errors=[_("Pekerja tugas berhenti {n} kali saat menjalankan tugas ini.").format(n=job.attempts)],
            )
            _forget_live(job)
            continue
        if seen.update(
            state=JobState.QUEUED,
            phase="",
            done=0,
            heartbeat_at=now,
            errors=[_("Pekerja tugas berhenti saat percobaan {n}; tugas dilanjutkan otomatis.").format(n=job.attempts)],
        ):
            _forget_live(job)
            _enqueue(job.pk)
            taken.append(job.pk)
    if taken:
        logger.warning("jobs %s had lost their worker and were queued again", taken)
    return taken


def _enqueue(job_id: int, delay: int = 0) -> None:
    try:
        task = run_job
        if delay and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        result = task.enqueue(job_id)
    except Exception:  # the queue itself is unavailable: say so on the job instead of losing it
        logger.exception("could not enqueue job %s", job_id)
        Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.FAILED,
            finished_at=timezone.now(),
            errors=[_("Antrean tugas tidak tersedia. Coba jalankan ulang beberapa saat lagi.")],
        )
        return
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


# --- The task --------------------------------------------------------------------------------------------------


@task()
def run_job(job_id: int) -> str:
    """Claim the job, run its handler as the job's user, and record the outcome."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, done=0
    )
    if not claimed:
        return "skipped"  # already taken by another worker, finished, or deleted
    job = Job.objects.select_related("user").get(pk=job_id)
    ctx = JobContext(job=job, attempt=job.attempts, user=job.user)
    options = job_kind_options(job.kind)
    try:
        if not options.system and (job.user is None or not job.user.is_active):
            raise JobError(_("Akun pemilik tugas ini tidak aktif."))
        handler: Callable[[JobContext], dict[str, Any]] = import_string(JOB_HANDLERS[job.kind])
        with _Heartbeat(job, ctx.attempt):
            result = handler(ctx)
    except JobError as exc:
        _finish(ctx, JobState.FAILED, result=exc.result, errors=[exc.message, *exc.messages])
        return "failed"
    except (PermissionDenied, ValidationError) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("Akses ditolak."))
        _finish(ctx, JobState.FAILED, errors=[text])
        return "failed"
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        if ctx.attempt < options.max_attempts:
            _retry(ctx, exc, delay=options.retry_delay * ctx.attempt)
            return "retrying"
        _finish(
            ctx,
            JobState.FAILED,
            errors=[
                _("Terjadi galat tak terduga ({name}). Tidak ada data yang diubah; coba jalankan ulang.").format(
                    name=exc.__class__.__name__
                )
            ],
        )
        return "failed"
    _finish(ctx, JobState.SUCCEEDED, result=result or {})
    return "succeeded"


def _retry(ctx: JobContext, exc: Exception, *, delay: int) -> None:
    """Queue the job again after an unexpected failure, keeping the error visible until the next attempt."""
    error = _("Percobaan {n} gagal ({name}); dicoba lagi otomatis.").format(n=ctx.attempt, name=exc.__class__.__name__)
    requeued = Job.objects.filter(pk=ctx.job.pk, attempts=ctx.attempt, state=JobState.RUNNING).update(
        state=JobState.QUEUED, phase="", errors=[error], heartbeat_at=timezone.now()
    )
    _forget_live(ctx.job)
    if requeued:
        _enqueue(ctx.job.pk, delay=delay)


def _finish(
    ctx: JobContext, state: str, *, result: dict[str, Any] | None = None, errors: list[Any] | None = None
) -> None:
    job = ctx.job
    fields: dict[str, Any] = {
        "state": state,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "done": job.done,
        "total": job.total,
        "phase": "",
        "result": result if result is not None else job.result,
        "errors": errors or [],
    }
    for name in ("result_file", "error_file"):
        value = getattr(job, name)
        fields[name] = value.name if value else ""
    Job.objects.filter(pk=job.pk, attempts=ctx.attempt).update(**fields)
    _forget_live(job)
    for name, value in fields.items():
        if name not in ("result_file", "error_file"):
            setattr(job, name, value)


# --- Reads ----------------------------------------------------------------------------------------------------


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """Every user sees only their own jobs (officers too): a job carries its owner's scope, not the viewer's."""
    if user is None or not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(user=user)
