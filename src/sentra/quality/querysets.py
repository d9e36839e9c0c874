"""Querysets of the quality app: scope comes from RegionScopedQuerySet; these add the domain filters."""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.conf import settings

from sentra.core.querysets import RegionScopedQuerySet


def expiry_window_days() -> int:
    """The "expiring soon" window (90 days), a setting so that agencies may change it."""
    return int(getattr(settings, "SENTRA_CERT_EXPIRY_WINDOW_DAYS", 90))


class CertificationQuerySet(RegionScopedQuerySet):
    def expired(self, today: dt.date) -> Self:
        """Expired: the last valid day is before today."""
        return self.filter(expires_on__lt=today)

    def expiring(self, today: dt.date, days: int | None = None) -> Self:
        """Still valid today, and the last valid day is at most ``days`` days away (inclusive)."""
        days = expiry_window_days() if days is None else days
        return self.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))

    def valid(self, today: dt.date) -> Self:
        from django.db.models import Q

        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


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
