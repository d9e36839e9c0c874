"""Exports of the training lists (classes and programmes), through the core export engine."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import UPDATED_AT, ExportColumn, ExportSpec, choice, region_columns, register_export
from sentra.training import selectors
from sentra.training.choices import BatchStatus, FundingSource, ProgrammeKind
from sentra.training.filters import BatchFilterSet, ProgrammeFilterSet

BATCH_EXPORT = ExportSpec(
    key="training.batch",
    label=_("Kelas pelatihan"),
    queryset=selectors.batch_list,
    filterset_class=BatchFilterSet,
    ordering=("-start_date", "-id"),
    filename="kelas-pelatihan",
    columns=(
        ExportColumn(_("Kelas"), "name", width=36),
        ExportColumn(_("Program"), "programme__title", width=30),
        choice(_("Jenis"), "programme__kind", ProgrammeKind),
        ExportColumn(_("Penyelenggara"), "organiser", width=30),
        ExportColumn(_("Tanggal mulai"), "start_date", "date", width=12),
        ExportColumn(_("Tanggal selesai"), "end_date", "date", width=12),
        ExportColumn(_("Tempat"), "venue", width=28),
        # The accepted participants, as the list counts them (``selectors.batch_list``).
        ExportColumn(_("Peserta diterima"), "accepted_count", "int", width=10),
        ExportColumn(_("Kuota peserta"), "quota", "int", width=10),
        choice(_("Sumber dana"), "funding_source", FundingSource, width=16),
        choice(_("Status"), "status", BatchStatus, width=16),
        *region_columns(),
        UPDATED_AT,
    ),
)

PROGRAMME_EXPORT = ExportSpec(
    key="training.programme",
    label=_("Program pelatihan"),
    queryset=selectors.programme_list,
    filterset_class=ProgrammeFilterSet,
    ordering=("title", "id"),
    filename="program-pelatihan",
    columns=(
        ExportColumn(_("Program"), "title", width=36),
        choice(_("Jenis"), "kind", ProgrammeKind),
        ExportColumn(_("Kehadiran minimum (persen)"), "min_attendance_pct", "int", width=10),
        ExportColumn(_("Nilai post-test minimum"), "min_post_test", "number", width=10),
        ExportColumn(_("Kelas"), "batch_count", "int", width=8),
        *region_columns(),
        UPDATED_AT,
    ),
)


def register() -> None:
    register_export(BATCH_EXPORT, PROGRAMME_EXPORT)
