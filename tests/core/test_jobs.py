"""Background jobs: the record users see, progress pages, dead workers and safe re-runs ."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from sentra.core import jobs
from sentra.core.jobs import JobContext, job_rerun, job_start, run_job
from sentra.core.models import Job, JobState
from sentra.registry.imports import BusinessImport
from sentra.registry.models import Business
from tests.core.importing_helpers import draft_import_job, good_rows

pytestmark = pytest.mark.django_db


def test_a_job_is_enqueued_only_when_the_transaction_commits(officer_region_a, django_capture_on_commit_callbacks):
    job = draft_import_job(officer_region_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job_start(actor=officer_region_a, job=job)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1 and job.task_id
    assert job.started_at and job.finished_at and job.heartbeat_at


def test_a_worker_killed_mid_commit_leaves_no_partial_data_and_the_rerun_completes(
    officer_region_a, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.SENTRA_IMPORT_BATCH_SIZE = 2
    job = draft_import_job(officer_region_a, good_rows(6))
    original = BusinessImport.commit
    calls = {"n": 0}

    def dying_commit(self, rows, ctx):
        calls["n"] += 1
        result = original(self, rows, ctx)
        if calls["n"] == 2:  # the first batch is written, then the worker "dies"
            raise SystemExit("worker killed")
        return result

    monkeypatch.setattr(BusinessImport, "commit", dying_commit)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job_start(actor=officer_region_a, job=job)
    callbacks[0]()  # the task backend records the crash; our code never got to mark the job
    # The process died: the transaction was rolled back and the job row still says "running".
    assert Business.objects.count() == 0
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and not job.is_stale
    # No heartbeat for longer than the timeout (neither on the row nor in the live store the progress went to):
    # shown as failed, with a re-run button.
    later = timezone.now() + timedelta(seconds=settings.SENTRA_JOB_STALE_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    job.refresh_from_db()
    assert job.is_stale and job.effective_state == JobState.FAILED and job.can_rerun
    monkeypatch.setattr(BusinessImport, "commit", original)
    with django_capture_on_commit_callbacks(execute=True):
        job_rerun(actor=officer_region_a, job=job)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert job.result["created"] == 6 and Business.objects.count() == 6


def test_stale_job_page_offers_a_rerun(client, officer_region_a):
    job = Job.objects.create(
        user=officer_region_a, kind="import", title="Impor", state=JobState.RUNNING,
        started_at=timezone.now() - timedelta(hours=2), heartbeat_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    client.force_login(officer_region_a)
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Pekerja latar berhenti memberi kabar" in body and "Jalankan ulang" in body
    assert 'data-state="failed"' in body


def test_a_running_job_cannot_be_rerun_and_its_page_polls(client, officer_region_a):
    job = Job.objects.create(
        user=officer_region_a, kind="import", title="Impor", state=JobState.RUNNING,
        started_at=timezone.now(), heartbeat_at=timezone.now(), done=40, total=100,
    )  # fmt: skip
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        job_rerun(actor=officer_region_a, job=job)
    client.force_login(officer_region_a)
    body = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and "40%" in body


def test_a_zombie_attempt_cannot_overwrite_the_rerun(officer_region_a):
    job = Job.objects.create(user=officer_region_a, kind="import", title="x", state=JobState.RUNNING, attempts=2)
    zombie = JobContext(job=Job.objects.get(pk=job.pk), attempt=1, user=officer_region_a)
    zombie.progress(99, 100, force=True)
    job.refresh_from_db()
    assert job.done == 0


def test_a_job_runs_once(officer_region_a):
    job = Job.objects.create(user=officer_region_a, kind="import", title="x", state=JobState.SUCCEEDED)
    assert run_job.call(job.pk) == "skipped"


def test_queue_unavailable_marks_the_job_failed(officer_region_a, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("no queue")

    monkeypatch.setattr(jobs, "run_job", SimpleNamespace(enqueue=broken))
    job = draft_import_job(officer_region_a)
    with django_capture_on_commit_callbacks(execute=True):
        job_start(actor=officer_region_a, job=job)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "Antrean tugas tidak tersedia" in job.errors[0]


def test_unexpected_errors_are_reported_plainly(officer_region_a, django_capture_on_commit_callbacks, monkeypatch):
    def boom(self, rows, ctx):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BusinessImport, "commit", boom)
    job = draft_import_job(officer_region_a)
    with django_capture_on_commit_callbacks(execute=True):
        job_start(actor=officer_region_a, job=job)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "Tidak ada data yang diubah" in job.errors[0]
    assert Business.objects.count() == 0


def test_users_see_only_their_own_jobs(client, officer_region_a, national_admin):
    mine = Job.objects.create(user=officer_region_a, kind="export", title="Ekspor saya", state=JobState.SUCCEEDED)
    theirs = Job.objects.create(user=national_admin, kind="export", title="Ekspor nasional", state=JobState.SUCCEEDED)
    client.force_login(officer_region_a)
    body = client.get(reverse("core:job_list")).content.decode()
    assert "Ekspor saya" in body and "Ekspor nasional" not in body
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    # even a national admin does not see an officer's job
    client.force_login(national_admin)
    assert client.get(mine.get_absolute_url()).status_code == 404


def test_job_list_query_count_does_not_grow(client, officer_region_a, django_assert_max_num_queries):
    client.force_login(officer_region_a)
    for i in range(30):
        Job.objects.create(user=officer_region_a, kind="export", title=f"Ekspor {i}", state=JobState.SUCCEEDED)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("core:job_list")).status_code == 200


def _as_if_its_worker_died(job, *, attempts, seconds_ago):
    beat = timezone.now() - timedelta(seconds=seconds_ago)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=attempts, started_at=beat, heartbeat_at=beat)


def test_a_job_whose_worker_died_is_queued_again_by_any_worker_and_completes_once(officer_region_a, settings):
    job = draft_import_job(officer_region_a, good_rows(4))
    _as_if_its_worker_died(job, attempts=1, seconds_ago=settings.SENTRA_JOB_STALE_SECONDS + 5)
    assert jobs.requeue_stale_jobs() == [job.pk]  # the immediate backend runs it at once
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert job.result["created"] == 4 and Business.objects.count() == 4
    assert jobs.requeue_stale_jobs() == []  # a second worker looking right after finds nothing to take


def test_a_beating_job_is_left_alone(officer_region_a, settings):
    job = draft_import_job(officer_region_a, good_rows(2))
    _as_if_its_worker_died(job, attempts=1, seconds_ago=settings.SENTRA_JOB_STALE_SECONDS - 5)
    assert jobs.requeue_stale_jobs() == []
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and Business.objects.count() == 0


def test_a_job_that_kills_its_worker_every_time_is_left_failed_with_the_reason(officer_region_a, settings):
    job = draft_import_job(officer_region_a, good_rows(2))
    _as_if_its_worker_died(job, attempts=jobs.STALE_REQUEUE_LIMIT, seconds_ago=settings.SENTRA_JOB_STALE_SECONDS + 5)
    assert jobs.requeue_stale_jobs() == []
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "berhenti 3 kali" in job.errors[0]
    assert Business.objects.count() == 0
