from __future__ import annotations

from typing import Self

from django.db import connections
from django.db.models import TextField, Value
from django.db.models.functions import Concat

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
    def search(self, text: str, *, one_regency: bool = False) -> Self:
        """Name, NIB or owner name. NIB is matched exactly; names by substring of ``search_text`` (the business's
        name and its owners' names in one column, with one pg_trgm index on PostgreSQL): the database either walks
        the list's own index and stops at the first page of matches, or reads the few matches of a rare name from
        the trigram index.

        ``one_regency``: the rows are already limited to one regency/city (the user's scope or a filter). Reading
        that regency's few thousand rows through the (region, name, id) index is then faster than listing a name's
        matches across the country from the trigram index (Kota Kendari in a register of 4.4M: 16 ms against 53 ms
        for "Saputra"), which PostgreSQL's planner cannot tell: the condition is given in a form the trigram index
        does not serve."""
        text = " ".join(text.split())
        if not text:
            return self
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 13:
            return self.filter(nib=digits)
        if one_regency and connections[self.db].vendor == "postgresql":
            unindexed = Concat("search_text", Value(""), output_field=TextField())
            return self.alias(_search_text=unindexed).filter(_search_text__icontains=text)
        return self.filter(search_text__icontains=text)

    def in_province(self, province_code: str) -> Self:
        from sentra.regions.models import Region

        regencies = Region.objects.filter(parent_id=province_code, level=2).values_list("code", flat=True)
        return self.filter(region_id__in=list(regencies))
