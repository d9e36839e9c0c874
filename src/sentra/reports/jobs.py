"""The reports app's background work as ``core.jobs`` kinds: refreshing summaries after a change, and daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

#: summary → (job kind, title). Registered in ``ReportsConfig.ready()``.
REFRESH_KINDS = {
    "summary": ("reports.summary_refresh", _("Perbarui ringkasan usaha")),
    "programme": ("reports.programme_refresh", _("Perbarui ringkasan program")),
    "outcome": ("reports.outcome_refresh", _("Perbarui ringkasan hasil program")),
}


def run_summary_refresh(ctx: Any) -> dict[str, Any]:
    from sentra.reports.services import summary_refresh

    return {"rows": summary_refresh(region_ids=ctx.params["region_ids"])}


def run_programme_refresh(ctx: Any) -> dict[str, Any]:
    from sentra.reports.programme import programme_refresh

    return {"rows": programme_refresh(region_ids=ctx.params["region_ids"])}


def run_outcome_refresh(ctx: Any) -> dict[str, Any]:
    from sentra.reports.outcomes import outcome_summaries_refresh

    return {"rows": outcome_summaries_refresh(region_ids=ctx.params["region_ids"])}


def refresh_all_daily(*, today: dt.date) -> dict[str, int]:
    """The daily safety net: every summary of every region rebuilt (``sentra refresh_summaries`` does the same)."""
    from sentra.reports.outcomes import outcome_summaries_refresh
    from sentra.reports.programme import programme_refresh
    from sentra.reports.services import summary_refresh_all

    return {
        "summary": summary_refresh_all(),
        "programme": programme_refresh(today=today),
        "outcome": outcome_summaries_refresh(region_ids=None),
    }


def register() -> None:
    from sentra.core.jobs import register_job_handler

    for kind, handler in (
        ("reports.summary_refresh", "sentra.reports.jobs.run_summary_refresh"),
        ("reports.programme_refresh", "sentra.reports.jobs.run_programme_refresh"),
        ("reports.outcome_refresh", "sentra.reports.jobs.run_outcome_refresh"),
    ):
        # A refresh that fails (a deadlock, a lost connection) is tried again; the daily run is the last net.
        register_job_handler(kind, handler, system=True, max_attempts=3, retry_delay=30)
