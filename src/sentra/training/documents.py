"""Documents of training: the certificate (PDF, A4 landscape, with QR code) and the batch report
(*laporan pelaksanaan*) as PDF and XLSX. Made with reportlab, qrcode and xlsxwriter, which install from PyPI
alone."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sentra.core.formatting import MONTH_NAMES, format_number, format_percent
from sentra.core.safetext import pdf_markup, pdf_text, xlsx_workbook

NAVY = colors.HexColor("#1f3a68")
GOLD = colors.HexColor("#c9a227")


def tanggal(d: Any) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def date_range(start: Any, end: Any) -> str:
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {MONTH_NAMES[end.month - 1]} {end.year}"
    return f"{tanggal(start)} – {tanggal(end)}"


def draw_logo(c: canvas.Canvas, x: float, y: float, size: float) -> None:
    """The agency mark: a cog (industry) around a leaf-shaped flame, in the house colours. Drawn, not a file."""
    r = size / 2
    cx, cy = x + r, y + r
    c.saveState()
    c.setFillColor(NAVY)
    teeth = 12
    import math

    path = c.beginPath()
    for i in range(teeth * 2):
        angle = math.pi * 2 * i / (teeth * 2)
        radius = r if i % 2 == 0 else r * 0.84
        px, py = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        if i == 0:
            path.moveTo(px, py)
        else:
            path.lineTo(px, py)
    path.close()
    c.drawPath(path, fill=1, stroke=0)
    c.setFillColor(colors.white)
    c.circle(cx, cy, r * 0.62, fill=1, stroke=0)
    c.setFillColor(GOLD)
    c.circle(cx, cy, r * 0.5, fill=1, stroke=0)
    c.setFillColor(NAVY)
    c.setFont("Helvetica-Bold", r * 0.42)
    c.drawCentredString(cx, cy - r * 0.15, "IKM")
    c.restoreState()


def draw_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code drawn as vector squares (no image library needed)."""
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    cell = size / n
    c.saveState()
    c.setFillColor(colors.white)
    c.rect(x, y, size, size, fill=1, stroke=0)
    c.setFillColor(colors.black)
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                c.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell, fill=1, stroke=0)
    c.restoreState()


def fit_centred(c: canvas.Canvas, x: float, y: float, text: str, font: str, size: float, max_width: float) -> None:
    """Draw ``text`` centred at ``x``, shrinking the font until it fits ``max_width`` (long names, titles)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 7 and stringWidth(text, font, size) > max_width:
        size -= 0.5
    c.setFont(font, size)
    c.drawCentredString(x, y, text)


def place_name(region_name: str) -> str:
    """ "KOTA KENDARI" / "Kab. Konawe" → "Kendari" / "Konawe", for the place line above the signature."""
    name = region_name.strip()
    for prefix in ("kabupaten ", "kab. ", "kota "):
        if name.lower().startswith(prefix):
            name = name[len(prefix) :]
    return name.title()


def certificate_pdf(
    cert: Any, *, verify_url: str, agency: str, signatory_name: str, signatory_title: str, place: str = ""
) -> bytes:
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=landscape(A4))
    c.setTitle(f"Sertifikat {cert.holder_name} – {cert.programme_title}")
    c.setAuthor(agency)
    # Frame
    c.setStrokeColor(NAVY)
    c.setLineWidth(4)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    draw_logo(c, width / 2 - 13 * mm, height - 48 * mm, 26 * mm)
    c.setFillColor(NAVY)
    c.setFont("Helvetica-Bold", 14)
    c.drawCentredString(width / 2, height - 56 * mm, agency.upper())
    c.setFont("Helvetica-Bold", 34)
    c.drawCentredString(width / 2, height - 74 * mm, "SERTIFIKAT")
    c.setFont("Helvetica", 11)
    c.setFillColor(colors.black)
    c.drawCentredString(width / 2, height - 81 * mm, f"Nomor: {cert.number}")
    c.setFont("Helvetica", 13)
    c.drawCentredString(width / 2, height - 93 * mm, "diberikan kepada")
    c.setFillColor(NAVY)
    fit_centred(c, width / 2, height - 107 * mm, cert.holder_name, "Helvetica-Bold", 26, width - 60 * mm)
    c.setFillColor(colors.black)
    c.setFont("Helvetica", 13)
    c.drawCentredString(width / 2, height - 119 * mm, "telah mengikuti dan dinyatakan LULUS")
    fit_centred(c, width / 2, height - 129 * mm, cert.programme_title, "Helvetica-Bold", 16, width - 60 * mm)
    fit_centred(
        c,
        width / 2,
        height - 138 * mm,
        f"yang diselenggarakan oleh {cert.organiser} pada {date_range(cert.start_date, cert.end_date)}",
        "Helvetica",
        12,
        width - 60 * mm,
    )
    c.setFont("Helvetica", 12)
    c.drawCentredString(width / 2, height - 145 * mm, f"dengan jumlah {cert.hours_jp} jam pelajaran (JP @ 45 menit)")
    # Signatory (right)
    sx = width - 80 * mm
    c.setFont("Helvetica", 11)
    c.drawCentredString(sx, 55 * mm, f"{place}, {tanggal(cert.end_date)}" if place else tanggal(cert.end_date))
    fit_centred(c, sx, 50 * mm, signatory_title or "Kepala Dinas", "Helvetica", 11, 110 * mm)
    fit_centred(c, sx, 27 * mm, signatory_name or "", "Helvetica-Bold", 11, 110 * mm)
    c.line(sx - 35 * mm, 25 * mm, sx + 35 * mm, 25 * mm)
    # QR and code (left)
    draw_qr(c, verify_url, 26 * mm, 24 * mm, 34 * mm)
    c.setFont("Helvetica", 9)
    c.drawString(62 * mm, 44 * mm, f"Kode verifikasi: {cert.code}")
    c.drawString(62 * mm, 39 * mm, "Pindai kode QR atau buka:")
    c.drawString(62 * mm, 34 * mm, verify_url)
    if cert.revoked_at:
        c.saveState()
        c.setFillColor(colors.red)
        c.setFont("Helvetica-Bold", 60)
        c.translate(width / 2, height / 2)
        c.rotate(25)
        c.drawCentredString(0, 0, "DICABUT")
        c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def _num(value: Any, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return format_number(Decimal(value), decimals)


def funding_text(batch: Any) -> str:
    return batch.funding_text


def report_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for i, p in enumerate(report["participants"], start=1):
        result = p["result"]
        if p.get("reason"):
            result = f"{result}: {p['reason']}"
        rows.append(
            [
                str(i),
                p["name"],
                p["business"],
                format_percent(p["attendance_pct"], 0) if p["attendance_pct"] is not None else "–",
                _num(p["pre_test"], 2),
                _num(p["post_test"], 2),
                _num(p["gain"], 2),
                result,
                p["certificate"],
            ]
        )
    return rows


HEADERS = ["No", "Nama", "Usaha", "Kehadiran", "Pre-test", "Post-test", "Kenaikan", "Hasil", "Sertifikat"]


def _facts_table(rows: list[tuple[str, str, str, str]], style: ParagraphStyle) -> Table:
    """The report's header facts, two label/value pairs a row; values are Paragraphs so that they wrap."""
    bold = ParagraphStyle("label", parent=style, fontName="Helvetica-Bold")
    data = [
        [
            Paragraph(pdf_text(a), bold),
            Paragraph(pdf_text(b), style),
            Paragraph(pdf_text(c), bold),
            Paragraph(pdf_text(d), style),
        ]
        for a, b, c, d in rows
    ]
    return Table(
        data,
        colWidths=[26 * mm, 108 * mm, 28 * mm, 105 * mm],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]),
    )


def report_pdf(report: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Laporan pelaksanaan {report['batch'].name}",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"]
    small.fontSize = 9
    small.leading = 11
    b = report["batch"]
    story: list[Any] = [
        # User text goes into paragraphs escaped (core.safetext): a class named "<img src=...>" is printed as typed.
        Paragraph(pdf_markup("<b>{}</b>", report["agency"].upper()), styles["Normal"]),
        Paragraph(pdf_text(f"LAPORAN PELAKSANAAN – {b.name}"), styles["Title"]),
        _facts_table(
            [
                (
                    "Program",
                    b.programme.title,
                    "Tanggal",
                    f"{date_range(b.start_date, b.end_date)} ({report['days']} hari)",
                ),
                ("Tempat", b.venue, "Sumber dana", funding_text(b)),
                ("Pelatih", report["trainers"], "Jumlah JP", str(report["hours"])),
                (
                    "Peserta",
                    f"{report['accepted']} diterima dari kuota {b.quota} ({report['applied']} pendaftar)",
                    "Lulus",
                    f"{report['passed']} orang",
                ),
            ],
            small,
        ),
        Spacer(1, 5 * mm),
        Paragraph("<b>Ringkasan</b>", styles["Heading3"]),
        Paragraph(
            pdf_text(
                f"Rata-rata kehadiran {format_percent(report['attendance_avg'])}; "
                f"rata-rata pre-test {_num(report['pre_avg'], 2)}, "
                f"post-test {_num(report['post_avg'], 2)}, kenaikan {_num(report['gain_avg'], 2)} poin."
            ),
            small,
        ),
    ]
    ev = report["evaluation"]
    if ev["shown"]:
        parts = "; ".join(f"{q['label']} {_num(q['avg'], 2)}" for q in ev["questions"])
        story.append(
            Paragraph(
                pdf_text(
                    f"Evaluasi pelatih ({ev['count']} responden, skala 1–5): {parts}; "
                    f"rata-rata {_num(ev['overall'], 2)}."
                ),
                small,
            )
        )
    else:
        story.append(
            Paragraph(
                pdf_text(f"Evaluasi pelatih: {ev['count']} responden (ditampilkan mulai {ev['minimum']})."), small
            )
        )
    cost = report["cost"]
    if cost:
        story.append(
            Paragraph(
                pdf_text(
                    "Biaya: " + "; ".join(f"{k}: {v}" if isinstance(v, str) else f"{k} {_num(v)}" for k, v in cost)
                ),
                small,
            )
        )
    else:
        story.append(Paragraph("Biaya: belum terhubung dengan mata anggaran.", small))
    if report.get("pass_rule"):
        story.append(Paragraph(pdf_text(report["pass_rule"]), small))
    story += [Spacer(1, 5 * mm), Paragraph("<b>Daftar peserta</b>", styles["Heading3"])]
    cell = ParagraphStyle("cell", parent=small, fontSize=8, leading=9.5)
    head = ParagraphStyle("head", parent=cell, textColor=colors.white, fontName="Helvetica-Bold")
    numeric = ParagraphStyle("numeric", parent=cell, alignment=TA_RIGHT)
    # Every cell is a Paragraph, so a long name, business or reason wraps inside its column instead of running
    # over the next one or off the page.
    body = [
        [Paragraph(pdf_text(v), numeric if 3 <= col <= 6 else cell) for col, v in enumerate(row)]
        for row in report_rows(report)
    ]
    table = Table(
        [[Paragraph(pdf_text(h), head) for h in HEADERS], *body],
        repeatRows=1,
        colWidths=[9 * mm, 48 * mm, 48 * mm, 20 * mm, 17 * mm, 18 * mm, 18 * mm, 53 * mm, 36 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), NAVY),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buf.getvalue()


def report_xlsx(report: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    # Text is stored as text, never as a formula (core.safetext): participant names come from a public form.
    wb = xlsx_workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0"})
    score = wb.add_format({"num_format": "0.00"})
    b = report["batch"]
    ws = wb.add_worksheet("Ringkasan")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 60)
    rows = [
        (_("Kelas"), b.name),
        (_("Program"), b.programme.title),
        (_("Penyelenggara"), b.organiser),
        (_("Tanggal"), date_range(b.start_date, b.end_date)),
        (_("Hari pelatihan"), report["days"]),
        (_("Jumlah JP"), report["hours"]),
        (_("Tempat"), b.venue),
        (_("Sumber dana"), funding_text(b)),
        (_("Pelatih"), report["trainers"]),
        (_("Kuota"), b.quota),
        (_("Pendaftar"), report["applied"]),
        (_("Peserta diterima"), report["accepted"]),
        (_("Lulus"), report["passed"]),
        (_("Rata-rata kehadiran (%)"), float(report["attendance_avg"] or 0)),
        (_("Rata-rata pre-test"), float(report["pre_avg"] or 0)),
        (_("Rata-rata post-test"), float(report["post_avg"] or 0)),
        (_("Rata-rata kenaikan"), float(report["gain_avg"] or 0)),
        (_("Responden evaluasi"), report["evaluation"]["count"]),
    ]
    if report["evaluation"]["shown"]:
        rows += [(str(q["label"]), float(q["avg"])) for q in report["evaluation"]["questions"]]
    for label, value in report["cost"]:
        rows.append((label, value))
    for r, (label, value) in enumerate(rows):
        ws.write(r, 0, str(label), bold)
        if isinstance(value, Decimal):
            ws.write_number(r, 1, float(value), money)
        else:
            ws.write(r, 1, value)
    ws2 = wb.add_worksheet("Peserta")
    headers = ["No", "Nama", "Usaha", "Kehadiran (%)", "Pre-test", "Post-test", "Kenaikan", "Hasil", "Sertifikat"]
    for col, h in enumerate(headers):
        ws2.write(0, col, h, bold)
    ws2.set_column(1, 2, 32)
    ws2.set_column(8, 8, 20)
    for i, p in enumerate(report["participants"], start=1):
        ws2.write_number(i, 0, i)
        ws2.write(i, 1, p["name"])
        ws2.write(i, 2, p["business"])
        for col, key in ((3, "attendance_pct"), (4, "pre_test"), (5, "post_test"), (6, "gain")):
            if p[key] is None:
                ws2.write_blank(i, col, None)
            else:
                ws2.write_number(i, col, float(p[key]), score)
        ws2.write(i, 7, p["result"])
        ws2.write(i, 8, p["certificate"])
    ws2.autofilter(0, 0, len(report["participants"]), len(headers) - 1)
    ws2.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()
