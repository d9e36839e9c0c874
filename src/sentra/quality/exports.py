"""Exports of the certificates list (sertifikat dan izin), the quality assessments and the corrective actions, through
the core export engine."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import ExportColumn, ExportSpec, choice, region_columns, register_export
from sentra.quality import selectors
from sentra.quality.choices import ActionStatus, AssessmentStatus, CertificationKind
from sentra.quality.filters import ActionFilterSet, AssessmentFilterSet, CertificationFilterSet
from sentra.registry.exports import business_columns

CERTIFICATION_EXPORT = ExportSpec(
    key="quality.certification",
    label=_("Sertifikat dan izin"),
    queryset=selectors.certification_list,
    # The page's FilterSet: the validity filter ("masa berlaku") is judged on today, as on the page.
    filterset_class=CertificationFilterSet,
    ordering=("expires_on", "id"),
    filename="sertifikat-izin",
    columns=(
        choice(_("Jenis"), "kind", CertificationKind, width=14),
        ExportColumn(_("Nomor"), "number", width=24),
        ExportColumn(_("Penerbit"), "issuer", width=28),
        *business_columns(),
        *region_columns(),
        ExportColumn(_("Lingkup/produk"), "scope", width=30),
        ExportColumn(_("Tanggal terbit"), "issued_on", "date", width=12),
        ExportColumn(_("Berlaku sampai"), "expires_on", "date", width=12),
    ),
)

ASSESSMENT_EXPORT = ExportSpec(
    key="quality.assessment",
    label=_("Penilaian mutu"),
    queryset=selectors.assessment_list,
    filterset_class=AssessmentFilterSet,
    ordering=("-assessed_on", "-id"),
    filename="penilaian-mutu",
    columns=(
        ExportColumn(_("Tanggal penilaian"), "assessed_on", "date", width=12),
        *business_columns(),
        *region_columns(),
        ExportColumn(_("Daftar periksa"), "checklist__template__name", width=30),
        ExportColumn(_("Nomor versi"), "checklist__number", "int", width=8),
        ExportColumn(_("Penilai"), "assessor__full_name", width=24),
        ExportColumn(_("Nilai total (persen)"), "total_score", "number", width=10),
        choice(_("Status"), "status", AssessmentStatus, width=14),
    ),
)

ACTION_EXPORT = ExportSpec(
    key="quality.action",
    label=_("Tindakan perbaikan"),
    queryset=selectors.action_list,
    filterset_class=ActionFilterSet,
    ordering=("due_on", "id"),
    filename="tindakan-perbaikan",
    columns=(
        *business_columns("finding__assessment__business"),
        *region_columns(),
        ExportColumn(_("Tindakan perbaikan"), "description", width=40),
        ExportColumn(_("Penanggung jawab"), "responsible__full_name", width=24),
        ExportColumn(_("Batas waktu"), "due_on", "date", width=12),
        choice(_("Status"), "status", ActionStatus, width=14),
        ExportColumn(_("Selesai pada"), "done_at", "datetime"),
        ExportColumn(_("Diverifikasi pada"), "verified_at", "datetime"),
    ),
)


def register() -> None:
    register_export(CERTIFICATION_EXPORT, ASSESSMENT_EXPORT, ACTION_EXPORT)
