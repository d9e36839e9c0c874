"""The annual regional IKM profile (reports page): one region, one year, from the data, as PDF and XLSX.

Sections: summary figures and the breakdowns by size class and KBLI division (from the dashboard's summary
tables), centres (status, units, units rented), trainings of the year (batches, participants, passed) and DAK
absorption of the year (pagu, payments, physical progress). Every query reads through ``visible_to`` and the
region chosen with ``dashboard_region`` (out-of-scope regions are 404).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.budget.models import Allocation, BudgetLine, Payment, ProgressReport
from sentra.centres.choices import CentreStatus
from sentra.centres.models import Centre, Tenancy, WorkshopUnit
from sentra.core.formatting import format_number, format_rupiah
from sentra.regions.models import Region
from sentra.reports.outcomes import _in_regions, region_ids_of
from sentra.reports.selectors import Dashboard, dashboard_get
from sentra.training.choices import ParticipantResult, ParticipantStatus
from sentra.training.models import Batch, Participant


@dataclass
class Profile:
    region: Region | None
    year: int
    dash: Dashboard
    centres: list[tuple[str, int]] = field(default_factory=list)
    centres_total: int = 0
    units: int = 0
    units_rented: int = 0
    batches: int = 0
    participants: int = 0
    accepted: int = 0
    passed: int = 0
    dak_pagu: Decimal = Decimal(0)
    dak_paid: Decimal = Decimal(0)
    dak_physical: Decimal | None = None
    dak_lines: int = 0

    @property
    def title(self) -> str:
        name = self.region.name if self.region else "Indonesia"
        return _("Profil IKM %(region)s Tahun %(year)s") % {"region": name, "year": self.year}

    @property
    def dak_financial_pct(self) -> Decimal | None:
        if not self.dak_pagu:
            return None
        return (self.dak_paid * 100 / self.dak_pagu).quantize(Decimal("0.1"))


def profile_get(*, user: Any, code: str | None, year: int) -> Profile:
    dash = dashboard_get(user=user, code=code)
    region_ids = region_ids_of(dash.region)
    p = Profile(region=dash.region, year=year, dash=dash)
    centres = _in_regions(Centre.objects.visible_to(user), "region_id", region_ids)
    counts = dict(centres.values_list("status").annotate(n=Count("pk")).order_by())
    p.centres = [(str(label), counts.get(value, 0)) for value, label in CentreStatus.choices]
    p.centres_total = sum(counts.values())
    day = min(timezone.localdate(), dt.date(year, 12, 31))
    units = WorkshopUnit.objects.filter(centre__in=centres.values("pk"))
    p.units = units.count()
    p.units_rented = (
        Tenancy.objects.filter(unit__in=units.values("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values("unit")
        .distinct()
        .count()
    )
    batches = _in_regions(Batch.objects.visible_to(user), "region_id", region_ids).filter(start_date__year=year)
    p.batches = batches.exclude(status="cancelled").count()
    part = Participant.objects.filter(batch__in=batches.values("pk")).aggregate(
        n=Count("pk"),
        acc=Count("pk", filter=Q(status=ParticipantStatus.ACCEPTED)),
        passed=Count("pk", filter=Q(result=ParticipantResult.PASSED)),
    )
    p.participants, p.accepted, p.passed = part["n"], part["acc"], part["passed"]
    allocations = _in_regions(Allocation.objects.visible_to(user), "region_id", region_ids).filter(
        fund__fiscal_year__year=year
    )
    p.dak_pagu = allocations.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    p.dak_paid = _in_regions(Payment.objects.visible_to(user), "region_id", region_ids).filter(
        contract__line__plan__allocation__in=allocations.values("pk")
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    latest = (
        ProgressReport.objects.filter(line=OuterRef("pk")).order_by("-reported_on", "-id").values("physical_pct")[:1]
    )
    physical = list(
        BudgetLine.objects.filter(plan__allocation__in=allocations.values("pk"))
        .annotate(pct=Subquery(latest))
        .filter(pct__isnull=False)
        .values_list("pct", flat=True)
    )
    p.dak_lines = len(physical)
    if physical:
        p.dak_physical = (sum(physical, Decimal(0)) / len(physical)).quantize(Decimal("0.1"))
    return p


def _sections(p: Profile) -> list[tuple[str, list[str], list[list[Any]]]]:
    t = p.dash.totals
    pct = p.dak_financial_pct
    return [
        (
            _("Ringkasan"),
            [_("Indikator"), _("Nilai")],
            [
                [_("Usaha IKM terdaftar"), t["businesses"]],
                [_("Usaha aktif"), t["active"]],
                [_("Tenaga kerja laki-laki"), t["workforce_male"]],
                [_("Tenaga kerja perempuan"), t["workforce_female"]],
                [_("Nilai investasi (Rp)"), t["investment_value"]],
                [_("Nilai produksi per tahun (Rp)"), t["production_value"]],
            ],
        ),
        (
            _("Menurut klasifikasi industri"),
            [_("Klasifikasi"), _("Usaha")],
            [[b.label, b.value] for b in p.dash.by_size],
        ),
        (
            _("Menurut golongan pokok KBLI"),
            [_("Golongan pokok"), _("Usaha")],
            [[b.label, b.value] for b in p.dash.by_division],
        ),
        (
            _("Sentra IKM"),
            [_("Status"), _("Jumlah")],
            [
                *([label, n] for label, n in p.centres),
                [_("Jumlah sentra"), p.centres_total],
                [_("Unit kerja"), p.units],
                [_("Unit tersewa"), p.units_rented],
            ],
        ),
        (
            _("Pelatihan tahun %(year)s") % {"year": p.year},
            [_("Indikator"), _("Jumlah")],
            [
                [_("Kelas"), p.batches],
                [_("Pendaftar"), p.participants],
                [_("Peserta diterima"), p.accepted],
                [_("Lulus"), p.passed],
            ],
        ),
        (
            _("DAK tahun %(year)s") % {"year": p.year},
            [_("Indikator"), _("Nilai")],
            [
                [_("Pagu (Rp)"), p.dak_pagu],
                [_("Realisasi pembayaran (Rp)"), p.dak_paid],
                [_("Penyerapan keuangan (%)"), pct if pct is not None else "–"],
                [_("Rata-rata realisasi fisik (%)"), p.dak_physical if p.dak_physical is not None else "–"],
                [_("Mata anggaran dengan laporan kemajuan"), p.dak_lines],
            ],
        ),
    ]


def _display(value: Any, header: str) -> str:
    if isinstance(value, Decimal) and "(Rp)" in header:
        return format_rupiah(value)
    if isinstance(value, int | Decimal):
        return format_number(value, 1 if isinstance(value, Decimal) and value != value.to_integral() else 0)
    return str(value)


def profile_pdf(p: Profile) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from sentra.core.safetext import pdf_text

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=p.title, author="Sentra", leftMargin=2 * cm, rightMargin=2 * cm)
    styles = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(pdf_text(p.title), styles["Title"]),
        Paragraph(
            pdf_text(
                _("Disusun dari data Sentra pada %(date)s.") % {"date": timezone.localdate().strftime("%d-%m-%Y")}
            ),
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    for heading, header, rows in _sections(p):
        story.append(Paragraph(pdf_text(heading), styles["Heading2"]))
        data = [header] + [[Paragraph(pdf_text(r[0]), styles["Normal"]), _display(r[1], str(r[0]))] for r in rows]
        table = Table(data, colWidths=[11 * cm, 6 * cm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story += [table, Spacer(1, 0.3 * cm)]
    doc.build(story)
    return buffer.getvalue()


def profile_xlsx(p: Profile) -> bytes:
    from sentra.core.safetext import xlsx_workbook

    buffer = io.BytesIO()
    book = xlsx_workbook(buffer, {"in_memory": True})  # region names and labels stay text, never formulas
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet(_("Profil")[:31])
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 22)
    sheet.write(0, 0, p.title, title)
    row = 2
    for heading, header, rows in _sections(p):
        sheet.write(row, 0, heading, bold)
        row += 1
        sheet.write_row(row, 0, header, bold)
        row += 1
        for label, value in rows:
            sheet.write(row, 0, str(label))
            if isinstance(value, Decimal):
                sheet.write_number(row, 1, float(value), money)
            elif isinstance(value, int):
                sheet.write_number(row, 1, value)
            else:
                sheet.write(row, 1, str(value))
            row += 1
        row += 1
    book.close()
    return buffer.getvalue()
