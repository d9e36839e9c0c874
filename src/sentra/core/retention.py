"""Retention of personal data (UU 27/2022 PDP Pasal 44; docs/domain.md §8): keep it only as long as needed.

Each kind of data has a *rule*: how many days it is kept (``settings.SENTRA_RETENTION_DAYS[key]``, else the
rule's default; 0 turns the rule off) and what happens when the time is up. Rows that feed statistics are
never deleted; only what identifies a person, or files, go. Apps register their own rules at ``ready()``
(``register_retention_rule``); ``sentra apply_retention`` runs them all, daily from ``deploy/systemd/sentra-daily``.

Rules of core:

* ``job_files``: files of finished import/export jobs (uploaded sheets, exports, rejected-row files) and the
  rejected rows' values kept on the job; the job row with its counts stays.
* ``reveal_log``: audit events recording that someone opened a NIK/phone (``*_revealed``). They hold who looked
  at whom, itself personal data; the change history of the records is not touched.
* ``sessions``: login sessions that expired that many days ago.
* ``login_records``: django-axes logs of logins and failed logins (user name and IP address).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

logger = logging.getLogger("sentra.retention")


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: StrOrPromise
    default_days: int
    #: ``apply(cutoff, dry_run) -> number of records (or files) erased``; everything older than ``cutoff`` goes.
    apply: Callable[[dt.datetime, bool], int]


@dataclass(frozen=True)
class RetentionResult:
    key: str
    label: str
    days: int
    cutoff: dt.datetime | None
    count: int


RULES: dict[str, RetentionRule] = {}


def register_retention_rule(rule: RetentionRule) -> None:
    RULES[rule.key] = rule


def retention_days(key: str) -> int:
    configured = getattr(settings, "SENTRA_RETENTION_DAYS", {}) or {}
    value = configured.get(key)
    return int(RULES[key].default_days if value is None else value)


def apply_retention(
    *, now: dt.datetime | None = None, dry_run: bool = False, only: list[str] | None = None
) -> list[RetentionResult]:
    """Run every rule (or ``only`` these keys); each in its own transaction, so one failure does not undo others."""
    now = now or timezone.now()
    results = []
    for key in sorted(RULES):
        if only and key not in only:
            continue
        rule = RULES[key]
        days = retention_days(key)
        if days <= 0:
            results.append(RetentionResult(key, str(rule.label), days, None, 0))
            continue
        cutoff = now - dt.timedelta(days=days)
        with transaction.atomic():
            count = rule.apply(cutoff, dry_run)
        logger.info("retention %s: %s older than %s %s", key, count, cutoff.date(), "(dry run)" if dry_run else "")
        results.append(RetentionResult(key, str(rule.label), days, cutoff, count))
    return results


# --- Core rules ---------------------------------------------------------------------------------------------


def _job_files(cutoff: dt.datetime, dry_run: bool) -> int:
    from sentra.core.models import Job, JobState

    finished = Q(state__in=[JobState.SUCCEEDED, JobState.FAILED], finished_at__lt=cutoff)
    abandoned = Q(state=JobState.DRAFT, created_at__lt=cutoff)  # uploaded, never started
    has_data = ~Q(input_file="") | ~Q(result_file="") | ~Q(error_file="") | ~Q(errors=[])
    jobs = Job.objects.filter((finished | abandoned) & has_data).order_by("pk")
    count = 0
    for job in jobs.iterator(chunk_size=500):
        count += 1
        if dry_run:
            continue
        for field in (job.input_file, job.result_file, job.error_file):
            if field.name:
                field.storage.delete(field.name)  # a missing file is not an error
        Job.objects.filter(pk=job.pk).update(input_file="", result_file="", error_file="", errors=[])
    return count


def _reveal_log(cutoff: dt.datetime, dry_run: bool) -> int:
    from sentra.core.models import AuditEvent

    events = AuditEvent.objects.filter(action__endswith="_revealed", at__lt=cutoff)
    return events.count() if dry_run else events.delete()[0]


def _sessions(cutoff: dt.datetime, dry_run: bool) -> int:
    from django.contrib.sessions.models import Session

    # ``cutoff`` is "now minus the setting": a session that expired that long ago goes.
    expired = Session.objects.filter(expire_date__lt=cutoff)
    return expired.count() if dry_run else expired.delete()[0]


def _system_jobs(cutoff: dt.datetime, dry_run: bool) -> int:
    """Finished jobs nobody owns: e-mails (with their addresses and text), summary refreshes, daily schedules."""
    from sentra.core.models import Job, JobState

    old = Job.objects.filter(user__isnull=True, state__in=[JobState.SUCCEEDED, JobState.FAILED], finished_at__lt=cutoff)
    return old.count() if dry_run else old.delete()[0]


def _login_records(cutoff: dt.datetime, dry_run: bool) -> int:
    from axes.models import AccessFailureLog, AccessLog

    count = 0
    for model in (AccessLog, AccessFailureLog):
        old = model.objects.filter(attempt_time__lt=cutoff)
        count += old.count() if dry_run else old.delete()[0]
    return count


register_retention_rule(
    RetentionRule("job_files", _("Berkas impor/ekspor dan baris ditolak pada tugas yang selesai"), 90, _job_files)
)
register_retention_rule(RetentionRule("reveal_log", _("Catatan pembukaan NIK/telepon"), 730, _reveal_log))
register_retention_rule(RetentionRule("sessions", _("Sesi masuk yang sudah kedaluwarsa"), 1, _sessions))
register_retention_rule(RetentionRule("login_records", _("Catatan masuk dan gagal masuk"), 180, _login_records))
register_retention_rule(
    RetentionRule(
        "system_jobs", _("Tugas latar sistem yang selesai (surel dan alamatnya, pembaruan ringkasan)"), 30, _system_jobs
    )
)
