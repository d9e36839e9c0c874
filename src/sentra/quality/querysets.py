"""Querysets of the quality app: scope comes from RegionScopedQuerySet; these add the domain filters."""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.conf import settings
from django.db.models import Q

from sentra.core.querysets import RegionScopedQuerySet


def expiry_window_days() -> int:
    """The "expiring soon" window (90 days), a setting so that agencies may change it."""
    return int(getattr(settings, "SENTRA_CERT_EXPIRY_WINDOW_DAYS", 90))


def held_q(day: dt.date) -> Q:
    """Certifications held on ``day``: issued by then and not expired (no expiry date: held for good). The one
    definition behind every count of valid certificates (dashboard, summary per region, lists, home pages)."""
    return Q(issued_on__lte=day) & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))


def expiring_q(day: dt.date, days: int | None = None) -> Q:
    """Held on ``day`` and the last valid day at most ``days`` (the window) away, inclusive."""
    days = expiry_window_days() if days is None else days
    return held_q(day) & Q(expires_on__lte=day + dt.timedelta(days=days))


class CertificationQuerySet(RegionScopedQuerySet):
    def expired(self, today: dt.date) -> Self:
        """Expired: the last valid day is before today."""
        return self.filter(expires_on__lt=today)

    def expiring(self, today: dt.date, days: int | None = None) -> Self:
        """Held today, and the last valid day is at most ``days`` days away (inclusive): ``expiring_q``."""
        return self.filter(expiring_q(today, days))

    def valid(self, today: dt.date) -> Self:
        """Held today: ``held_q``."""
        return self.filter(held_q(today))


class AssessmentQuerySet(RegionScopedQuerySet):
    pass


class CorrectiveActionQuerySet(RegionScopedQuerySet):
    def overdue(self, today: dt.date) -> Self:
        return self.filter(status__in=("open", "in_progress"), due_on__lt=today)

    def pending(self) -> Self:
        return self.filter(status__in=("open", "in_progress", "done"))


class IndiAssessmentQuerySet(RegionScopedQuerySet):
    def scored(self) -> Self:
        return self.filter(status__in=("submitted", "verified"), overall__isnull=False)
