"""Thin tasks: refresh the summary rows of the regions whose data changed."""

from __future__ import annotations

from django_tasks import task

from sentra.reports.services import summary_refresh


@task()
def summary_refresh_task(region_ids: list[str]) -> int:
    return summary_refresh(region_ids=region_ids)
