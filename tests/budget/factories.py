"""Budget test data. Funds get their own fiscal year (2030+) so tests never depend on the seeded years."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sentra.budget import seed
from sentra.budget.choices import PlanStatus
from sentra.budget.models import (
    ActivityPlan,
    Allocation,
    BudgetLine,
    Contract,
    DisbursementStage,
    FiscalYear,
    Fund,
    Menu,
    SubMenu,
)

# Round and round 2030–2099: every year stays one the forms and the API accept (1900–2100) however many funds a
# test process makes (a plain count passed 2100 after ~70 funds, and which tests share a process depends on xdist).
# Each test's rows are rolled back, and no test makes 70 funds.
_years = itertools.cycle(range(2030, 2100))
REGION_A = "74.71"
REGION_B = "74.72"


def make_fund(
    *, ceiling: Decimal = Decimal("10000000000"), kind: str = "fisik", year: int | None = None, **extra: Any
) -> Fund:
    """A fund with one menu, two sub-menus and the PMK 198/2021 stages of docs/domain.md §3c."""
    year = year or next(_years)
    fy, _ = FiscalYear.objects.get_or_create(year=year)
    defaults = {
        "single_transfer_limit": Decimal(1_000_000_000),
        "single_transfer_inclusive": True,
        "target_centre_min_pct": Decimal(70) if kind == "nonfisik" else None,
    }
    fund = Fund.objects.create(
        fiscal_year=fy, kind=kind, name=f"Dana {kind} {year}", ceiling=ceiling, **(defaults | extra)
    )
    menu = Menu.objects.create(fund=fund, code="A", name="Menu A")
    SubMenu.objects.create(menu=menu, code="1", name="Rumah produksi", output_name="Rumah produksi", output_unit="m²")
    SubMenu.objects.create(menu=menu, code="2", name="Mesin", output_name="Mesin", output_unit="unit", order=1)
    for stage in seed.stages(year):
        DisbursementStage.objects.create(fund=fund, **stage)
    return fund


def sub_menu(fund: Fund, code: str = "1") -> SubMenu:
    return SubMenu.objects.get(menu__fund=fund, code=code)


def make_allocation(
    *, region: str = REGION_A, amount: Decimal = Decimal("5000000000"), fund: Fund | None = None
) -> Allocation:
    fund = fund or make_fund()
    return Allocation.objects.create(fund=fund, region_id=region, amount=amount)


def make_plan(
    *, allocation: Allocation | None = None, status: str = PlanStatus.DRAFT, region: str = REGION_A, revision: int = 0
) -> ActivityPlan:
    allocation = allocation or make_allocation(region=region)
    return ActivityPlan.objects.create(
        allocation=allocation, region_id=allocation.region_id, title="Rencana uji", status=status, revision=revision
    )


def make_line(
    *,
    plan: ActivityPlan | None = None,
    volume: Decimal = Decimal(10),
    unit_cost: Decimal = Decimal(100_000_000),
    **extra: Any,
) -> BudgetLine:
    plan = plan or make_plan()
    line = BudgetLine(
        plan=plan,
        region_id=plan.region_id,
        sub_menu=extra.pop("sub_menu", None) or sub_menu(plan.allocation.fund),
        description=extra.pop("description", "Rumah produksi sentra"),
        output_name="Rumah produksi",
        unit="m²",
        volume=volume,
        unit_cost=unit_cost,
        **extra,
    )
    line.total = line.compute_total()
    line.save()
    return line


def make_contract(
    *, line: BudgetLine | None = None, value: Decimal = Decimal(500_000_000), number: str | None = None
) -> Contract:
    line = line or make_line(plan=make_plan(status=PlanStatus.APPROVED))
    return Contract.objects.create(
        line=line,
        region_id=line.region_id,
        vendor="CV Uji",
        number=number or f"K-{Contract.objects.count() + 1}",
        signed_on=dt.date(2024, 3, 1),
        value=value,
        starts_on=dt.date(2024, 3, 2),
        ends_on=dt.date(2024, 9, 30),
    )


def make_dak_report(
    allocation: Allocation,
    quarter: int,
    *,
    state: str = "draft",
    submitted_at: Any = None,
    due: dt.date | None = None,
    data: dict[str, Any] | None = None,
) -> Any:
    """A DAK quarterly report as stored: a periodic submission of the DAK form (no figures generated)."""
    from django.contrib.contenttypes.models import ContentType

    from sentra.budget.reports import DAK_QUARTERLY, dak_form, quarter_period
    from sentra.periodic.models import Submission

    period = quarter_period(allocation.fund.fiscal_year.year, quarter)
    return Submission.objects.create(
        region_id=allocation.region_id,
        form_code=DAK_QUARTERLY,
        period_type=period.period_type,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=due or dak_form().due_date(period),
        subject_type=ContentType.objects.get_for_model(Allocation),
        subject_id=allocation.pk,
        subject_label=str(allocation),
        state=state,
        submitted_at=submitted_at,
        data=data if data is not None else {"rows": [], "pagu": str(allocation.amount)},
    )
