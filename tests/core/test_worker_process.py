"""The worker's processes and heartbeat: a real `sentra worker` (with its reloading parent) killed with SIGKILL takes
its child with it, and the job that child was running is shown as failed within SENTRA_JOB_STALE_SECONDS; while a
worker lives, a job inside one long transaction keeps beating."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from sentra.core import jobs
from sentra.core.jobs import apply_live_progress, job_rerun, run_job
from sentra.core.models import Job, JobState

REPO = Path(__file__).resolve().parents[2]
SENTRA = Path(sys.executable).with_name("sentra")
_current_handler = None  # the quiet_job fixture's handler, found by its dotted path
STALE = 4  # seconds, for the worker under test
BEAT = 1


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _database_url(tmp_path: Path) -> str:
    """A database the subprocesses share with this test: PostgreSQL's test database, or a file copy of SQLite's."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or "postgres"
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    target = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{target}"


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRA_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.core.worker_settings",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        SENTRA_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=database_url,
        DEBUG="1",  # the database worker then reloads on code changes: a parent process and a child that works
        SENTRA_JOB_HEARTBEAT_SECONDS=str(BEAT),
        SENTRA_JOB_STALE_SECONDS=str(STALE),
        SENTRA_LOAD_REGIONS_ON_MIGRATE="0",
    )
    return env


def _shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [str(SENTRA), "shell", "-v", "0", "-c", code],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


STATE = (
    "from sentra.core.jobs import apply_live_progress; from sentra.core.models import Job; "
    "job = apply_live_progress(Job.objects.get(pk={pk})); print(job.state, job.effective_state)"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_takes_its_child_along_and_its_job_fails_promptly(tmp_path, officer_region_a):
    env = _env(tmp_path, _database_url(tmp_path))
    marker = tmp_path / "job.pid"
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([str(SENTRA), "worker"], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    child = None
    try:
        pk = _shell(
            env,
            "from sentra.accounts.models import User; from sentra.core.jobs import job_start; "
            f"job = job_start(actor=User.objects.get(pk={officer_region_a.pk}), kind='test-hold', title='uji', "
            f"params={{'marker': {str(marker)!r}}}); print(job.pk)",
        )
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the worker did not start the job"
            time.sleep(0.2)
        time.sleep(0.2)
        child = int(marker.read_text(encoding="utf-8"))
        assert child != worker.pid and _parent_of(child) == worker.pid  # the reloader's child runs the job

        # Alive, inside one transaction and without reporting progress for longer than the stale threshold:
        # the worker's heartbeat keeps the job running.
        time.sleep(STALE + 1)
        assert _shell(env, STATE.format(pk=pk)) == "running running"

        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(child):
            assert time.monotonic() < deadline, "the worker's child outlived its parent"
            time.sleep(0.1)

        # No process beats any more: shown as failed (and so re-runnable) once the threshold has passed.
        time.sleep(STALE + 1)
        assert _shell(env, STATE.format(pk=pk)) == "running failed"
    except AssertionError:
        if "changed, reloading" in log.read_text(errors="replace"):
            # Another edit in this checkout made the reloader restart the child mid-job: not what is tested here.
            pytest.skip("a source file changed while the reloading worker ran")
        raise
    finally:
        for pid in (worker.pid, child):
            if pid and _alive(pid):
                os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_die_with_parent_uses_the_kernel_and_a_child_dies_with_its_parent(tmp_path):
    # A parent starts a child that asks to die with it, then the parent is killed with SIGKILL.
    script = tmp_path / "family.py"
    script.write_text(
        "import os, subprocess, sys, time\n"
        "if sys.argv[1:] == ['child']:\n"
        "    from sentra.core.management.commands.worker import die_with_parent\n"
        "    print(die_with_parent(int(os.environ['PARENT'])), flush=True)\n"
        "    time.sleep(60)\n"
        "else:\n"
        "    os.environ['PARENT'] = str(os.getpid())\n"
        "    child = subprocess.Popen([sys.executable, __file__, 'child'])\n"
        "    print(child.pid, flush=True)\n"
        "    time.sleep(60)\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert parent.stdout.readline().strip() == "prctl"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _alive(child):
            assert time.monotonic() < deadline, "the child outlived its parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


# --- The heartbeat in-process ----------------------------------------------------------------------------------------


@pytest.fixture
def quiet_job(officer_region_a, monkeypatch, settings):
    """A job whose handler runs 0.8 s without reporting progress (optionally inside a transaction)."""
    settings.SENTRA_JOB_HEARTBEAT_SECONDS = 0.1
    seen = {}

    def handler(ctx):
        first = Job.objects.get(pk=ctx.job.pk).heartbeat_at
        if ctx.params.get("atomic"):
            with transaction.atomic():
                Job.objects.filter(pk=-1).update(phase="")  # a write: SQLite's lock is this transaction's
                time.sleep(0.8)
                seen["last"] = apply_live_progress(Job.objects.get(pk=ctx.job.pk)).heartbeat_at
        else:
            time.sleep(0.8)
            seen["last"] = Job.objects.get(pk=ctx.job.pk).heartbeat_at
        seen["first"] = first
        return {}

    monkeypatch.setitem(jobs.JOB_HANDLERS, "test-quiet", "tests.core.test_worker_process._current_handler")
    monkeypatch.setattr(sys.modules[__name__], "_current_handler", handler)

    def run(atomic: bool) -> dict:
        job = Job.objects.create(
            user=officer_region_a, kind="test-quiet", title="uji", params={"atomic": atomic}, state=JobState.QUEUED
        )
        assert run_job.call(job.pk) == "succeeded"
        return seen

    return run


@pytest.mark.django_db(transaction=True)
def test_a_job_that_reports_nothing_still_beats(quiet_job):
    seen = quiet_job(atomic=False)
    assert (seen["last"] - seen["first"]).total_seconds() >= 0.3


@pytest.mark.django_db(transaction=True)
def test_a_job_inside_one_long_transaction_still_beats(quiet_job):
    seen = quiet_job(atomic=True)
    assert (seen["last"] - seen["first"]).total_seconds() >= 0.3


@pytest.mark.django_db
def test_a_job_beating_only_in_the_live_store_cannot_be_rerun(officer_region_a, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the live store carries beats only on SQLite; PostgreSQL updates the row")
    old = timezone.now() - timezone.timedelta(seconds=settings.SENTRA_JOB_STALE_SECONDS + 60)
    job = Job.objects.create(
        user=officer_region_a, kind="import", title="x", state=JobState.RUNNING, attempts=1, heartbeat_at=old
    )
    assert job.is_stale
    jobs._live_store().set(jobs._beat_key(job), {"attempt": 1, "heartbeat_at": timezone.now()})
    try:
        assert not apply_live_progress(job).is_stale
        with pytest.raises(ValidationError):
            job_rerun(actor=officer_region_a, job=job)
        assert Job.objects.get(pk=job.pk).state == JobState.RUNNING
    finally:
        jobs._live_store().delete(jobs._beat_key(job))


@pytest.mark.django_db
def test_the_heartbeat_of_a_zombie_attempt_writes_nothing(officer_region_a):
    job = Job.objects.create(user=officer_region_a, kind="import", title="x", state=JobState.RUNNING, attempts=2)
    jobs._Heartbeat(job, 1).beat()
    assert Job.objects.get(pk=job.pk).heartbeat_at is None  # the same rule as progress(): only the current attempt


def test_die_with_parent_exits_when_the_parent_is_already_gone():
    code = (
        "import os, sys; sys.path[:0] = [os.getcwd()]\n"
        "from sentra.core.management.commands.worker import die_with_parent\n"
        "die_with_parent(1 if os.getppid() != 1 else 2)\n"
        "print('still here')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1 and "still here" not in result.stdout


@pytest.mark.django_db
def test_the_job_list_shows_a_job_beating_in_the_live_store_as_running(client, officer_region_a, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the live store carries beats only on SQLite; PostgreSQL updates the row")
    old = timezone.now() - timezone.timedelta(seconds=settings.SENTRA_JOB_STALE_SECONDS + 60)
    job = Job.objects.create(
        user=officer_region_a, kind="import", title="Impor panjang", state=JobState.RUNNING, attempts=1,
        started_at=old, heartbeat_at=old,
    )  # fmt: skip
    client.force_login(officer_region_a)
    jobs._live_store().set(jobs._beat_key(job), {"attempt": 1, "heartbeat_at": timezone.now()})
    try:
        assert 'data-state="running"' in client.get(reverse("core:job_list")).content.decode()
    finally:
        jobs._live_store().delete(jobs._beat_key(job))
    assert 'data-state="failed"' in client.get(reverse("core:job_list")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_runs_a_job_to_its_end(tmp_path, officer_region_a):
    """With the task queue on Redis (SENTRA_TASKS_BACKEND=rq) a real `sentra worker` runs a job and records its
    outcome: the worker must use the backend's job class, or every job fails before its handler starts."""
    import redis

    redis_url = os.environ.get("SENTRA_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    redis.Redis.from_url(redis_url).flushdb()  # a database of its own: nothing queued by anyone else
    env = _env(tmp_path, _database_url(tmp_path))
    env.update(SENTRA_TASKS_BACKEND="rq", REDIS_URL=redis_url, DEBUG="0")
    marker = tmp_path / "job.pid"
    marker.with_suffix(".stop").write_text("", encoding="utf-8")  # the job returns as soon as it has started
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([str(SENTRA), "worker"], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        pk = _shell(
            env,
            "from sentra.accounts.models import User; from sentra.core.jobs import job_start; "
            f"job = job_start(actor=User.objects.get(pk={officer_region_a.pk}), kind='test-hold', title='uji', "
            f"params={{'marker': {str(marker)!r}}}); print(job.pk)",
        )
        deadline = time.monotonic() + 90
        while (state := _shell(env, STATE.format(pk=pk))) != "succeeded succeeded":
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, f"{state}: " + log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        assert marker.exists() and "Traceback" not in log.read_text(errors="replace")
    finally:
        worker.kill()
        worker.wait(timeout=10)
