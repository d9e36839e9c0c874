"""Background tasks of periodic reporting (run daily by the worker's scheduler or cron)."""

from __future__ import annotations

from django_tasks import task

from sentra.periodic.reminders import send_reminders


@task()
def send_period_reminders() -> int:
    return send_reminders()
