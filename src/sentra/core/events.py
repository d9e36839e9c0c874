"""Decoupled notices that domain data of some regions changed (for summary tables and caches).

Services and the import engine send ``domain_changed`` after their transaction commits; the reports app listens
and refreshes its summary tables for those regions. This is a side effect, so a signal is the right tool
(STYLE C): nothing in the sending app depends on who listens.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

#: Sent with ``sender=<model class>`` and ``region_ids=<set of regency/city codes>``.
domain_changed = Signal()


def notify_changed(model: type, region_ids: Iterable[str | None]) -> None:
    """Send ``domain_changed`` once the current transaction commits (at once outside a transaction)."""
    ids = {r for r in region_ids if r}
    if ids:
        transaction.on_commit(lambda: domain_changed.send(sender=model, region_ids=ids))
