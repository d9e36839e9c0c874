from __future__ import annotations

from typing import Self

from django.db import connections
from django.db.models import Q

from sentra.core.querysets import SoftDeleteQuerySet


class OwnerQuerySet(SoftDeleteQuerySet):
    def search(self, text: str) -> Self:
        text = text.strip()
        if not text:
            return self
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 16:
            return self.filter(nik=digits)
        return self.filter(full_name__icontains=text)


class BusinessQuerySet(SoftDeleteQuerySet):
    def search(self, text: str) -> Self:
        """Name, NIB or owner name. NIB is matched exactly; names by substring (pg_trgm on PostgreSQL)."""
        text = " ".join(text.split())
        if not text:
            return self
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 13:
            return self.filter(nib=digits)
        from sentra.registry.models import Business, Owner, Ownership

        owners = Owner._base_manager.filter(full_name__icontains=text).order_by().values("pk")
        by_owner = Ownership.objects.filter(owner_id__in=owners).order_by().values("business_id")
        if connections[self.db].vendor == "postgresql":
            # Two id sets, each found through its own pg_trgm index, united. The former ``name OR owner`` over
            # a join with DISTINCT kept PostgreSQL from using either index and joined every row before
            # filtering (406 ms at 100k rows).
            by_name = Business._base_manager.filter(name__icontains=text).order_by().values("pk")
            return self.filter(pk__in=by_name.union(by_owner))
        # SQLite has no trigram index: walking the name index in list order and stopping at the first page of
        # matches is the fastest plan, so keep one OR, with a semi-join instead of JOIN + DISTINCT.
        return self.filter(Q(name__icontains=text) | Q(pk__in=by_owner))

    def in_province(self, province_code: str) -> Self:
        from sentra.regions.models import Region

        regencies = Region.objects.filter(parent_id=province_code, level=2).values_list("code", flat=True)
        return self.filter(region_id__in=list(regencies))
