from __future__ import annotations

from typing import Self

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
        """Name, NIB or owner name. NIB is matched exactly; names by substring of ``search_text`` (the business's
        name and its owners' names in one column, with one pg_trgm index on PostgreSQL): the database either walks
        the list's own index and stops at the first page of matches, or reads the few matches of a rare name from
        the trigram index."""
        text = " ".join(text.split())
        if not text:
            return self
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 13:
            return self.filter(nib=digits)
        return self.filter(search_text__icontains=text)

    def in_province(self, province_code: str) -> Self:
        from sentra.regions.models import Region

        regencies = Region.objects.filter(parent_id=province_code, level=2).values_list("code", flat=True)
        return self.filter(region_id__in=list(regencies))
