"""Read use-cases of the DAK budget; every one reads through ``visible_to`` (STYLE D)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from sentra.budget.choices import PlanStatus, ReportStatus, TransferStatus
from sentra.budget.models import (
    ActivityPlan,
    Allocation,
    BudgetLine,
    Contract,
    FiscalYear,
    Fund,
    Payment,
    PlanStep,
    ProgressPhoto,
    ProgressReport,
    QuarterlyReport,
    Transfer,
)
from sentra.core.querysets import scoped_get_or_404

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal(0), output_field=MONEY)


def _sum(qs: QuerySet, field: str) -> Coalesce:
    summed = qs.order_by().values("region").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(summed[:1], output_field=MONEY), ZERO)


def fiscal_years() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.all()


def current_year() -> int:
    """This year if it is set up; otherwise the latest year (not in the future) that has allocations."""
    today = timezone.localdate().year
    if Allocation.objects.filter(fund__fiscal_year__year=today).exists():
        return today
    latest = (
        Allocation.objects.filter(fund__fiscal_year__year__lte=today)
        .order_by("-fund__fiscal_year__year")
        .values_list("fund__fiscal_year__year", flat=True)
        .first()
    )
    if latest:
        return latest
    years = list(FiscalYear.objects.values_list("year", flat=True))
    return today if today in years or not years else max(years)


def allocation_years(user: Any) -> list[int]:
    """The fiscal years with allocations in the user's scope (a year source of ``core.years``)."""
    qs = Allocation.objects.visible_to(user).order_by().values_list("fund__fiscal_year__year", flat=True)
    return list(qs.distinct())


def funds_of_year(year: int) -> QuerySet[Fund]:
    return Fund.objects.filter(fiscal_year__year=year).select_related("fiscal_year").order_by("kind")


def allocation_list(*, user: Any) -> QuerySet[Allocation]:
    """Allocations with their absorption figures as annotations (sortable in the database)."""
    received = Transfer.objects.filter(allocation=OuterRef("pk"), status=TransferStatus.RECEIVED)
    paid = Payment.objects.filter(
        contract__line__plan__allocation=OuterRef("pk"), contract__line__plan__status=PlanStatus.APPROVED
    )
    planned = BudgetLine.objects.filter(plan__allocation=OuterRef("pk"), plan__status=PlanStatus.APPROVED)
    qs = (
        Allocation.objects.visible_to(user)
        .select_related("region", "region__parent", "fund", "fund__fiscal_year")
        .annotate(
            received_total=_sum(received, "amount"),
            paid_total=_sum(paid, "amount"),
            planned_total=_sum(planned, "total"),
        )
    )
    # ``absorption`` only orders the list (a float: SQLite divides two whole-rupiah sums as integers, 32.9 → 32);
    # the percentage shown is ``Allocation.absorption_pct``, the allocation page's own computation (figures.pct).
    return qs.annotate(
        absorption=Case(
            When(
                received_total__gt=0,
                then=ExpressionWrapper(
                    Cast(F("paid_total"), FloatField()) * 100.0 / Cast(F("received_total"), FloatField()),
                    FloatField(),
                ),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        region_name=F("region__name"),
    )


def allocation_get(*, user: Any, pk: Any, action: str = "view") -> Allocation:
    qs = Allocation.objects.select_related("region", "region__parent", "fund", "fund__fiscal_year")
    return scoped_get_or_404(qs, user, pk, action)


def plans_of(allocation: Allocation) -> list[ActivityPlan]:
    return list(ActivityPlan.objects.filter(allocation=allocation).with_total().order_by("-revision"))


def plan_get(*, user: Any, pk: Any, action: str = "view") -> ActivityPlan:
    qs = ActivityPlan.objects.select_related(
        "region", "allocation", "allocation__fund", "allocation__fund__fiscal_year", "previous"
    ).prefetch_related(Prefetch("steps", queryset=PlanStep.objects.order_by("at", "id")))
    return scoped_get_or_404(qs, user, pk, action)


def plan_lines(plan: ActivityPlan) -> QuerySet[BudgetLine]:
    return (
        BudgetLine.objects.filter(plan=plan)
        .select_related("sub_menu", "sub_menu__menu", "district", "centre")
        .order_by("order", "id")
    )


def plan_versions(plan: ActivityPlan) -> QuerySet[ActivityPlan]:
    return ActivityPlan.objects.filter(allocation_id=plan.allocation_id).with_total().order_by("-revision")


def line_get(*, user: Any, pk: Any, action: str = "view") -> BudgetLine:
    qs = BudgetLine.objects.select_related(
        "plan",
        "plan__allocation",
        "plan__allocation__fund",
        "sub_menu",
        "sub_menu__menu",
        "region",
        "district",
        "centre",
    )
    return scoped_get_or_404(qs, user, pk, action)


def centre_lines(*, user: Any, centre_id: int) -> list[Any]:
    """The DAK lines that fund one centre, from approved plans only (a draft or a superseded revision funds
    nothing), oldest year first, each with its figures (``figures.LineFigures``: paid, physical progress and
    the date of the report behind it). The centre's funding history and lifecycle read this, never typed copies."""
    from sentra.budget.figures import line_figures

    lines = (
        BudgetLine.objects.visible_to(user)
        .filter(centre_id=centre_id, plan__status=PlanStatus.APPROVED)
        .select_related("plan__allocation__fund__fiscal_year", "sub_menu__menu")
        .order_by("plan__allocation__fund__fiscal_year__year", "order", "id")
    )
    return line_figures(lines)


def line_contracts(line: BudgetLine) -> list[Contract]:
    paid = Payment.objects.filter(contract=OuterRef("pk")).order_by().values("contract").annotate(s=Sum("amount"))
    return list(
        Contract.objects.filter(line=line)
        .annotate(paid=Coalesce(Subquery(paid.values("s")[:1], output_field=MONEY), ZERO))
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "id")))
        .order_by("signed_on", "id")
    )


def line_progress(line: BudgetLine) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(line=line)
        .prefetch_related(Prefetch("photos", queryset=ProgressPhoto.objects.order_by("taken_on", "id")))
        .order_by("-reported_on", "-id")
    )


def contract_get(*, user: Any, pk: Any, action: str = "view") -> Contract:
    qs = Contract.objects.select_related("line", "line__plan", "region")
    return scoped_get_or_404(qs, user, pk, action)


def transfer_get(*, user: Any, pk: Any, action: str = "view") -> Transfer:
    return scoped_get_or_404(Transfer.objects.select_related("allocation", "stage"), user, pk, action)


def transfers_of(allocation: Allocation) -> list[Transfer]:
    return list(Transfer.objects.filter(allocation=allocation).select_related("stage").order_by("requested_on", "id"))


def photo_get(*, user: Any, pk: Any) -> ProgressPhoto:
    return scoped_get_or_404(ProgressPhoto.objects.all(), user, pk)


def report_get(*, user: Any, pk: Any, action: str = "view") -> QuarterlyReport:
    qs = QuarterlyReport.objects.select_related(
        "allocation", "allocation__fund", "allocation__fund__fiscal_year", "region", "region__parent", "submitted_by"
    )
    return scoped_get_or_404(qs, user, pk, action)


def reports_of(allocation: Allocation) -> dict[int, QuarterlyReport]:
    return {r.quarter: r for r in QuarterlyReport.objects.filter(allocation=allocation)}


def report_list(*, user: Any) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.visible_to(user).select_related(
        "region", "allocation__fund", "allocation__fund__fiscal_year"
    )


def report_flags(
    allocation: Allocation, reports: dict[int, QuarterlyReport], today: dt.date | None = None
) -> list[dict]:
    """One entry per quarter: the report (if any) and whether it is late, missing or not yet due."""
    from sentra.budget.services import quarter_due

    today = today or timezone.localdate()
    out = []
    for quarter in (1, 2, 3, 4):
        report = reports.get(quarter)
        due = report.due_on if report else quarter_due(allocation, quarter)
        if report is not None and report.status == ReportStatus.SUBMITTED:
            state = "late" if report.is_late else "on_time"
        elif today > due:
            state = "missing"
        else:
            state = "open"
        out.append({"quarter": quarter, "report": report, "due": due, "state": state})
    return out


@dataclass(frozen=True)
class DueQuarter:
    """One quarterly report that was due (its deadline has passed) for an allocation with an approved plan."""

    allocation: Allocation
    quarter: int
    due: dt.date
    #: The day the report was sent (local date), None while unsent.
    submitted_on: dt.date | None

    @property
    def late(self) -> bool:
        """Not sent by its deadline: sent after it, or still unsent."""
        return self.submitted_on is None or self.submitted_on > self.due

    @property
    def state(self) -> str:
        if self.submitted_on is None:
            return "missing"
        return "late" if self.late else "on_time"


def due_quarters(allocations: QuerySet[Allocation], today: dt.date | None = None) -> list[DueQuarter]:
    """The one computation of quarterly-report timeliness: every quarter whose deadline has passed, of the given
    allocations that have an approved plan, with the day its report was sent. The DAK pages and the dashboard's
    figures both count from this, so they cannot disagree. Two queries, whatever the number of allocations."""
    from sentra.budget.services import quarter_due

    today = today or timezone.localdate()
    allocations = allocations.filter(plans__status=PlanStatus.APPROVED).select_related(
        "region", "fund", "fund__fiscal_year"
    )
    listed = list(allocations.distinct().order_by("fund__fiscal_year__year", "region_id", "fund_id", "id"))
    reports = {
        (r.allocation_id, r.quarter): r
        for r in QuarterlyReport.objects.filter(allocation__in=[a.pk for a in listed]).only(
            "allocation_id", "quarter", "due_on", "status", "submitted_at"
        )
    }
    out = []
    for allocation in listed:
        for quarter in (1, 2, 3, 4):
            report = reports.get((allocation.pk, quarter))
            due = report.due_on if report is not None else quarter_due(allocation, quarter)
            if today <= due:
                continue
            sent_at = report.submitted_at if report is not None else None
            out.append(DueQuarter(allocation, quarter, due, timezone.localdate(sent_at) if sent_at else None))
    return out


def late_reports(*, user: Any, year: int, today: dt.date | None = None) -> list[DueQuarter]:
    """The visible allocations' quarterly reports of ``year`` not sent by their deadline (sent late or unsent)."""
    allocations = Allocation.objects.visible_to(user).filter(fund__fiscal_year__year=year)
    return [quarter for quarter in due_quarters(allocations, today) if quarter.late]
