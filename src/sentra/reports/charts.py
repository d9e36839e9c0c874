"""The dashboard's charts: one description per chart, built from the same scoped figures as the page.

Each chart is drawn in the browser by plotly.js (``static/sentra/charts.js``, data passed with ``json_script``),
shown as a real table for screen readers and small screens, and downloadable as XLSX from
``reports:chart_xlsx`` — which rebuilds the dashboard for the same user and region, so the file holds exactly the
numbers on the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.reports.selectors import Dashboard, Programme, _list_url

#: chart key → title (the order on the page)
CHART_TITLES = {
    "size": gettext_lazy("Klasifikasi industri (Permenperin 64/2016)"),
    "umkm": gettext_lazy("Skala UMKM (PP 7/2021)"),
    "status": gettext_lazy("Status usaha"),
    "division": gettext_lazy("Golongan pokok KBLI terbanyak"),
    "new": gettext_lazy("Usaha baru per tahun mulai"),
    "workforce": gettext_lazy("Tenaga kerja menurut jenis kelamin"),
    "training": gettext_lazy("Pelatihan dan peserta per tahun"),
    "dak": gettext_lazy("DAK IKM per tahun anggaran (Rp)"),
    "certs": gettext_lazy("Sertifikat usaha per tahun"),
    "indi": gettext_lazy("Tingkat INDI 4.0"),
}


@dataclass
class ChartRow:
    label: str
    values: list[int | float]
    url: str = ""
    short: str = ""  # the axis label on a phone (KBLI: the division code only)


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar" (vertical) | "hbar" (horizontal, for long labels)
    category: str  # heading of the label column
    series: list[str]
    rows: list[ChartRow] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def total(self) -> int | float:
        return sum(sum(r.values) for r in self.rows)

    def as_json(self) -> dict[str, Any]:
        """What ``json_script`` hands to charts.js (no HTML, no code: plain data)."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "labels": [r.short or r.label for r in self.rows],
            "hover": [r.label for r in self.rows],
            "urls": [r.url for r in self.rows],
            "series": [
                {"name": name, "values": [r.values[i] for r in self.rows]} for i, name in enumerate(self.series)
            ],
        }


def dashboard_charts(dash: Dashboard) -> list[Chart]:
    count = _("Jumlah usaha")

    def from_breakdown(key: str, rows: list[Any], kind: str = "bar", category: str = "") -> Chart:
        return Chart(
            key,
            str(CHART_TITLES[key]),
            kind,
            category or _("Kelompok"),
            [count],
            [ChartRow(b.label, [b.value], b.url, b.key if key == "division" else "") for b in rows],
        )

    charts = [
        from_breakdown("size", dash.by_size, category=_("Klasifikasi")),
        from_breakdown("umkm", dash.by_umkm, category=_("Skala")),
        from_breakdown("status", dash.by_status, category=_("Status")),
        Chart(
            "new",
            str(CHART_TITLES["new"]),
            "bar",
            _("Tahun mulai"),
            [count],
            [ChartRow(str(year), [n], _list_url(**dash.where, year_started=year)) for year, n in dash.new_per_year],
        ),
        Chart(
            "workforce",
            str(CHART_TITLES["workforce"]),
            "bar",
            _("Jenis kelamin"),
            [_("Tenaga kerja")],
            [
                ChartRow(_("Laki-laki"), [dash.totals["workforce_male"]]),
                ChartRow(_("Perempuan"), [dash.totals["workforce_female"]]),
            ],
        ),
        from_breakdown("division", dash.by_division, kind="hbar", category=_("Golongan pokok KBLI")),
    ]
    if dash.programme is not None:
        charts += programme_charts(dash.programme)
    return charts


def programme_charts(programme: Programme) -> list[Chart]:
    """Trainings, DAK and certifications over the last years, and the INDI 4.0 levels of the chosen year."""
    from django.urls import reverse

    years = programme.per_year
    batch_list = reverse("training:batch_list")
    allocation_list = reverse("budget:allocation_list")
    return [
        Chart(
            "training",
            str(CHART_TITLES["training"]),
            "bar",
            _("Tahun"),
            [_("Kelas"), _("Peserta"), _("Lulus")],
            [
                ChartRow(
                    str(y["year"]), [y["batches"], y["participants"], y["passed"]], f"{batch_list}?year={y['year']}"
                )
                for y in years
            ],
        ),
        Chart(
            "dak",
            str(CHART_TITLES["dak"]),
            "bar",
            _("Tahun anggaran"),
            [_("Pagu"), _("Dana diterima"), _("Realisasi")],
            [
                ChartRow(
                    str(y["year"]),
                    [float(y["dak_pagu"]), float(y["dak_received"]), float(y["dak_paid"])],
                    f"{allocation_list}?" + urlencode({"year": y["year"], **programme.list_params}),
                )
                for y in years
            ],
        ),
        Chart(
            "certs",
            str(CHART_TITLES["certs"]),
            "bar",
            _("Tahun"),
            [_("Berlaku"), _("Akan habis")],
            [ChartRow(str(y["year"]), [y["certs_held"], y["certs_expiring"]]) for y in years],
        ),
        Chart(
            "indi",
            f"{CHART_TITLES['indi']} · {programme.year}",
            "bar",
            _("Tingkat"),
            [_("Jumlah usaha")],
            [
                ChartRow(_("Tingkat %(n)s") % {"n": level}, [n], programme.links["indi"])
                for level, n in programme.indi_levels
            ],
        ),
    ]


def chart_xlsx(chart: Chart, *, region_name: str) -> bytes:
    """One sheet: a title line (chart · region), the header, one row per bar, the total."""
    from sentra.core.safetext import xlsx_workbook

    buffer = io.BytesIO()
    book = xlsx_workbook(buffer, {"in_memory": True})  # labels (KBLI titles, names) stay text, never formulas
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})
    total = book.add_format({"bold": True, "num_format": "#,##0"})
    sheet = book.add_worksheet(chart.key[:31])
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, len(chart.series), 18)
    sheet.write(0, 0, f"{chart.title} · {region_name}", book.add_format({"bold": True, "font_size": 13}))
    sheet.write_row(2, 0, [chart.category, *chart.series], bold)
    row = 3
    for r in chart.rows:
        sheet.write(row, 0, r.label)
        for i, value in enumerate(r.values):
            sheet.write_number(row, 1 + i, value, number)
        row += 1
    sheet.write(row, 0, _("Jumlah"), bold)
    for i in range(len(chart.series)):
        sheet.write_number(row, 1 + i, sum(r.values[i] for r in chart.rows), total)
    book.close()
    return buffer.getvalue()
