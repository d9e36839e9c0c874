"""The assistance panel on the registry's business and owner pages (registered through ``core.panels``)."""

from __future__ import annotations

from typing import Any

from sentra.registry.models import Business, Owner
from sentra.reports.assistance import KINDS, assistance_double_recipients, assistance_history


def _can_see(user: Any) -> bool:
    return bool(user.is_superuser or user.has_perm("reports.view_businesscube"))


def assistance_panel(user: Any, obj: Any) -> dict[str, Any] | None:
    """History of help for the business/owner on the page, with the double-recipient warning for officers.

    The page has already checked that ``user`` may see ``obj``; every kind of help is read through its own
    ``visible_to`` again, so a user only sees help they could open anyway. Users without the reports permission
    (owners, centre managers) see the panel only when something is visible to them.
    """
    subject = {"business": obj} if isinstance(obj, Business) else {"owner": obj}
    if not isinstance(obj, Business | Owner):
        return None
    history = assistance_history(user=user, **subject)
    officer = _can_see(user)
    if not officer and not history.items:
        return None
    doubles = assistance_double_recipients(user=user, **subject) if officer else []
    counts = [(str(KINDS[k]), n) for k, n in history.by_kind.items()]
    return {"history": history, "doubles": doubles, "counts": counts}


def batch_double_panel(user: Any, batch: Any) -> dict[str, Any] | None:
    """Warning on the participant selection of a training class: applicants already trained this year."""
    from sentra.reports.assistance import batch_prior_trainings

    if not _can_see(user):
        return None
    rows = batch_prior_trainings(user=user, batch=batch)
    if not rows:
        return None
    return {"rows": rows, "kind": "training", "year": batch.start_date.year}


def grant_double_panel(user: Any, grant: Any) -> dict[str, Any] | None:
    """Warning above the handover form of a machine grant: businesses that already got a machine that year."""
    from sentra.reports.assistance import grant_prior_recipients

    if not _can_see(user):
        return None
    rows = grant_prior_recipients(user=user, grant=grant)
    if not rows:
        return None
    return {"rows": rows, "kind": "equipment", "year": grant.year}
