"""Scope providers for every budget URL with arguments: the objects live in region A (Kota Kendari)."""

import datetime as dt
from decimal import Decimal

from sentra.budget.choices import PlanStatus
from sentra.budget.models import ProgressPhoto, ProgressReport, Transfer
from sentra.core.testing import scope_provider
from tests.budget.factories import make_allocation, make_contract, make_dak_report, make_line, make_plan
from tests.upload_samples import PNG as REAL_PNG

PNG = REAL_PNG  # a real image: uploads are opened and verified (core.uploads)


@scope_provider(
    "budget:allocation_detail",
    "budget:allocation_edit",
    "budget:allocation_history",
    "budget:plan_add",
    "budget:transfer_request",
    "budget:report_generate",
)
def allocation(world):
    return {"pk": make_allocation().pk}


@scope_provider(
    "budget:plan_detail",
    "budget:plan_edit",
    "budget:plan_submit",
    "budget:plan_verify",
    "budget:plan_approve",
    "budget:plan_return",
    "budget:plan_revise",
    "budget:plan_history",
    "budget:line_add",
)
def plan(world):
    return {"pk": make_plan().pk}


@scope_provider("budget:line_edit", "budget:line_delete", "budget:line_history")
def draft_line(world):
    return {"pk": make_line().pk}


@scope_provider("budget:line_detail", "budget:contract_add", "budget:progress_add")
def approved_line(world):
    return {"pk": make_line(plan=make_plan(status=PlanStatus.APPROVED)).pk}


@scope_provider("budget:contract_edit", "budget:payment_add")
def contract(world):
    return {"pk": make_contract().pk}


@scope_provider("budget:transfer_receive")
def transfer(world):
    allocation = make_allocation()
    t = Transfer.objects.create(
        allocation=allocation, region_id=allocation.region_id, amount=Decimal(1), requested_on=dt.date(2030, 6, 1)
    )
    return {"pk": t.pk}


@scope_provider("budget:photo")
def photo(world):
    from django.core.files.base import ContentFile

    line = make_line(plan=make_plan(status=PlanStatus.APPROVED))
    progress = ProgressReport.objects.create(
        line=line, region_id=line.region_id, reported_on=dt.date(2024, 5, 1), physical_pct=10, output_achieved=1
    )
    p = ProgressPhoto(
        progress=progress, region_id=line.region_id, taken_on=dt.date(2024, 5, 1), content_type="image/png"
    )
    p.image.save("bukti.png", ContentFile(PNG), save=False)
    p.size = len(PNG)
    p.save()
    return {"pk": p.pk}


@scope_provider("budget:report_detail", "budget:report_xlsx", "budget:report_pdf")
def report(world):
    allocation = make_allocation()
    make_line(plan=make_plan(allocation=allocation, status=PlanStatus.APPROVED))
    r = make_dak_report(allocation, 1, data={"rows": [], "pagu": "5000000000", "as_of": "2030-03-31"})
    return {"pk": r.pk}
