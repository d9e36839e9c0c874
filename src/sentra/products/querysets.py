"""Querysets of the products app: scope from RegionScopedQuerySet, plus what the public catalogue may show."""

from __future__ import annotations

from typing import Self

from sentra.core.querysets import RegionScopedQuerySet


class ProductQuerySet(RegionScopedQuerySet):
    def public(self) -> Self:
        """What anyone may see: published products of opted-in businesses that are not in the trash.

        ``listed`` is kept by the services (published, the business opted in and not in the trash: a business
        moved to or out of the trash reaches ``services.listing_resync`` through ``core.events``), so the
        catalogue reads one table through partial indexes instead of joining the opt-in and the business.
        """
        return self.filter(listed=True)


class ProductPhotoQuerySet(RegionScopedQuerySet):
    def public(self) -> Self:
        return self.filter(product__listed=True)


class CatalogueListingQuerySet(RegionScopedQuerySet):
    pass
