"""DAK budget: allocations, budget lines and their realisation — read only.

Reads go through ``sentra.budget.selectors`` (``visible_to``) with the same absorption figures as the pages.
Every budget write is a step of a workflow (plan draft → submitted → verified → approved, contracts and
payments only on approved lines, ceilings checked in ``sentra.budget.services``); the API does not offer them
yet rather than offer a shortcut around them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sentra.api.common import Money, scoped_get
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
from sentra.budget import selectors
from sentra.budget.choices import PlanStatus
from sentra.budget.models import Allocation, BudgetLine, Contract, ProgressReport
from sentra.core.views import require_model_perm

router = Router(tags=["Anggaran DAK"])
ObjectId = Path(..., ge=1, le=2**63 - 1)

PlanStatusCode = Literal[tuple(PlanStatus.values)]  # type: ignore[valid-type]


# --- Allocations ------------------------------------------------------------------------------------------


class FundOut(Schema):
    id: int
    kind: str
    name: str
    year: int = Field(alias="fiscal_year.year")


class AllocationOut(Schema):
    id: int
    fund: FundOut
    region: str = Field(alias="region_id")
    region_name: str
    amount: Money = Field(description="Pagu (Rp)")
    source: str
    note: str
    planned_total: Money = Field(description="Jumlah baris rencana kegiatan yang disetujui (Rp)")
    received_total: Money = Field(description="Dana yang sudah diterima (penyaluran, Rp)")
    paid_total: Money = Field(description="Realisasi pembayaran pada rencana yang disetujui (Rp)")
    absorption: Money = Field(description="Penyerapan (%): pembayaran ÷ dana diterima × 100")
    version: int
    updated_at: dt.datetime


class AllocationPage(PageMeta):
    results: list[AllocationOut]


class AllocationFilters(PageQuery):
    year: int | None = Field(None, ge=1900, le=2100, description="Tahun anggaran")
    fund_kind: str | None = Field(None, max_length=10, description="Jenis dana (fisik, nonfisik)")
    province: str | None = Field(None, max_length=13, description="Kode provinsi, misalnya 74")
    region: str | None = Field(None, max_length=13, description="Kode kabupaten/kota, misalnya 74.71")
    ordering: Literal["region", "-amount", "amount", "-absorption", "absorption"] = "region"


ALLOCATION_ORDERINGS = {
    "region": ["region_name", "id"],
    "-amount": ["-amount", "-id"],
    "amount": ["amount", "id"],
    "-absorption": ["-absorption", "-id"],
    "absorption": ["absorption", "id"],
}


@scoped_get(router, "/allocations", AllocationPage, "budget.allocation", "list")
def allocation_list(request: HttpRequest, filters: Query[AllocationFilters]):
    """Pagu DAK per kabupaten/kota dalam cakupan Anda, dengan penyerapannya (seperti halaman Alokasi)."""
    from sentra.budget.views import AllocationFilterSet

    require_model_perm(request.user, Allocation, "view")
    qs = selectors.allocation_list(user=request.user).select_related(None).select_related("fund__fiscal_year")
    where = {"region": lambda qs, code: qs.filter(region_id=code.replace("\x00", ""))}
    return list_page(request, filters, qs, filterset=AllocationFilterSet, where=where, ordering=ALLOCATION_ORDERINGS)


@scoped_get(router, "/allocations/{int:allocation_id}", AllocationOut, "budget.allocation")
def allocation_detail(request: HttpRequest, allocation_id: int = ObjectId):
    allocation = selectors.allocation_list(user=request.user).filter(pk=allocation_id).first()
    if allocation is None:
        raise Http404
    return allocation


# --- Budget lines -----------------------------------------------------------------------------------------


class BudgetLineOut(Schema):
    id: int
    allocation: int = Field(alias="plan.allocation_id")
    plan: int = Field(alias="plan_id")
    plan_status: str = Field(alias="plan.status")
    plan_revision: int = Field(alias="plan.revision")
    region: str = Field(alias="region_id")
    sub_menu: str = Field(description="Menu dan sub-menu DAK, misalnya A.1")
    description: str
    output_name: str
    unit: str
    volume: Decimal
    unit_cost: Money
    total: Money
    location: str
    district: str | None = Field(None, alias="district_id")
    centre: int | None = Field(None, description="Sentra IKM yang didanai baris ini", alias="centre_id")
    centre_name: str = Field("", description="Nama sentra IKM (kosong bila tidak untuk satu sentra)")
    for_target_centre: bool
    contracted: Money = Field(description="Nilai kontrak (Rp)")
    paid: Money = Field(description="Realisasi pembayaran (Rp)")
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_sub_menu(obj: BudgetLine) -> str:
        return f"{obj.sub_menu.menu.code}.{obj.sub_menu.code}"

    @staticmethod
    def resolve_centre_name(obj: BudgetLine) -> str:
        return obj.centre.name if obj.centre_id else ""


class BudgetLinePage(PageMeta):
    results: list[BudgetLineOut]


class BudgetLineFilters(PageQuery):
    allocation: int | None = Field(None, ge=1, le=2**63 - 1)
    plan: int | None = Field(None, ge=1, le=2**63 - 1)
    plan_status: PlanStatusCode | None = Field(None, description="Status rencana kegiatan")  # type: ignore[valid-type]
    year: int | None = Field(None, ge=1900, le=2100, description="Tahun anggaran")


LINE_FILTERS = {
    "allocation": "plan__allocation_id",
    "plan": "plan_id",
    "plan_status": "plan__status",
    "year": "plan__allocation__fund__fiscal_year__year",
}


def _lines(user: Any):  # type: ignore[no-untyped-def]
    return BudgetLine.objects.visible_to(user).with_realisation().select_related("plan", "sub_menu__menu", "centre")


@scoped_get(router, "/budget-lines", BudgetLinePage, "budget.budgetline", "list")
def budget_line_list(request: HttpRequest, filters: Query[BudgetLineFilters]):
    """Baris rencana kegiatan DAK dalam cakupan Anda, dengan nilai kontrak dan realisasi pembayarannya."""
    require_model_perm(request.user, BudgetLine, "view")
    return list_page(request, filters, _lines(request.user), where=LINE_FILTERS, ordering=["id"])


@scoped_get(router, "/budget-lines/{int:line_id}", BudgetLineOut, "budget.budgetline")
def budget_line_detail(request: HttpRequest, line_id: int = ObjectId):
    line = _lines(request.user).filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


class PaymentOut(Schema):
    id: int
    paid_on: dt.date
    amount: Money
    reference: str
    note: str


class ContractOut(Schema):
    id: int
    vendor: str
    number: str
    signed_on: dt.date
    value: Money
    starts_on: dt.date
    ends_on: dt.date
    paid: Money
    payments: list[PaymentOut]

    @staticmethod
    def resolve_payments(obj: Contract) -> list[Any]:
        return list(obj.payments.all())


class ProgressOut(Schema):
    id: int
    reported_on: dt.date
    physical_pct: Decimal = Field(description="Realisasi fisik (%)")
    output_achieved: Decimal | None = None
    note: str


class RealisationOut(Schema):
    line: int
    total: Money
    contracted: Money
    paid: Money
    contracts: list[ContractOut]
    progress: list[ProgressOut]


@scoped_get(router, "/budget-lines/{int:line_id}/realisation", RealisationOut, "budget.budgetline")
def budget_line_realisation(request: HttpRequest, line_id: int = ObjectId):
    """Realisasi satu baris: kontrak dengan pembayarannya (keuangan) dan laporan kemajuan (fisik)."""
    line = _lines(request.user).filter(pk=line_id).first()
    if line is None:
        raise Http404
    contracts = selectors.line_contracts(line)
    progress = list(ProgressReport.objects.filter(line=line).order_by("-reported_on", "-id"))
    return {
        "line": line.pk,
        "total": line.total,
        "contracted": line.contracted,  # type: ignore[attr-defined]
        "paid": line.paid,  # type: ignore[attr-defined]
        "contracts": contracts,
        "progress": progress,
    }
