"""Exports of the registry lists : what the list page shows, with Indonesian headers.

The business columns use the import template's headers, so an exported file imports back unchanged.
``business_columns`` also serve the lists of records about a business (certificates, products, assessments).
"""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import UPDATED_AT, ExportColumn, ExportSpec, choice, masked, region_columns, register_export
from sentra.core.validators import mask_nik, mask_phone
from sentra.registry import selectors
from sentra.registry.choices import BusinessStatus, Gender, LegalForm, SizeClass, UmkmClass
from sentra.registry.filters import BusinessFilterSet, OwnerFilterSet
from sentra.registry.legal_forms import UNKNOWN_LEGAL_FORM
from sentra.registry.models import mask_email


def business_columns(path: str = "business") -> tuple[ExportColumn, ExportColumn]:
    """The business a row is about, as the lists name it: its NIB and its name."""
    return (ExportColumn(_("NIB"), f"{path}__nib", width=16), ExportColumn(_("Nama usaha"), f"{path}__name", width=32))


def _legal_form(value: str) -> str:
    """The form's short label; a form nobody knows is written out as such (an empty cell would import back as
    perorangan, the default for a name without a form word)."""
    if not value:
        return str(UNKNOWN_LEGAL_FORM)
    return {c.value: str(c.label).split(" (")[0] for c in LegalForm}.get(value, value)


BUSINESS_EXPORT = ExportSpec(
    key="registry.business",
    label=_("Usaha (IKM)"),
    permission="registry.export_business",
    queryset=selectors.business_list,
    filterset_class=BusinessFilterSet,
    ordering=("name", "id"),
    filename="usaha-ikm",
    annotations={"region_code": Coalesce("village_id", "district_id", "region_id")},
    columns=(
        ExportColumn(_("NIB"), "nib", width=16),
        ExportColumn(_("Nama usaha"), "name", width=36),
        ExportColumn(_("Bentuk usaha"), "legal_form", transform=_legal_form, width=10),
        ExportColumn(_("Alamat"), "address", width=40),
        # A business's phone and e-mail are often its owner's own: masked as on the pages (docs/domain.md).
        masked(_("Telepon (disamarkan)"), "phone", mask_phone),
        masked(_("Surel (disamarkan)"), "email", mask_email, width=22),
        ExportColumn(_("Situs web"), "website", width=24),
        ExportColumn(_("Kode wilayah"), "region_code", width=14),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Kecamatan"), "district__name", width=20),
        ExportColumn(_("Desa/kelurahan"), "village__name", width=20),
        ExportColumn(_("KBLI"), "kbli__code", width=8),
        ExportColumn(_("Judul KBLI"), "kbli__title", width=40),
        ExportColumn(_("Komoditas/produk"), "commodity", width=24),
        ExportColumn(_("Tenaga kerja laki-laki"), "workforce_male", "int", width=10),
        ExportColumn(_("Tenaga kerja perempuan"), "workforce_female", "int", width=10),
        ExportColumn(_("Nilai investasi (Rp)"), "investment_value", "money"),
        ExportColumn(_("Modal usaha (Rp)"), "business_capital", "money"),
        ExportColumn(_("Nilai produksi (Rp)"), "production_value", "money"),
        ExportColumn(_("Hasil penjualan per tahun (Rp)"), "turnover", "money"),
        ExportColumn(_("Kapasitas produksi"), "production_capacity", "number"),
        ExportColumn(_("Satuan kapasitas"), "capacity_unit", width=10),
        ExportColumn(_("Tahun mulai usaha"), "year_started", "int", width=8),
        ExportColumn(_("Lintang"), "latitude", "number", width=10),
        ExportColumn(_("Bujur"), "longitude", "number", width=10),
        choice(_("Klasifikasi industri"), "size_class", SizeClass),
        choice(_("Skala UMKM"), "umkm_class", UmkmClass),
        choice(_("Status"), "status", BusinessStatus, width=10),
        UPDATED_AT,
    ),
)

OWNER_EXPORT = ExportSpec(
    key="registry.owner",
    label=_("Pelaku usaha"),
    permission="registry.export_business",
    queryset=selectors.owner_list,
    filterset_class=OwnerFilterSet,
    ordering=("full_name", "id"),
    filename="pelaku-usaha",
    columns=(
        ExportColumn(_("Nama lengkap"), "full_name", width=30),
        masked(_("NIK (disamarkan)"), "nik", mask_nik, width=18),
        choice(_("Jenis kelamin"), "gender", Gender, width=10),
        masked(_("Telepon (disamarkan)"), "phone", mask_phone),
        ExportColumn(_("Alamat"), "address", width=40),
        *region_columns(),
        ExportColumn(_("Desa/kelurahan"), "village__name", width=20),
        UPDATED_AT,
    ),
)


def register() -> None:
    register_export(BUSINESS_EXPORT, OWNER_EXPORT)
