"""The DAK quarterly report on the periodic-report mechanism (``sentra.periodic``, docs/periodic-reports.md).

One allocation reports each quarter of its fiscal year once its activity plan is approved (docs/domain.md §3c:
quarterly progress to the ministry). The regency/city officer starts the report; its figures are generated from
the budget lines (payments, progress reports and output as of the quarter's end, ``services.report_data``) and
regenerated on every save while it is a draft; the officer writes the problems and follow-up and submits it;
the province or ministry accepts it or returns it. The deadline is data: the fiscal year's ``report_due_days``
after the quarter ends. Completeness, timeliness, late reports and reminders come from periodic, as for the
centre and business reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.errors import DomainError
from sentra.periodic.periods import Period, PeriodType
from sentra.periodic.registry import ReportField, ReportForm, register_report_form, report_form

DAK_QUARTERLY = "dak-quarterly"

DAK_FIELDS = (
    ReportField("paid", gettext_lazy("Realisasi keuangan (Rp)"), "money", computed=True),
    ReportField("absorption_pct", gettext_lazy("Penyerapan dari dana diterima (%)"), "decimal", computed=True),
    ReportField("physical_pct", gettext_lazy("Realisasi fisik (%)"), "decimal", computed=True),
    ReportField("output_pct", gettext_lazy("Capaian keluaran (%)"), "decimal", computed=True),
    ReportField(
        "problems",
        gettext_lazy("Permasalahan dan tindak lanjut"),
        "text",
        prefill=False,
        multiline=True,
        help_text=gettext_lazy('Tulis "Tidak ada" bila tidak ada kendala.'),
    ),
)


def dak_form() -> ReportForm:
    form = report_form(DAK_QUARTERLY)
    if form is None:  # registered in BudgetConfig.ready()
        raise LookupError(DAK_QUARTERLY)
    return form


def quarter_period(year: int, quarter: int) -> Period:
    return Period(dt.date(year, 3 * quarter - 2, 1), PeriodType.QUARTERLY)


def year_periods(year: int) -> list[Period]:
    return [quarter_period(year, q) for q in (1, 2, 3, 4)]


def quarter_of(period: Period) -> int:
    return (period.start.month - 1) // 3 + 1


def _approved_allocation_ids() -> Any:
    from sentra.budget.choices import PlanStatus
    from sentra.budget.models import ActivityPlan

    return ActivityPlan.objects.filter(status=PlanStatus.APPROVED).values("allocation_id")


def expected_for(region_ids: list[str] | None, period: Period) -> Any:
    """The allocations of the period's fiscal year whose activity plan is approved."""
    from sentra.budget.models import Allocation

    qs = Allocation.objects.filter(
        fund__fiscal_year__year=period.start.year, pk__in=_approved_allocation_ids()
    ).select_related("region", "fund", "fund__fiscal_year")
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    return qs.order_by("region_id", "fund__kind", "id")


def due(period: Period) -> dt.date:
    """The quarter's end plus the fiscal year's ``report_due_days`` (10 when the year is not configured)."""
    from sentra.budget.models import FiscalYear

    days = FiscalYear.objects.filter(year=period.start.year).values_list("report_due_days", flat=True).first()
    return period.end + dt.timedelta(days=10 if days is None else days)


def check_start(allocation: Any, period: Period) -> None:
    from sentra.budget import figures as fig

    year = allocation.fund.fiscal_year.year
    if period.start.year != year:
        raise DomainError(
            _("Alokasi TA {year} hanya melaporkan triwulan tahun {year}.").format(year=year), code="other_year"
        )
    if fig.approved_plan(allocation) is None:
        raise DomainError(_("Laporan triwulan dibuat setelah rencana kegiatan disetujui."), code="no_plan")


def compute(allocation: Any, period: Period) -> dict[str, Any]:
    """The report's figures generated from the budget lines as of the quarter's end (or today, mid-quarter)."""
    from sentra.budget.services import report_data

    return report_data(allocation, min(period.end, timezone.localdate()))


def reporters(allocation: Any) -> list[Any]:
    """The regency/city officers of the allocation's region, who report."""
    from sentra.accounts.models import User
    from sentra.accounts.roles import Role

    return list(User.objects.filter(role=Role.REGENCY_OFFICER, region_id=allocation.region_id, is_active=True))


def register() -> None:
    register_report_form(
        ReportForm(
            code=DAK_QUARTERLY,
            title=gettext_lazy("Laporan triwulan DAK"),
            period_type=PeriodType.QUARTERLY,
            subject_model="budget.allocation",
            fields=DAK_FIELDS,
            reporter_scopes=(),  # officers report; no centre manager or owner sees these
            expected_for=expected_for,
            due=due,
            check_start=check_start,
            reporters=reporters,
            compute=compute,
            description=gettext_lazy(
                "Diisi petugas kabupaten/kota: realisasi keuangan, fisik dan keluaran per baris anggaran (dihitung "
                "dari data pada akhir triwulan), permasalahan dan tindak lanjut."
            ),
        )
    )


@dataclass(frozen=True)
class DakReport:
    """A DAK quarterly report (a periodic submission) with its allocation, as the DAK pages and files show it."""

    submission: Any
    allocation: Any

    @property
    def pk(self) -> int:
        return int(self.submission.pk)

    @property
    def region(self) -> Any:
        return self.submission.region

    @property
    def quarter(self) -> int:
        return quarter_of(self.submission.period_obj)

    @property
    def data(self) -> dict[str, Any]:
        return self.submission.data or {}

    @property
    def as_of(self) -> dt.date:
        value = self.data.get("as_of")
        return dt.date.fromisoformat(value) if value else self.submission.period_end

    @property
    def problems(self) -> str:
        return str(self.data.get("problems") or "")

    @property
    def submitted_at(self) -> Any:
        return self.submission.submitted_at if self.is_sent else None

    @property
    def due_on(self) -> dt.date:
        return self.submission.due_date

    @property
    def is_sent(self) -> bool:
        from sentra.periodic.selectors import DONE

        return self.submission.state in DONE

    @property
    def is_late(self) -> bool:
        sent = self.submitted_at
        return sent is not None and timezone.localdate(sent) > self.due_on

    @property
    def figure(self) -> Decimal:
        return Decimal(str(self.data.get("absorption_pct") or 0))
