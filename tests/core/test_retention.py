"""Retention (UU PDP): past the limit goes, newer stays, rows behind the statistics stay."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from sentra.core.audit import audit_record
from sentra.core.models import AuditEvent, Job, JobState
from sentra.core.retention import RULES, apply_retention, retention_days
from sentra.registry.models import Owner
from sentra.training.choices import ParticipantStatus
from sentra.training.models import Participant
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch

NOW = timezone.now()
OLD = NOW - dt.timedelta(days=1000)
RECENT = NOW - dt.timedelta(days=3)


def _job(*, finished_at, state=JobState.SUCCEEDED, created_at=None) -> Job:
    job = Job.objects.create(kind="export", title="Ekspor", state=state, finished_at=finished_at, done=10, total=10)
    job.input_file.save("masuk.csv", ContentFile(b"nik\n7471010101010001\n"), save=False)
    job.error_file.save("ditolak.csv", ContentFile(b"baris,nik\n2,7471\n"), save=False)
    job.errors = [{"row": 2, "value": "7471010101010001"}]
    job.save()
    if created_at:
        Job.objects.filter(pk=job.pk).update(created_at=created_at)
    return job


def test_every_rule_has_a_default_and_can_be_configured(settings):
    assert {"job_files", "reveal_log", "sessions", "login_records", "training_applications"} <= set(RULES)
    assert all(retention_days(key) > 0 for key in RULES)
    settings.SENTRA_RETENTION_DAYS = {"job_files": 7}
    assert retention_days("job_files") == 7


def test_job_files_past_the_limit_go_and_the_job_row_with_its_counts_stays(db):
    old, recent = _job(finished_at=OLD), _job(finished_at=RECENT)
    running = _job(finished_at=None, state=JobState.RUNNING, created_at=OLD)
    storage = old.input_file.storage
    old_names = [old.input_file.name, old.error_file.name]

    [result] = apply_retention(now=NOW, only=["job_files"])

    assert result.count == 1
    old.refresh_from_db()
    assert (old.input_file.name, old.error_file.name, old.errors) == ("", "", [])
    assert (old.done, old.total, old.state) == (10, 10, JobState.SUCCEEDED)  # the record of the run stays
    assert not any(storage.exists(name) for name in old_names)
    for kept in (recent, running):
        kept.refresh_from_db()
        assert kept.input_file.name and storage.exists(kept.input_file.name) and kept.errors
    # Running it again finds nothing more to do.
    assert apply_retention(now=NOW, only=["job_files"])[0].count == 0


def test_abandoned_draft_uploads_go_too(db):
    draft = _job(finished_at=None, state=JobState.DRAFT, created_at=OLD)
    apply_retention(now=NOW, only=["job_files"])
    draft.refresh_from_db()
    assert draft.input_file.name == ""


def test_reveal_log_past_the_limit_goes_and_change_history_stays(db, officer_region_a):
    owner = OwnerFactory()
    old_reveal = audit_record(actor=officer_region_a, action="registry.owner.nik_revealed", obj=owner)
    new_reveal = audit_record(actor=officer_region_a, action="registry.owner.nik_revealed", obj=owner)
    old_change = audit_record(actor=officer_region_a, action="registry.owner.updated", obj=owner)
    AuditEvent.objects.filter(pk__in=[old_reveal.pk, old_change.pk]).update(at=OLD)

    apply_retention(now=NOW, only=["reveal_log"])

    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old_reveal.pk not in remaining
    assert {new_reveal.pk, old_change.pk} <= remaining


def test_sessions_expired_long_ago_go(db):
    Session.objects.create(session_key="lama", session_data="x", expire_date=NOW - dt.timedelta(days=10))
    Session.objects.create(session_key="aktif", session_data="x", expire_date=NOW + dt.timedelta(days=1))
    apply_retention(now=NOW, only=["sessions"])
    assert list(Session.objects.values_list("session_key", flat=True)) == ["aktif"]


def test_login_records_go(db):
    from axes.models import AccessFailureLog

    old = AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", locked_out=False)
    AccessFailureLog.objects.filter(pk=old.pk).update(attempt_time=OLD)
    new = AccessFailureLog.objects.create(username="y", ip_address="10.0.0.2", user_agent="t", locked_out=False)
    apply_retention(now=NOW, only=["login_records"])
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [new.pk]


def _application(batch, *, status, decided_at, with_business=False, name="Pendaftar"):
    owner = OwnerFactory(region_id=batch.region_id, full_name=name)
    if with_business:
        BusinessFactory(region_id=batch.region_id, owners=[owner])
    participant = Participant.objects.create(
        batch=batch,
        owner=owner,
        status=status,
        source="public",
        motivation="Saya ingin belajar mengolah ikan",
        planned_business="Abon ikan",
        decision_reason="Kuota penuh" if status == ParticipantStatus.REJECTED else "",
        decided_at=decided_at,
    )
    return participant


def test_training_applications_past_the_limit_are_erased_and_counts_stay(db):
    batch = make_batch()
    old_rejected = _application(batch, status=ParticipantStatus.REJECTED, decided_at=OLD, name="Lama Ditolak")
    old_withdrawn_owner = _application(
        batch, status=ParticipantStatus.WITHDRAWN, decided_at=OLD, with_business=True, name="Punya Usaha"
    )
    new_rejected = _application(batch, status=ParticipantStatus.REJECTED, decided_at=RECENT, name="Baru Ditolak")
    old_accepted = _application(batch, status=ParticipantStatus.ACCEPTED, decided_at=OLD, name="Diterima")
    before = dict(batch.participants.values_list("status").annotate(n=Count("id")))

    [result] = apply_retention(now=NOW, only=["training_applications"])

    assert result.count == 3  # two applications' texts, one applicant anonymised
    for p in (old_rejected, old_withdrawn_owner):
        p.refresh_from_db()
        assert (p.motivation, p.planned_business, p.decision_reason) == ("", "", "")
    # The applicant known only through the expired application is anonymised; one with a business is not.
    assert Owner.objects.get(pk=old_rejected.owner_id).anonymised_at is not None
    assert Owner.objects.get(pk=old_rejected.owner_id).full_name != "Lama Ditolak"
    assert Owner.objects.get(pk=old_withdrawn_owner.owner_id).anonymised_at is None
    for p in (new_rejected, old_accepted):
        p.refresh_from_db()
        assert p.motivation == "Saya ingin belajar mengolah ikan"
        assert Owner.objects.get(pk=p.owner_id).anonymised_at is None
    after = dict(batch.participants.values_list("status").annotate(n=Count("id")))
    assert after == before  # aggregates kept
    assert AuditEvent.objects.filter(action="registry.owner.anonymised", object_id=str(old_rejected.owner_id)).exists()


def test_dry_run_changes_nothing_and_zero_days_turns_a_rule_off(db, settings):
    old = _job(finished_at=OLD)
    assert apply_retention(now=NOW, only=["job_files"], dry_run=True)[0].count == 1
    old.refresh_from_db()
    assert old.input_file.name
    settings.SENTRA_RETENTION_DAYS = {"job_files": 0}
    [result] = apply_retention(now=NOW, only=["job_files"])
    assert result.cutoff is None and result.count == 0
    old.refresh_from_db()
    assert old.input_file.name


def test_the_daily_command_reports_each_rule(db):
    _job(finished_at=OLD)
    out = StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert "job_files: 1 dihapus" in text
    assert all(f"{key}:" in text for key in RULES)


@pytest.mark.parametrize("unit", ["sentra-daily.service"])
def test_the_daily_timer_runs_the_command(unit):
    from pathlib import Path

    from sentra.core.schedules import schedules

    service = (Path(__file__).resolve().parents[2] / "deploy" / "systemd" / unit).read_text()
    # The timer runs `sentra daily`, which runs every registered schedule, the retention rules among them.
    assert "ExecStart=/srv/sentra/.venv/bin/sentra daily" in service
    assert "retention" in {s.name for s in schedules()}
