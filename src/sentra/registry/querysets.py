from __future__ import annotations

from typing import Self

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
        """Name, NIB or owner name (issue #2). NIB is matched exactly; names by substring (pg_trgm on PostgreSQL)."""
        text = " ".join(text.split())
        if not text:
            return self
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 13:
            return self.filter(nib=digits)
        from sentra.registry.models import Owner

        owner_match = Owner.objects.filter(full_name__icontains=text).values("pk")
        return self.filter(Q(name__icontains=text) | Q(ownerships__owner__in=owner_match)).distinct()

    def in_province(self, province_code: str) -> Self:
        from sentra.regions.models import Region

        regencies = Region.objects.filter(parent_id=province_code, level=2).values_list("code", flat=True)
        return self.filter(region_id__in=list(regencies))
