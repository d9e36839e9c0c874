"""Thin tasks: refresh the summary rows of the regions whose data changed."""

from __future__ import annotations

from django_tasks import task

from sentra.reports.services import summary_refresh


@task()
def summary_refresh_task(region_ids: list[str]) -> int:
    return summary_refresh(region_ids=region_ids)


@task()
def programme_refresh_task(region_ids: list[str]) -> int:
    from sentra.reports.programme import programme_refresh

    return programme_refresh(region_ids=region_ids)


@task()
def outcome_refresh_task(region_ids: list[str]) -> int:
    from sentra.reports.outcomes import outcome_summaries_refresh

    return outcome_summaries_refresh(region_ids=region_ids)
