"""Export of the periodic submissions list, through the core export engine. ``SUBMISSION_COLUMNS`` also serve the
lists of one form (the DAK quarterly reports), so a submission reads the same in every file."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import ExportColumn, ExportSpec, choice, region_columns, register_export
from sentra.periodic import selectors
from sentra.periodic.models import SubmissionState
from sentra.periodic.registry import report_form
from sentra.periodic.views import SubmissionFilterSet  # the page's own FilterSet, which lives with its view


def _form_title(code: str) -> str:
    form = report_form(code)
    return str(form.title) if form is not None else code


SUBMISSION_COLUMNS = (
    ExportColumn(_("Formulir"), "form_code", transform=_form_title, width=30),
    ExportColumn(_("Pelapor"), "subject_label", width=32),
    *region_columns(),
    ExportColumn(_("Periode"), "period", width=10),
    ExportColumn(_("Awal periode"), "period_start", "date", width=12),
    ExportColumn(_("Akhir periode"), "period_end", "date", width=12),
    ExportColumn(_("Batas waktu"), "due_date", "date", width=12),
    choice(_("Status"), "state", SubmissionState, width=14),
    ExportColumn(_("Dikirim pada"), "submitted_at", "datetime"),
    ExportColumn(_("Diperiksa pada"), "reviewed_at", "datetime"),
)

SUBMISSION_EXPORT = ExportSpec(
    key="periodic.submission",
    label=_("Laporan berkala"),
    queryset=selectors.submission_list,
    filterset_class=SubmissionFilterSet,
    ordering=("-period_start", "-id"),
    filename="laporan-berkala",
    columns=SUBMISSION_COLUMNS,
)


def register() -> None:
    register_export(SUBMISSION_EXPORT)
