"""Exports of the DAK lists (allocations with their absorption, the quarterly reports), through the core export
engine. (``budget.exports`` writes one quarterly report as a document; these are lists.)"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from sentra.budget import selectors
from sentra.budget.choices import FundKind
from sentra.budget.figures import pct
from sentra.budget.filters import AllocationFilterSet
from sentra.budget.views import ReportFilterSet  # the page's own FilterSet, which lives with its view
from sentra.core.exporting import ExportColumn, ExportSpec, choice, region_columns, register_export
from sentra.periodic.exports import SUBMISSION_COLUMNS


def _absorption(pair: str) -> Decimal | None:
    """Realisasi ÷ diterima from ``"paid|received"``, by ``figures.pct`` as on the page (one definition)."""
    paid, _sep, received = (pair or "").partition("|")
    try:
        return pct(Decimal(paid or 0), Decimal(received or 0))
    except InvalidOperation:
        return None


ALLOCATION_EXPORT = ExportSpec(
    key="budget.allocation",
    label=_("Alokasi dan penyerapan DAK"),
    queryset=selectors.allocation_list,
    filterset_class=AllocationFilterSet,
    ordering=("region__name", "id"),
    filename="alokasi-dak",
    annotations={
        "absorption_pair": Concat(
            Cast("paid_total", CharField()), Value("|"), Cast("received_total", CharField()), output_field=CharField()
        )
    },
    columns=(
        *region_columns(width=24),
        ExportColumn(_("Provinsi"), "region__parent__name", width=22),
        ExportColumn(_("Tahun anggaran"), "fund__fiscal_year__year", "int", width=8),
        choice(_("Dana"), "fund__kind", FundKind, width=24),
        ExportColumn(_("Nama dana"), "fund__name", width=30),
        ExportColumn(_("Pagu (Rp)"), "amount", "money"),
        ExportColumn(_("Nilai RK (Rp)"), "planned_total", "money"),
        ExportColumn(_("Diterima (Rp)"), "received_total", "money"),
        ExportColumn(_("Realisasi (Rp)"), "paid_total", "money"),
        ExportColumn(_("Penyerapan (persen)"), "absorption_pair", "number", transform=_absorption, width=10),
    ),
)

REPORT_EXPORT = ExportSpec(
    key="budget.report",
    label=_("Laporan triwulan DAK"),
    queryset=selectors.report_list,
    filterset_class=ReportFilterSet,
    ordering=("-due_date", "-id"),
    filename="laporan-triwulan-dak",
    columns=SUBMISSION_COLUMNS[1:],  # every row is the DAK quarterly form
)


def register() -> None:
    register_export(ALLOCATION_EXPORT, REPORT_EXPORT)
