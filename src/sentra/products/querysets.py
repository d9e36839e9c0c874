"""Querysets of the products app: scope from RegionScopedQuerySet, plus what the public catalogue may show."""

from __future__ import annotations

from typing import Self

from sentra.core.querysets import RegionScopedQuerySet


class ProductQuerySet(RegionScopedQuerySet):
    def public(self) -> Self:
        """What anyone may see: published products of opted-in businesses that are not in the trash.

        ``listed`` is kept by the services (published and the business opted in) so the catalogue filters one
        indexed column instead of joining the opt-in on every page; the business's trash is checked here
        because the registry, a lower app, cannot tell this app when a business is deleted.
        """
        return self.filter(listed=True, business__deleted_at__isnull=True)


class ProductPhotoQuerySet(RegionScopedQuerySet):
    def public(self) -> Self:
        return self.filter(product__listed=True, product__business__deleted_at__isnull=True)


class CatalogueListingQuerySet(RegionScopedQuerySet):
    pass
