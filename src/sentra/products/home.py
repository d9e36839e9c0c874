"""The products app on other apps' pages: the business page's products panel and the owner's home card."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.dashboard import HomeSection
from sentra.products import selectors, services
from sentra.products.models import CatalogueListing, Product
from sentra.registry.models import Business
from sentra.registry.selectors import business_list

#: products shown on the panel and on the home card
LIMIT = 8


def business_panel(user: Any, business: Model) -> dict[str, Any] | None:
    """The products panel of a business page (``core.panels`` hands over the page's business)."""
    if not isinstance(business, Business):
        return None
    if not user.has_perm("products.view_product"):
        return None
    products = list(selectors.business_products(user=user, business=business)[: LIMIT + 1])
    return {
        "products": products[:LIMIT],
        "more": len(products) > LIMIT,
        "listing": selectors.listing_for(business),
        "can_add": services.can_write(user, business, Product, "add"),
    }


def owner_products(user: Any) -> dict[str, Any] | None:
    if not user.has_perm("products.view_product"):
        return None
    businesses = list(business_list(user=user).filter(deleted_at__isnull=True).order_by("name", "id")[:10])
    if not businesses:
        return None
    products = list(
        selectors.product_list(user=user).filter(business__in=businesses).order_by("name", "id")[: LIMIT + 1]
    )
    opted = set(
        CatalogueListing.objects.filter(business__in=businesses, opted_in=True).values_list("business_id", flat=True)
    )
    card: dict[str, Any] = {"products": products[:LIMIT], "more": len(products) > LIMIT, "opted": opted}
    without = next((b for b in businesses if not any(p.business_id == b.pk for p in products)), None)
    first = without or businesses[0]
    card["next"] = {
        "label": _("Tambah produk {name}").format(name=first.name),
        "url": reverse("products:product_add", args=[first.pk]),
    }
    if not products:
        card["hint"] = _(
            "Catat produk usaha Anda (foto, kisaran harga, kapasitas) agar dapat ditampilkan di katalog IKM publik."
        )
    elif not opted:
        card["hint"] = _("Usaha Anda belum tampil di katalog publik. Buka halaman produk usaha untuk menyetujuinya.")
    return card


PRODUCTS = HomeSection("products", gettext_lazy("Produk saya"), "products/home/products.html", owner_products, order=15)
