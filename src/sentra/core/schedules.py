"""The one registry of daily work, run by ``sentra daily`` (the systemd timer in deploy/ runs that command).

Apps register what they need done every day in their ``AppConfig.ready()``::

    register_schedule("periodic-reminders", _("Pengingat laporan berkala"), "sentra.periodic.reminders.send_reminders")

The handler is a dotted path to ``fn(*, today: date) -> int | str | dict`` (a short summary of what it did); it
must be safe to run twice on one day. Each run is a ``core.Job`` of kind ``schedule`` (the record of when it
ran, what it did and why it failed), so daily work goes through the same job mechanism as imports, exports and
mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Schedule:
    name: str
    label: Any
    #: Dotted path to ``fn(*, today) -> summary``.
    handler: str
    #: Runs in this order (reminders before the summaries that count them).
    order: int = 50


_SCHEDULES: dict[str, Schedule] = {}


def register_schedule(name: str, label: Any, handler: str, *, order: int = 50) -> None:
    _SCHEDULES[name] = Schedule(name, label, handler, order)


def schedules() -> list[Schedule]:
    return sorted(_SCHEDULES.values(), key=lambda s: (s.order, s.name))


def schedule_start(schedule: Schedule, *, today: dt.date | None = None, now: bool = True) -> Any:
    """A job for one run of ``schedule``: run here and now (``now``), or queued for the worker."""
    from sentra.core.jobs import job_start, run_job
    from sentra.core.models import Job

    params = {"name": schedule.name, "today": today.isoformat() if today else None}
    title = _("Tugas harian: {label}").format(label=schedule.label)
    if not now:
        return job_start(actor=None, kind="schedule", title=title, params=params)
    job = Job.objects.create(user=None, kind="schedule", title=title[:200], params=params)
    run_job.call(job.pk)
    job.refresh_from_db()
    return job


def run_schedule_job(ctx: Any) -> dict[str, Any]:
    """The ``schedule`` job handler."""
    from sentra.core.jobs import JobError

    name = ctx.params.get("name")
    schedule = _SCHEDULES.get(name)
    if schedule is None:
        raise JobError(_("Tugas harian {name} tidak terdaftar.").format(name=name))
    day = ctx.params.get("today")
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    outcome = import_string(schedule.handler)(today=today)
    return outcome if isinstance(outcome, dict) else {"summary": outcome}


def apply_retention_daily(*, today: dt.date) -> dict[str, int]:
    """Core's own daily work: personal data past its retention period (``core.retention``)."""
    from sentra.core.retention import apply_retention

    return {r.key: r.count for r in apply_retention(dry_run=False)}
