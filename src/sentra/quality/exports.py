"""Export of the certificates list (sertifikat dan izin), through the core export engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import ExportColumn, ExportSpec, choice_labels, register_export
from sentra.quality import selectors
from sentra.quality.choices import CertificationKind
from sentra.quality.filters import CertificationFilterSet


def _certifications(user: Any) -> Any:
    return selectors.certification_list(user=user)


CERTIFICATION_EXPORT = ExportSpec(
    key="quality.certification",
    label=_("Sertifikat dan izin"),
    permission="quality.view_certification",
    queryset=_certifications,
    # The page's FilterSet: the validity filter ("masa berlaku") is judged on today, as on the page.
    filterset_class=CertificationFilterSet,
    ordering=("expires_on", "id"),
    filename="sertifikat-izin",
    columns=(
        ExportColumn(_("Jenis"), "kind", transform=choice_labels(CertificationKind), width=14),
        ExportColumn(_("Nomor"), "number", width=24),
        ExportColumn(_("Penerbit"), "issuer", width=28),
        ExportColumn(_("NIB"), "business__nib", width=16),
        ExportColumn(_("Nama usaha"), "business__name", width=32),
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Lingkup/produk"), "scope", width=30),
        ExportColumn(_("Tanggal terbit"), "issued_on", "date", width=12),
        ExportColumn(_("Berlaku sampai"), "expires_on", "date", width=12),
    ),
)


def register() -> None:
    register_export(CERTIFICATION_EXPORT)
