"""Export of the products list (Produk IKM), through the core export engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import ExportColumn, ExportSpec, register_export
from sentra.products.filters import ProductFilterSet
from sentra.products.models import Product


def _products(user: Any) -> Any:
    # The list's rows (products of businesses not in the trash), without the cover photos the page prefetches.
    return Product.objects.visible_to(user, "view").filter(business__deleted_at__isnull=True)


def _yes_no(value: Any) -> str:
    return str(_("Ya")) if value else str(_("Tidak"))


PRODUCT_EXPORT = ExportSpec(
    key="products.product",
    label=_("Produk IKM"),
    permission="core.export_list",
    queryset=_products,
    filterset_class=ProductFilterSet,
    ordering=("name", "id"),
    filename="produk-ikm",
    columns=(
        ExportColumn(_("Nama produk"), "name", width=32),
        ExportColumn(_("NIB"), "business__nib", width=16),
        ExportColumn(_("Nama usaha"), "business__name", width=32),
        ExportColumn(_("KBLI"), "kbli__code", width=8),
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Harga terendah (Rp)"), "price_min", "money"),
        ExportColumn(_("Harga tertinggi (Rp)"), "price_max", "money"),
        ExportColumn(_("Kapasitas per bulan"), "monthly_capacity", "number"),
        ExportColumn(_("Satuan kapasitas"), "capacity_unit", width=10),
        ExportColumn(_("Tampil di katalog"), "listed", transform=_yes_no, width=10),
        ExportColumn(_("Terakhir diubah"), "updated_at", "datetime"),
    ),
)


def register() -> None:
    register_export(PRODUCT_EXPORT)
