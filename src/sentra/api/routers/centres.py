"""Sentra IKM centres and their workshop units (read), through ``sentra.centres.selectors``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sentra.api.common import READ_ERRORS, scope
from sentra.api.listing import list_page
from sentra.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta
from sentra.centres import selectors
from sentra.centres.filters import CentreFilterSet
from sentra.centres.models import Centre
from sentra.core.views import require_model_perm

router = Router(tags=["Sentra IKM"])
ObjectId = Path(..., ge=1, le=2**63 - 1)


class CentreOut(Schema):
    id: int
    name: str
    sector: str
    commodity: str
    region: str
    village: str | None = None
    address: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    managing_body: str
    managing_body_name: str
    year_built: int | None = None
    inside_kpi: bool | None = Field(None, description="Di dalam Kawasan Peruntukan Industri")
    status: str
    status_since: dt.date | None = None
    report_period: str
    units_total: int = Field(description="Unit yang dapat disewa")
    units_occupied: int = Field(description="Unit yang disewa hari ini")
    members_count: int
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_region(obj: Centre) -> str:
        return obj.region_id

    @staticmethod
    def resolve_village(obj: Centre) -> str | None:
        return obj.village_id


class CentrePage(PageMeta):
    results: list[CentreOut]


class CentreFilters(Schema):
    q: str | None = Field(None, description="Nama atau komoditas", max_length=100)
    region: str | None = Field(None, description="Kode kabupaten/kota, misalnya 74.71", max_length=13)
    status: str | None = Field(None, max_length=16)
    sector: str | None = Field(None, max_length=12)
    ordering: Literal["name", "-name"] = "name"
    cursor: str | None = Field(None, max_length=500)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


ORDERINGS = {"name": ["name", "id"], "-name": ["-name", "-id"]}


@router.get("/centres", response={200: CentrePage, **READ_ERRORS}, openapi_extra=scope("centres.centre", "list"))
def centre_list(request: HttpRequest, filters: Query[CentreFilters]):
    """Sentra IKM dalam cakupan Anda, dengan keterisian unit hari ini."""
    require_model_perm(request.user, Centre, "view")
    return list_page(
        request, filters, selectors.centre_list(user=request.user), filterset=CentreFilterSet, ordering=ORDERINGS
    )


@router.get(
    "/centres/{int:centre_id}",
    response={200: CentreOut, **READ_ERRORS},
    openapi_extra=scope("centres.centre", "object"),
)
def centre_detail(request: HttpRequest, centre_id: int = ObjectId):
    centre = selectors.centre_list(user=request.user).filter(pk=centre_id).first()
    if centre is None:
        raise Http404
    return centre


class UnitOut(Schema):
    id: int
    code: str
    kind: str
    size_m2: Decimal | None = None
    condition: str
    note: str


class UnitPage(PageMeta):
    results: list[UnitOut]


class UnitFilters(Schema):
    cursor: str | None = Field(None, max_length=500)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/centres/{int:centre_id}/units",
    response={200: UnitPage, **READ_ERRORS},
    openapi_extra=scope("centres.centre", "object"),
)
def centre_units(request: HttpRequest, filters: Query[UnitFilters], centre_id: int = ObjectId):
    """Unit workshop dan bangunan pendukung satu sentra (dalam cakupan Anda), urut kode."""
    centre = selectors.centre_get(user=request.user, pk=centre_id)
    return list_page(request, filters, centre.units.all(), ordering=["code", "id"])
