"""The DAK quarterly report (a periodic submission, ``reports.DakReport``) as XLSX (openpyxl) and PDF (reportlab).

The layout follows the progress columns of the Bappenas DAK evaluation table: pagu, nilai RK,
kontrak, penyaluran, realisasi penyerapan (Rp and % of penyaluran), realisasi fisik (%), capaian output (volume/
satuan against target). Amounts in words (terbilang) appear on the PDF, an official document. Text typed by users (activity descriptions,
locations, problems) goes through ``core.safetext``: escaped in the PDF, a string cell (never a formula) in the XLSX.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from sentra.core.formatting import format_number, format_rupiah, terbilang
from sentra.core.safetext import openpyxl_cell, pdf_text

if TYPE_CHECKING:
    from sentra.budget.reports import DakReport

COLUMNS = [
    ("No", 5),
    ("Menu", 8),
    ("Uraian kegiatan", 40),
    ("Lokasi", 22),
    ("Keluaran", 22),
    ("Satuan", 8),
    ("Target", 10),
    ("Capaian", 10),
    ("Capaian output (%)", 11),
    ("Pagu RK (Rp)", 17),
    ("Nilai kontrak (Rp)", 17),
    ("Realisasi keuangan (Rp)", 17),
    ("Realisasi keuangan (%)", 11),
    ("Realisasi fisik (%)", 11),
]


def _d(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def _title(report: DakReport) -> list[str]:
    allocation = report.allocation
    return [
        "LAPORAN TRIWULAN PELAKSANAAN DAK BIDANG INDUSTRI KECIL DAN MENENGAH",
        f"{allocation.fund.name} — Tahun Anggaran {allocation.fund.fiscal_year.year}",
        f"{report.region.name}, Provinsi {report.region.parent.name if report.region.parent else ''}",
        f"Triwulan {report.quarter} (keadaan per {report.as_of:%d-%m-%Y})",
    ]


def report_xlsx(report: DakReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    data = report.data or {}
    wb = Workbook()
    ws = wb.active
    ws.title = f"Triwulan {report.quarter}"
    for i, text in enumerate(_title(report), start=1):
        openpyxl_cell(ws, i, 1, text).font = Font(bold=i == 1, size=12 if i == 1 else 11)
    summary = [
        ("Pagu alokasi", _d(data.get("pagu"))),
        ("Nilai rencana kegiatan", _d(data.get("plan_total"))),
        ("Nilai kontrak", _d(data.get("contracted"))),
        ("Dana diterima (penyaluran)", _d(data.get("received"))),
        ("Realisasi penyerapan", _d(data.get("paid"))),
    ]
    row = 6
    for label, value in summary:
        openpyxl_cell(ws, row, 1, label)
        openpyxl_cell(ws, row, 3, value).number_format = "#,##0"
        row += 1
    for label, key in (
        ("Penyerapan dari dana diterima (%)", "absorption_pct"),
        ("Realisasi fisik (%)", "physical_pct"),
        ("Capaian output (%)", "output_pct"),
        ("Porsi sentra sasaran (%)", "target_centre_paid_pct"),
    ):
        if data.get(key) is None:
            continue
        openpyxl_cell(ws, row, 1, label)
        openpyxl_cell(ws, row, 3, _d(data.get(key))).number_format = "0.00"
        row += 1
    row += 1
    header_row = row
    for col, (name, width) in enumerate(COLUMNS, start=1):
        cell = openpyxl_cell(ws, row, col, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = width
    for n, r in enumerate(data.get("rows", []), start=1):
        row += 1
        values = [
            n,
            r["menu"],
            r["description"],
            r["location"],
            r["output"],
            r["unit"],
            _d(r["target"]),
            _d(r["achieved"]),
            _d(r["output_pct"]),
            _d(r["amount"]),
            _d(r["contracted"]),
            _d(r["paid"]),
            _d(r["financial_pct"]),
            _d(r["physical_pct"]),
        ]
        for col, value in enumerate(values, start=1):
            cell = openpyxl_cell(ws, row, col, value)
            if col in (10, 11, 12):
                cell.number_format = "#,##0"
            elif col in (7, 8, 9, 13, 14):
                cell.number_format = "0.00"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    row += 2
    openpyxl_cell(ws, row, 1, "Permasalahan dan tindak lanjut").font = Font(bold=True)
    openpyxl_cell(ws, row + 1, 1, report.problems or "-")
    openpyxl_cell(ws, row + 3, 1, _status_line(report))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _status_line(report: DakReport) -> str:
    if report.submitted_at:
        when = timezone.localtime(report.submitted_at).strftime("%d-%m-%Y %H:%M")
        late = " (TERLAMBAT)" if report.is_late else ""
        return f"Disampaikan {when}{late}; batas {report.due_on:%d-%m-%Y}."
    return f"DRAF — belum disampaikan; batas {report.due_on:%d-%m-%Y}."


def report_pdf(report: DakReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    data = report.data or {}
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Laporan triwulan {report.quarter} {report.region.name}",
        author=settings.SENTRA_AGENCY_NAME,
    )
    story: list[Any] = []
    title = _title(report)
    story.append(Paragraph(pdf_text(title[0]), styles["Title"]))
    for line in title[1:]:
        story.append(Paragraph(pdf_text(line), styles["Normal"]))
    story.append(Spacer(1, 4 * mm))
    paid = _d(data.get("paid"))
    summary = [
        ["Pagu alokasi", format_rupiah(_d(data.get("pagu")))],
        ["Nilai rencana kegiatan", format_rupiah(_d(data.get("plan_total")))],
        ["Nilai kontrak", format_rupiah(_d(data.get("contracted")))],
        ["Dana diterima (penyaluran)", format_rupiah(_d(data.get("received")))],
        ["Realisasi penyerapan", f"{format_rupiah(paid)} ({terbilang(paid)})"],
        ["Penyerapan dari dana diterima", f"{format_number(_d(data.get('absorption_pct')), 2)}%"],
        ["Realisasi fisik", f"{format_number(_d(data.get('physical_pct')), 2)}%"],
        ["Capaian output", f"{format_number(_d(data.get('output_pct')), 2)}%"],
    ]
    if data.get("target_centre_paid_pct") is not None:
        summary.append(
            [
                "Porsi untuk sentra sasaran",
                f"{format_number(_d(data['target_centre_paid_pct']), 2)}% (minimal "
                f"{format_number(_d(data.get('target_centre_min_pct')), 0)}%)",
            ]
        )
    t = Table(
        [[Paragraph(pdf_text(a), small), Paragraph(pdf_text(b), small)] for a, b in summary],
        colWidths=[60 * mm, 180 * mm],
    )
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story += [t, Spacer(1, 4 * mm)]
    rows = [[Paragraph(pdf_text(name), small) for name, _w in COLUMNS]]
    for n, r in enumerate(data.get("rows", []), start=1):
        rows.append(
            [
                Paragraph(pdf_text(x), small)
                for x in (
                    n,
                    r["menu"],
                    r["description"],
                    r["location"],
                    r["output"],
                    r["unit"],
                    format_number(_d(r["target"]), 2),
                    format_number(_d(r["achieved"]), 2),
                    format_number(_d(r["output_pct"]), 2),
                    format_number(_d(r["amount"])),
                    format_number(_d(r["contracted"])),
                    format_number(_d(r["paid"])),
                    format_number(_d(r["financial_pct"]), 2),
                    format_number(_d(r["physical_pct"]), 2),
                )
            ]
        )
    widths = [w * 1.38 * mm for _n, w in COLUMNS]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    story.append(Paragraph("<b>Permasalahan dan tindak lanjut</b>", styles["Normal"]))
    story.append(Paragraph(pdf_text(report.problems or "-", line_breaks=True), styles["Normal"]))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(pdf_text(_status_line(report)), small))
    doc.build(story)
    return out.getvalue()
