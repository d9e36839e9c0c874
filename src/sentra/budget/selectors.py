"""Read use-cases of the DAK budget; every one reads through ``visible_to`` (STYLE D)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
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

from sentra.budget.choices import PlanStatus, TransferStatus
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
    Transfer,
)
from sentra.core.querysets import scoped_get_or_404

if TYPE_CHECKING:
    from sentra.budget.reports import DakReport

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


def report_get(*, user: Any, pk: Any, action: str = "view") -> DakReport:
    """A DAK quarterly report (a periodic submission of the DAK form) with its allocation, both in scope."""
    from sentra.budget.reports import DAK_QUARTERLY, DakReport
    from sentra.periodic.models import Submission

    qs = Submission.objects.filter(form_code=DAK_QUARTERLY).select_related(
        "region", "region__parent", "submitted_by", "reviewed_by"
    )
    submission = scoped_get_or_404(qs, user, pk, action)
    allocation = scoped_get_or_404(
        Allocation.objects.select_related("region", "fund", "fund__fiscal_year"), user, submission.subject_id
    )
    return DakReport(submission, allocation)


def reports_of(allocation: Allocation) -> dict[int, Any]:
    """The allocation's DAK quarterly reports (periodic submissions) by quarter."""
    from sentra.budget.reports import DAK_QUARTERLY, quarter_of
    from sentra.periodic.models import Submission

    submissions = Submission.objects.filter(
        form_code=DAK_QUARTERLY,
        subject_type=ContentType.objects.get_for_model(Allocation),
        subject_id=allocation.pk,
        period_start__year=allocation.fund.fiscal_year.year,
    )
    return {quarter_of(s.period_obj): s for s in submissions}


def report_list(*, user: Any) -> QuerySet:
    from sentra.budget.reports import DAK_QUARTERLY
    from sentra.periodic.models import Submission

    return Submission.objects.visible_to(user).filter(form_code=DAK_QUARTERLY).select_related("region")


def report_flags(allocation: Allocation, reports: dict[int, Any], today: dt.date | None = None) -> list[dict]:
    """One entry per quarter: the report (if any) and whether it is late, missing or not yet due (the rules of
    ``periodic.selectors``: sent = submitted or accepted, on time = sent by the due date)."""
    from sentra.budget.reports import dak_form, quarter_period
    from sentra.periodic.selectors import DONE

    today = today or timezone.localdate()
    form = dak_form()
    out = []
    for quarter in (1, 2, 3, 4):
        report = reports.get(quarter)
        due = report.due_date if report else form.due_date(quarter_period(allocation.fund.fiscal_year.year, quarter))
        if report is not None and report.state in DONE:
            late = report.submitted_at is not None and timezone.localdate(report.submitted_at) > due
            state = "late" if late else "on_time"
        elif today > due:
            state = "missing"
        else:
            state = "open"
        out.append({"quarter": quarter, "report": report, "due": due, "state": state})
    return out


def late_reports(*, user: Any, year: int, today: dt.date | None = None) -> list[Any]:
    """The visible allocations' quarterly reports of ``year`` not sent by their deadline (sent late or unsent):
    periodic's ``due_reports`` for the DAK form, the list behind the late count of the periodic page and the
    dashboard."""
    from sentra.budget.reports import dak_form, year_periods
    from sentra.periodic.selectors import due_reports, scope_region_ids

    if not (user.is_superuser or user.has_perm("budget.view_allocation")):
        return []
    reports = due_reports(form=dak_form(), region_ids=scope_region_ids(user), periods=year_periods(year), today=today)
    return [r for r in reports if r.late]
