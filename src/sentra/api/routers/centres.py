"""Sentra IKM centres and their workshop units (read), through ``sentra.centres.selectors``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sentra.api.common import scoped_get
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
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
    region: str = Field(alias="region_id")
    village: str | None = Field(None, alias="village_id")
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


class CentrePage(PageMeta):
    results: list[CentreOut]


class CentreFilters(PageQuery):
    q: str | None = Field(None, description="Nama atau komoditas", max_length=100)
    region: str | None = Field(None, description="Kode kabupaten/kota, misalnya 74.71", max_length=13)
    status: str | None = Field(None, max_length=16)
    sector: str | None = Field(None, max_length=12)
    ordering: Literal["name", "-name"] = "name"


ORDERINGS = {"name": ["name", "id"], "-name": ["-name", "-id"]}


@scoped_get(router, "/centres", CentrePage, "centres.centre", "list")
def centre_list(request: HttpRequest, filters: Query[CentreFilters]):
    """Sentra IKM dalam cakupan Anda, dengan keterisian unit hari ini."""
    require_model_perm(request.user, Centre, "view")
    return list_page(
        request, filters, selectors.centre_list(user=request.user), filterset=CentreFilterSet, ordering=ORDERINGS
    )


@scoped_get(router, "/centres/{int:centre_id}", CentreOut, "centres.centre")
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


@scoped_get(router, "/centres/{int:centre_id}/units", UnitPage, "centres.centre")
def centre_units(request: HttpRequest, filters: Query[PageQuery], centre_id: int = ObjectId):
    """Unit workshop dan bangunan pendukung satu sentra (dalam cakupan Anda), urut kode."""
    centre = selectors.centre_get(user=request.user, pk=centre_id)
    return list_page(request, filters, centre.units.all(), ordering=["code", "id"])
