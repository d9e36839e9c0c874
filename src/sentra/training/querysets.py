"""Querysets of the training app: scope comes from RegionScopedQuerySet; these add the domain filters."""

from __future__ import annotations

from sentra.core.querysets import RegionScopedQuerySet
from sentra.training.choices import BatchStatus


class BatchQuerySet(RegionScopedQuerySet):
    def open_for_applications(self) -> BatchQuerySet:
        return self.filter(status=BatchStatus.OPEN)


class ParticipantQuerySet(RegionScopedQuerySet):
    region_field = "batch__region"
