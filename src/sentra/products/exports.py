"""Export of the products list (Produk IKM), through the core export engine."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import UPDATED_AT, ExportColumn, ExportSpec, region_columns, register_export, yes_no
from sentra.products.filters import ProductFilterSet
from sentra.products.models import Product
from sentra.registry.exports import business_columns


def _products(*, user: Any) -> QuerySet[Product]:
    # The list's rows (products of businesses not in the trash), without the cover photos the page prefetches.
    return Product.objects.visible_to(user, "view").filter(business__deleted_at__isnull=True)


PRODUCT_EXPORT = ExportSpec(
    key="products.product",
    label=_("Produk IKM"),
    queryset=_products,
    filterset_class=ProductFilterSet,
    ordering=("name", "id"),
    filename="produk-ikm",
    columns=(
        ExportColumn(_("Nama produk"), "name", width=32),
        *business_columns(),
        ExportColumn(_("KBLI"), "kbli__code", width=8),
        *region_columns(),
        ExportColumn(_("Harga terendah (Rp)"), "price_min", "money"),
        ExportColumn(_("Harga tertinggi (Rp)"), "price_max", "money"),
        ExportColumn(_("Kapasitas per bulan"), "monthly_capacity", "number"),
        ExportColumn(_("Satuan kapasitas"), "capacity_unit", width=10),
        yes_no(_("Tampil di katalog"), "listed"),
        UPDATED_AT,
    ),
)


def register() -> None:
    register_export(PRODUCT_EXPORT)
