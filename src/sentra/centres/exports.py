"""Exports of the centre lists : what the centre and equipment-grant pages show, through the core export engine."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sentra.centres import selectors
from sentra.centres.choices import CentreStatus, FundingSource, GrantStatus, Sector
from sentra.centres.filters import CentreFilterSet, GrantFilterSet
from sentra.core.exporting import UPDATED_AT, ExportColumn, ExportSpec, choice, region_columns, register_export

CENTRE_EXPORT = ExportSpec(
    key="centres.centre",
    label=_("Sentra IKM"),
    queryset=selectors.centre_list,
    filterset_class=CentreFilterSet,
    ordering=("name", "id"),
    filename="sentra-ikm",
    columns=(
        ExportColumn(_("Nama sentra"), "name", width=36),
        choice(_("Sektor"), "sector", Sector),
        ExportColumn(_("Komoditas/produk utama"), "commodity", width=24),
        choice(_("Status"), "status", CentreStatus, width=12),
        ExportColumn(_("Alamat"), "address", width=40),
        *region_columns(),
        ExportColumn(_("Desa/kelurahan"), "village__name", width=20),
        ExportColumn(_("Unit workshop"), "units_total", "int", width=10),
        ExportColumn(_("Unit workshop terisi"), "units_occupied", "int", width=10),
        ExportColumn(_("Anggota"), "members_count", "int", width=10),
        ExportColumn(_("Luas lahan (m²)"), "land_area_m2", "number", width=12),
        ExportColumn(_("Luas bangunan (m²)"), "building_area_m2", "number", width=12),
        ExportColumn(_("Nomor SK penetapan"), "sk_number", width=22),
        ExportColumn(_("Tanggal SK penetapan"), "sk_date", "date", width=12),
        UPDATED_AT,
    ),
)

GRANT_EXPORT = ExportSpec(
    key="centres.grant",
    label=_("Hibah mesin"),
    queryset=selectors.grant_list,
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
        choice(_("Sumber dana"), "funding_source", FundingSource, width=14),
        ExportColumn(_("Tahun"), "year", "int", width=8),
        ExportColumn(_("Pemegang"), "holder_name", width=30),
        choice(_("Status"), "status", GrantStatus, width=14),
        *region_columns(),
        UPDATED_AT,
    ),
)


def register() -> None:
    register_export(CENTRE_EXPORT, GRANT_EXPORT)
