"""Exports of the certificates list (sertifikat dan izin), the quality assessments and the corrective actions, through the core export
engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import ExportColumn, ExportSpec, choice_labels, register_export
from sentra.quality import selectors
from sentra.quality.choices import ActionStatus, AssessmentStatus, CertificationKind
from sentra.quality.filters import ActionFilterSet, AssessmentFilterSet, CertificationFilterSet


def _certifications(user: Any) -> Any:
    return selectors.certification_list(user=user)


CERTIFICATION_EXPORT = ExportSpec(
    key="quality.certification",
    label=_("Sertifikat dan izin"),
    permission="core.export_list",
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


def _assessments(user: Any) -> Any:
    return selectors.assessment_list(user=user)


ASSESSMENT_EXPORT = ExportSpec(
    key="quality.assessment",
    label=_("Penilaian mutu"),
    permission="core.export_list",
    queryset=_assessments,
    filterset_class=AssessmentFilterSet,
    ordering=("-assessed_on", "-id"),
    filename="penilaian-mutu",
    columns=(
        ExportColumn(_("Tanggal penilaian"), "assessed_on", "date", width=12),
        ExportColumn(_("NIB"), "business__nib", width=16),
        ExportColumn(_("Nama usaha"), "business__name", width=32),
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Daftar periksa"), "checklist__template__name", width=30),
        ExportColumn(_("Nomor versi"), "checklist__number", "int", width=8),
        ExportColumn(_("Penilai"), "assessor__full_name", width=24),
        ExportColumn(_("Nilai total (persen)"), "total_score", "number", width=10),
        ExportColumn(_("Status"), "status", transform=choice_labels(AssessmentStatus), width=14),
    ),
)


def _actions(user: Any) -> Any:
    return selectors.action_list(user=user)


ACTION_EXPORT = ExportSpec(
    key="quality.action",
    label=_("Tindakan perbaikan"),
    permission="core.export_list",
    queryset=_actions,
    filterset_class=ActionFilterSet,
    ordering=("due_on", "id"),
    filename="tindakan-perbaikan",
    columns=(
        ExportColumn(_("NIB"), "finding__assessment__business__nib", width=16),
        ExportColumn(_("Nama usaha"), "finding__assessment__business__name", width=32),
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Kabupaten/kota"), "region__name", width=22),
        ExportColumn(_("Tindakan perbaikan"), "description", width=40),
        ExportColumn(_("Penanggung jawab"), "responsible__full_name", width=24),
        ExportColumn(_("Batas waktu"), "due_on", "date", width=12),
        ExportColumn(_("Status"), "status", transform=choice_labels(ActionStatus), width=14),
        ExportColumn(_("Selesai pada"), "done_at", "datetime"),
        ExportColumn(_("Diverifikasi pada"), "verified_at", "datetime"),
    ),
)


def register() -> None:
    register_export(CERTIFICATION_EXPORT)
    register_export(ASSESSMENT_EXPORT)
    register_export(ACTION_EXPORT)
