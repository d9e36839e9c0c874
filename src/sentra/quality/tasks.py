"""Background tasks of the quality app (django-tasks). Scheduled daily by cron/systemd through the
``sentra send_expiry_notices`` command, or enqueued from code."""

from __future__ import annotations

from django_tasks import task


@task()
def send_expiry_notices_task(today: str | None = None) -> int:
    import datetime as dt

    from sentra.quality.services import send_expiry_notices

    return send_expiry_notices(today=dt.date.fromisoformat(today) if today else None)
