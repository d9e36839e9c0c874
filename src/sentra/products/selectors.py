"""Reads of the products app. Signed-in pages read through ``visible_to``; the public catalogue reads only
``Product.objects.public()`` and hands templates rows that carry nothing private."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from sentra.core.querysets import scoped_get_or_404
from sentra.products.models import CatalogueListing, Product, ProductPhoto
from sentra.products.querysets import ProductQuerySet
from sentra.registry.models import Business


def _cover_photos() -> Prefetch:
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="ordered_photos")


def product_list(*, user: Any, action: str = "view") -> ProductQuerySet:
    return (
        Product.objects.visible_to(user, action)
        .filter(business__deleted_at__isnull=True)
        .select_related("business", "kbli", "region")
        .prefetch_related(_cover_photos())
    )


def product_get(*, user: Any, pk: Any, action: str = "view") -> Product:
    qs = Product.objects.select_related("business", "kbli", "region").prefetch_related(
        _cover_photos(), "certifications"
    )
    return scoped_get_or_404(qs, user, pk, action)


def photo_get(*, user: Any, pk: Any, action: str = "view") -> ProductPhoto:
    return scoped_get_or_404(ProductPhoto.objects.select_related("product"), user, pk, action)


def business_get(*, user: Any, pk: Any, action: str = "view") -> Business:
    return scoped_get_or_404(Business.objects.alive().select_related("region"), user, pk, action)


def listing_for(business: Business) -> CatalogueListing | None:
    """The business's catalogue choice, or None when it never chose (not listed)."""
    return CatalogueListing.objects.filter(business=business).select_related("consent_by").first()


def business_products(*, user: Any, business: Business) -> ProductQuerySet:
    return product_list(user=user).filter(business=business).order_by("name", "id")


# --- The public catalogue ---------------------------------------------------------------------------------


def catalogue_products(
    *, q: str = "", kbli: str = "", region: str = "", centre_id: int | None = None
) -> ProductQuerySet:
    """Listed products with only what the public cards need (no owner, no personal data reachable).

    The list reads ``products_product`` alone (filters by ids), walking the partial indexes in name order; the business, KBLI and regency of the page's rows come in one small query each.
    """
    from sentra.centres.models import CentreMembership
    from sentra.regions.models import Kbli

    qs = Product.objects.public()
    if region:
        qs = qs.filter(region_id=region)
    if kbli:
        qs = qs.filter(kbli_id__in=Kbli.objects.filter(level=Kbli.Level.SUBCLASS, code=kbli).values("id"))
    if centre_id is not None:
        qs = qs.filter(business_id__in=CentreMembership.objects.filter(centre_id=centre_id).values("business_id"))
    text = q.replace("\x00", "").strip()
    if text:
        # The product's name or its commodity (the KBLI group's title). The few matching KBLI ids are read first
        # and sent as values, so PostgreSQL can OR the name's trigram index with the KBLI index.
        kbli_ids = list(
            Kbli.objects.filter(level=Kbli.Level.SUBCLASS, title__icontains=text).values_list("id", flat=True)
        )
        qs = qs.filter(Q(name__icontains=text) | Q(kbli_id__in=kbli_ids))
    return qs.only(
        "id",
        "name",
        "price_min",
        "price_max",
        "monthly_capacity",
        "capacity_unit",
        "region_id",
        "kbli_id",
        "business_id",
    ).prefetch_related(
        Prefetch("business", queryset=Business.objects.only("id", "name", "commodity")),
        Prefetch("kbli", queryset=Kbli.objects.only("id", "code", "title")),
        "region",
        Prefetch(
            "photos",
            queryset=ProductPhoto.objects.order_by("position", "id").only("id", "product_id", "position"),
            to_attr="ordered_photos",
        ),
    )


def catalogue_product(*, pk: Any) -> Product:
    """One listed product for its public page; 404 (``Product.DoesNotExist``) for anything else."""
    return (
        Product.objects.public()
        .filter(business__deleted_at__isnull=True)
        .select_related("business", "business__region", "business__village", "kbli", "region")
        .prefetch_related(_cover_photos(), "certifications")
        .get(pk=pk)
    )


def catalogue_photo(*, pk: Any) -> ProductPhoto:
    return ProductPhoto.objects.public().filter(product__business__deleted_at__isnull=True).get(pk=pk)


def catalogue_business_centres(business: Business) -> list[Any]:
    from sentra.centres.models import Centre

    return list(Centre.objects.filter(memberships__business=business).only("id", "name").order_by("name", "id"))


def catalogue_regions() -> list[tuple[str, str]]:
    """Regencies/cities that have at least one listed product, for the region filter."""
    from sentra.regions.models import Region

    codes = Product.objects.public().values("region_id").distinct()
    return list(Region.objects.filter(code__in=codes).order_by("name").values_list("code", "name"))


def catalogue_kbli() -> list[tuple[str, str]]:
    from sentra.regions.models import Kbli

    ids = Product.objects.public().values("kbli_id").distinct()
    return list(Kbli.objects.filter(pk__in=ids).order_by("code").values_list("code", "title"))
