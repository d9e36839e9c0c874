"""Keeping the summary tables current on change.

Services announce their changes with ``core.events.notify_changed`` (one ``domain_changed`` per committed
transaction, with the regencies concerned, bulk writes and imports included). Here each notice queues at most one
task per summary it touches, for all the regions it names. There are no model-signal receivers: they would miss
``QuerySet.update()`` and ``bulk_create`` (tests/reports/test_refresh_on_change.py guards this). The daily
``refresh_summaries`` rebuilds everything as a safety net.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sentra.reports.jobs import REFRESH_KINDS


@dataclass(frozen=True)
class RefreshJob:
    """Queues one refresh of one summary as a ``core.jobs`` job (a system job: no user owns it)."""

    summary: str

    def enqueue(self, region_ids: list[str]) -> None:
        from sentra.core.jobs import job_start

        kind, title = REFRESH_KINDS[self.summary]
        job_start(actor=None, kind=kind, title=str(title), params={"region_ids": region_ids})


#: app label of a changed model → the summaries its rows feed (``BusinessCube``/``BusinessYearCube``,
#: ``ProgrammeCube``, ``OutcomeSummary``)
FEEDS = {
    "registry": ("summary", "outcome"),
    "training": ("programme", "outcome"),
    "budget": ("programme", "outcome"),
    "quality": ("programme",),
    "centres": ("programme", "outcome"),
    "periodic": ("programme",),
}
TASKS = {summary: RefreshJob(summary) for summary in REFRESH_KINDS}


def summaries_for(changes: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """The regions to refresh per summary for these changes (``{model label: region codes}``)."""
    out: dict[str, set[str]] = {}
    for label, region_ids in changes.items():
        for summary in FEEDS.get(label.split(".", 1)[0], ()):
            out.setdefault(summary, set()).update(region_ids)
    return out


def on_domain_changed(sender: Any, changes: Mapping[str, Iterable[str]], **kwargs: Any) -> None:
    """Domain data of these regions changed (after commit): refresh their summaries in the background, one task
    per summary (a job)."""
    for summary, region_ids in summaries_for(changes).items():
        TASKS[summary].enqueue(sorted(region_ids))
