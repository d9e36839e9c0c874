"""Decoupled notices that domain data of some regions changed (for summary tables and caches).

This is the one way a change reaches the summaries: every service that writes domain data — one record, a bulk
``QuerySet.update()``/``bulk_create`` or an import — calls :func:`notify_changed` inside its transaction with the
model and the regencies/cities concerned. The regions are collected per transaction and ``domain_changed`` is sent
once after the commit; the reports app listens and queues one refresh per summary. No model signals: they miss
bulk writes. This is a side effect, so a signal is the right tool (STYLE C): nothing in the sending app depends on
who listens.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

#: Sent once per committed transaction with ``sender=None``, ``changes=<{model label: frozenset of regency/city
#: codes}>`` (labels as ``"training.batch"``) and ``region_ids=<the union of those codes>``.
domain_changed = Signal()

_pending = threading.local()


def _flush() -> None:
    changes = getattr(_pending, "changes", None)
    _pending.changes = None
    if not changes:
        return
    frozen = {label: frozenset(ids) for label, ids in changes.items()}
    domain_changed.send(sender=None, changes=frozen, region_ids=frozenset().union(*frozen.values()))


def notify_changed(model: type, region_ids: Iterable[str | None]) -> None:
    """Announce that rows of ``model`` in these regions changed: ``domain_changed`` goes out once the current
    transaction commits, once for all the calls in it (at once outside a transaction).

    A rolled-back change leaves its regions for the next commit's notice: an extra refresh, never a missed one.
    """
    ids = {r for r in region_ids if r}
    if not ids:
        return
    changes = getattr(_pending, "changes", None)
    if changes is None:
        changes = _pending.changes = {}
    changes.setdefault(model._meta.label_lower, set()).update(ids)  # type: ignore[attr-defined]
    transaction.on_commit(_flush)
