"""The evaluation's analysis table as a download, through the core export engine: the rows behind every estimate
on the outcomes page, without names, NIK or contacts (``EvaluationRow`` holds none), for an auditor to recompute."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sentra.core.exporting import ExportColumn, ExportSpec
from sentra.reports.models import EvaluationRow

GROUP_FIELDS = {"kelas": "batch_id", "jenis": "programme_kind", "sentra": "centre_id", "menu": "dak_menu"}


class EvaluationRowFilterSet(django_filters.FilterSet):
    """``wilayah``: a province or regency code (the area the page shows); ``kelompok``: one group of the page
    (``kelas:12``, ``jenis:pelatihan``, ``sentra:3``, ``menu:nonfisik-B``, ``wilayah:74.71:2022``)."""

    wilayah = django_filters.CharFilter(method="filter_area")
    kelompok = django_filters.CharFilter(method="filter_group")

    class Meta:
        model = EvaluationRow
        fields: list[str] = []

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)

    def filter_area(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if "." in value:
            return qs.filter(region_id=value)
        return qs.filter(region__parent_id=value)

    def filter_group(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        grouping, _sep, key = value.partition(":")
        if grouping == "wilayah":
            region, _sep, year = key.rpartition(":")
            return qs.filter(region_id=region, year=year) if year.isdigit() else qs.none()
        field = GROUP_FIELDS.get(grouping)
        if field is None or not key:
            return qs.none()
        if field.endswith("_id") and not key.isdigit():
            return qs.none()
        return qs.filter(Q(**{field: key}))

    @property
    def qs(self) -> QuerySet:
        # A bad area or group lists nothing (never "everything you may see").
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs


def _flag(value: Any) -> Any:
    return "" if value is None else int(bool(value))


def _columns() -> list[ExportColumn]:
    # Column names are fixed identifiers in every language: the method page and an auditor's spreadsheet refer to them.
    cols = [
        ExportColumn("baris", "id", "int"),
        ExportColumn("subjek", "subject"),
        ExportColumn("kode_wilayah", "region_id"),
        ExportColumn("tahun", "year", "int"),
        ExportColumn("tanggal_mulai", "start_date", "date"),
        ExportColumn("kelas", "batch_id", "int"),
        ExportColumn("jenis_program", "programme_kind"),
        ExportColumn("sentra", "centre_id", "int"),
        ExportColumn("menu_dak", "dak_menu"),
        ExportColumn("mata_anggaran_dak", "dak_line", "int"),
        ExportColumn("nilai_mata_anggaran", "dak_line_total", "money"),
        ExportColumn("tindak_lanjut_12_bulan", "answered", "int", transform=_flag),
        ExportColumn("usaha_baru", "new_business", "int", transform=_flag),
        ExportColumn("berpasangan", "matched", "int", transform=_flag),
        ExportColumn("kbli", "kbli"),
        ExportColumn("golongan_pokok_kbli", "kbli_division"),
        ExportColumn("klasifikasi_industri", "size_class"),
    ]
    for side, who in (("t", "peserta"), ("c", "pembanding")):
        for outcome, label in (("turnover", "omzet"), ("workforce", "tk"), ("nib", "nib")):
            for when, word in (("pre", "sebelum"), ("base", "awal"), ("post", "sesudah")):
                kind = "money" if outcome == "turnover" else "int"
                cols.append(ExportColumn(f"{label}_{who}_{word}", f"{side}_{outcome}_{when}", kind))
    return cols


EVALUATION_EXPORT = ExportSpec(
    key="reports.evaluation",
    label=_("Tabel analisis evaluasi program"),
    permission="reports.view_evaluationrow",
    queryset=lambda user: EvaluationRow.objects.visible_to(user),
    filterset_class=EvaluationRowFilterSet,
    columns=_columns(),
    ordering=("id",),
    filename="tabel-analisis-evaluasi",
)
