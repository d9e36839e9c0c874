"""Keeping the summary tables current on change.

The registry announces its changes with ``core.events.domain_changed``. The programme apps (training, budget,
quality, centres, periodic reports) do not: their saves and deletes are caught here with Django's model signals,
the regencies touched are collected per transaction and one task per summary is queued after the commit. Bulk
updates bypass model signals; the daily ``refresh_summaries`` rebuilds everything.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from sentra.reports.tasks import outcome_refresh_task, programme_refresh_task, summary_refresh_task

#: models whose rows feed ``ProgrammeCube`` → how to read the regency of an instance
PROGRAMME_MODELS = {
    "training.batch": "region_id",
    "training.participant": "batch.region_id",
    "budget.allocation": "region_id",
    "budget.transfer": "region_id",
    "budget.payment": "region_id",
    "budget.budgetline": "region_id",
    "budget.activityplan": "region_id",
    "budget.progressreport": "region_id",
    "budget.quarterlyreport": "region_id",
    "quality.certification": "region_id",
    "quality.indiassessment": "region_id",
    "centres.centre": "region_id",
    "centres.workshopunit": "centre.region_id",
    "centres.tenancy": "centre.region_id",
    "periodic.submission": "region_id",
}
#: models whose rows feed the outcome summaries (besides the registry's businesses)
OUTCOME_MODELS = {
    "training.batch",
    "training.participant",
    "training.certificate",
    "training.followup",
    "centres.tenancy",
}

_pending = threading.local()


def _region_of(instance: Any, path: str) -> str | None:
    value: Any = instance
    try:
        for part in path.split("."):
            value = getattr(value, part)
    except Exception:  # a related row already gone: nothing to attribute
        return None
    return value if isinstance(value, str) else None


def _flush() -> None:
    collected = getattr(_pending, "state", None)
    _pending.state = None
    if not collected:
        return
    if collected["programme"]:
        programme_refresh_task.enqueue(sorted(collected["programme"]))
    if collected["outcome"]:
        outcome_refresh_task.enqueue(sorted(collected["outcome"]))


def _queue(kind: str, region_ids: set[str]) -> None:
    """Collect regions; the first commit after the change queues one task per kind with all of them (a rolled
    back change leaves its regions for the next flush: an extra refresh, never a missed one)."""
    if not region_ids:
        return
    state = getattr(_pending, "state", None)
    if state is None:
        state = _pending.state = {"programme": set(), "outcome": set()}
    state[kind] |= region_ids
    transaction.on_commit(_flush)


def on_domain_changed(sender: Any, region_ids: set[str], **kwargs: Any) -> None:
    """Registry data of these regions changed (after commit): refresh their summaries in the background."""
    summary_refresh_task.enqueue(sorted(region_ids))
    outcome_refresh_task.enqueue(sorted(region_ids))


def on_programme_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    label = sender._meta.label_lower
    if label == "training.certificate" or label == "training.followup":
        region = _region_of(instance, "participant.batch.region_id")
    else:
        region = _region_of(instance, PROGRAMME_MODELS.get(label, "region_id"))
    if region is None:
        return
    if label in PROGRAMME_MODELS:
        _queue("programme", {region})
    if label in OUTCOME_MODELS:
        _queue("outcome", {region})


def connect() -> None:
    from django.apps import apps

    for label in sorted(set(PROGRAMME_MODELS) | OUTCOME_MODELS):
        model = apps.get_model(label)
        post_save.connect(on_programme_saved, sender=model, dispatch_uid=f"reports_programme_save_{label}")
        post_delete.connect(on_programme_saved, sender=model, dispatch_uid=f"reports_programme_delete_{label}")
