from __future__ import annotations

from typing import Any

from sentra.reports.tasks import summary_refresh_task


def on_domain_changed(sender: Any, region_ids: set[str], **kwargs: Any) -> None:
    """Registry data of these regions changed (after commit): refresh their summaries in the background."""
    summary_refresh_task.enqueue(sorted(region_ids))
