"""The budget demo step: Rp540 billion over 109 regions, Kendari's plan, three stages, four reports."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from sentra.budget.choices import PlanStatus, TransferStatus
from sentra.budget.models import ActivityPlan, Allocation, Fund, Transfer
from sentra.demo.budget import load_budget
from sentra.demo.context import DemoContext
from sentra.demo.users import load_users
from sentra.periodic.models import Submission


@pytest.mark.django_db
def test_demo_budget():
    ctx = DemoContext(rng=random.Random(20220719), log=lambda _m: None)
    load_users(ctx)
    load_budget(ctx)
    fund = Fund.objects.get(fiscal_year__year=2022, kind="fisik")
    assert fund.allocations.count() == 109
    assert fund.allocations.aggregate(s=Sum("amount"))["s"] == Decimal(540_000_000_000) == fund.ceiling
    assert "2019" in fund.ceiling_source  # labelled honestly (docs/domain.md §0)
    kendari = fund.allocations.get(region_id="74.71")
    plan = ActivityPlan.objects.get(allocation=kendari)
    assert plan.status == PlanStatus.APPROVED
    descriptions = " ".join(plan.lines.values_list("description", flat=True))
    assert "Meubeler" in descriptions and "Pengolahan Pangan" in descriptions
    assert Transfer.objects.filter(allocation=kendari, status=TransferStatus.RECEIVED).count() == 3
    # The quarterly reports are periodic submissions of the DAK form, generated from the lines.
    from sentra.budget.reports import DAK_QUARTERLY

    reports = Submission.objects.filter(form_code=DAK_QUARTERLY, subject_id=kendari.pk).order_by("period")
    assert [r.period for r in reports] == ["2022Q1", "2022Q2", "2022Q3", "2022Q4"]
    assert [r.state for r in reports] == ["submitted"] * 4
    assert [r.on_time for r in reports] == [True, True, False, True]
    assert all(r.data["rows"] and r.data["problems"] for r in reports)
    training = Allocation.objects.get(fund__kind="nonfisik", region_id="74.71")
    line = training.plans.get().lines.get(sub_menu__menu__code="B")
    assert "Juli 2022" in line.description
    assert Transfer.objects.get(allocation=training).stage is None  # pagu ≤ Rp1 M: single transfer
    assert Allocation.objects.filter(fund__fiscal_year__year=2023, region_id="74.71", plans__isnull=True).exists()
