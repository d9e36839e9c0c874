"""The programme evaluation's background work: a ``core.jobs`` kind queued when domain data change (the summary
pattern of ``reports.receivers``), a daily full rebuild, and the analysis table's export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

KIND = "reports.evaluation_refresh"
#: app labels whose changes move an estimate: the registry's values, classes and follow-ups, DAK lines, tenancies
FEEDS = ("registry", "training", "budget", "centres")


def run_evaluation_refresh(ctx: Any) -> dict[str, Any]:
    from sentra.reports.evaluation import evaluation_refresh

    return {"areas": evaluation_refresh(region_ids=ctx.params.get("region_ids"))}


def refresh_daily(*, today: dt.date) -> dict[str, int]:
    """Everything rebuilt, the nation's estimates included (a change rebuilds only its regencies and provinces)."""
    from sentra.reports.evaluation import evaluation_refresh

    return {"evaluation": evaluation_refresh(region_ids=None)}


def regions_for(changes: Mapping[str, Iterable[str]]) -> set[str]:
    out: set[str] = set()
    for label, region_ids in changes.items():
        if label.split(".", 1)[0] in FEEDS:
            out.update(r for r in region_ids if r)
    return out


def on_domain_changed(sender: Any, changes: Mapping[str, Iterable[str]], **kwargs: Any) -> None:
    """After a committed change: one refresh job for the regencies it names."""
    from sentra.core.jobs import job_start

    regions = regions_for(changes)
    if regions:
        job_start(
            actor=None,
            kind=KIND,
            title=str(_("Perbarui evaluasi dampak program")),
            params={"region_ids": sorted(regions)},
        )


def connect() -> None:
    """Called from ``ReportsConfig.ready()``."""
    from sentra.core.events import domain_changed
    from sentra.core.exporting import register_export
    from sentra.core.jobs import register_job_handler
    from sentra.core.schedules import register_schedule
    from sentra.reports.evaluation_export import EVALUATION_EXPORT

    domain_changed.connect(on_domain_changed, dispatch_uid="reports_evaluation_refresh")
    # A refresh that fails (a deadlock, a lost connection) is tried again; the daily run is the last net.
    register_job_handler(
        KIND, "sentra.reports.evaluation_jobs.run_evaluation_refresh", system=True, max_attempts=3, retry_delay=60
    )
    register_schedule(
        "reports-evaluation", _("Evaluasi dampak program"), "sentra.reports.evaluation_jobs.refresh_daily", order=91
    )
    register_export(EVALUATION_EXPORT)
