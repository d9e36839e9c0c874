"""Exports of the centre lists : what the centre and equipment-grant pages show, through the core export engine."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sentra.centres import selectors
from sentra.centres.choices import CentreStatus, FundingSource, GrantStatus, Sector
from sentra.centres.filters import CentreFilterSet, GrantFilterSet
from sentra.core.exporting import ExportColumn, ExportSpec, choice_labels, register_export


def _centres(user: Any) -> Any:
    return selectors.centre_list(user=user)


def _grants(user: Any) -> Any:
    return selectors.grant_list(user=user)


CENTRE_EXPORT = ExportSpec(
    key="centres.centre",
    label=_("Sentra IKM"),
    permission="core.export_list",
    queryset=_centres,
    filterset_class=CentreFilterSet,
    ordering=("name", "id"),
    filename="sentra-ikm",
    columns=(
        ExportColumn(_("Nama sentra"), "name", width=36),
        ExportColumn(_("Sektor"), "sector", transform=choice_labels(Sector)),
        ExportColumn(_("Komoditas/produk utama"), "commodity", width=24),
        ExportColumn(_("Status"), "status", transform=choice_labels(CentreStatus), width=12),
        ExportColumn(_("Alamat"), "address", width=40),
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Desa/kelurahan"), "village__name", width=20),
        ExportColumn(_("Unit workshop"), "units_total", "int", width=10),
        ExportColumn(_("Unit workshop terisi"), "units_occupied", "int", width=10),
        ExportColumn(_("Anggota"), "members_count", "int", width=10),
        ExportColumn(_("Luas lahan (m²)"), "land_area_m2", "number", width=12),
        ExportColumn(_("Luas bangunan (m²)"), "building_area_m2", "number", width=12),
        ExportColumn(_("Nomor SK penetapan"), "sk_number", width=22),
        ExportColumn(_("Tanggal SK penetapan"), "sk_date", "date", width=12),
        ExportColumn(_("Terakhir diubah"), "updated_at", "datetime"),
    ),
)

GRANT_EXPORT = ExportSpec(
    key="centres.grant",
    label=_("Hibah mesin"),
    permission="core.export_list",
    queryset=_grants,
    filterset_class=GrantFilterSet,
    ordering=("-year", "-id"),
    filename="hibah-mesin",
    # The holder as the page shows it: the centre, else the business (``EquipmentGrant.holder``).
    annotations={"holder_name": Coalesce(F("centre__name"), F("business__name"))},
    columns=(
        ExportColumn(_("Mesin/peralatan"), "name", width=32),
        ExportColumn(_("Spesifikasi"), "specification", width=32),
        ExportColumn(_("Jumlah"), "quantity", "int", width=8),
        ExportColumn(_("Nilai pengadaan (Rp)"), "value", "money"),
        ExportColumn(_("Sumber dana"), "funding_source", transform=choice_labels(FundingSource), width=14),
        ExportColumn(_("Tahun"), "year", "int", width=8),
        ExportColumn(_("Pemegang"), "holder_name", width=30),
        ExportColumn(_("Status"), "status", transform=choice_labels(GrantStatus), width=14),
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Terakhir diubah"), "updated_at", "datetime"),
    ),
)


def register() -> None:
    register_export(CENTRE_EXPORT)
    register_export(GRANT_EXPORT)
