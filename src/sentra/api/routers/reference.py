"""Reference data: Kemendagri regions and KBLI (read only, the same for every user; docs/domain.md §7)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from sentra.api.common import scoped_get
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
from sentra.regions.models import Kbli, Region

router = Router(tags=["Referensi"])

REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
KBLI_CODE = re.compile(r"^([A-Z]|\d{2,5})$")


class RegionOut(Schema):
    code: str = Field(examples=["74.71"])
    name: str
    level: int = Field(description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan")
    kind: str
    parent: str | None = Field(None, alias="parent_id")
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class RegionPage(PageMeta):
    results: list[RegionOut]


class RegionFilters(PageQuery):
    level: int | None = Field(None, ge=1, le=4, description="1 provinsi … 4 desa/kelurahan")
    parent: str | None = Field(None, description="Kode wilayah induk, misalnya 74.71", max_length=13)
    q: str | None = Field(None, description="Bagian dari nama", max_length=100)


REGION_FILTERS = {
    "level": "level",
    "parent": lambda qs, code: qs.filter(parent_id=code.replace("\x00", "")),
    "q": lambda qs, q: qs.filter(name__icontains=q.replace("\x00", "")),
}


@scoped_get(router, "/regions", RegionPage, "regions.region", "reference")
def region_list(request: HttpRequest, filters: Query[RegionFilters]):
    """Wilayah Kemendagri (provinsi → desa/kelurahan), urut kode."""
    return list_page(request, filters, Region.objects.all(), where=REGION_FILTERS, ordering=["code"])


@scoped_get(router, "/regions/{code}", RegionOut, "regions.region", "reference")
def region_detail(request: HttpRequest, code: str):
    if not REGION_CODE.match(code):
        raise Http404
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise Http404 from None


class KbliOut(Schema):
    version: str
    code: str = Field(examples=["31001"])
    level: int = Field(description="1 kategori, 2 golongan pokok, 3 golongan, 4 subgolongan, 5 kelompok")
    title: str
    category: str
    parent: str | None = None
    is_manufacturing: bool

    @staticmethod
    def resolve_parent(obj: Kbli) -> str | None:
        return obj.parent.code if obj.parent_id else None


class KbliDetailOut(KbliOut):
    description: str


class KbliPage(PageMeta):
    results: list[KbliOut]


class KbliFilters(PageQuery):
    version: Literal["2020"] = "2020"
    level: int | None = Field(None, ge=1, le=5, description="1 kategori … 5 kelompok")
    q: str | None = Field(None, description="Awal kode (31, 310, 31001) atau bagian dari judul", max_length=100)
    manufacturing: bool | None = Field(None, description="Hanya Kategori C (golongan pokok 10–33)")


def _kbli_search(qs: QuerySet[Kbli], q: str) -> QuerySet[Kbli]:
    """A code or its start (``31``, ``310``, ``31.0``), or a part of the title."""
    text = q.replace("\x00", "").strip()
    if not text:
        return qs
    code = text.replace(".", "")
    return qs.filter(code__startswith=code) if code.isdigit() else qs.filter(Q(title__icontains=text) | Q(code=text))


KBLI_FILTERS = {"version": "version", "level": "level", "manufacturing": "is_manufacturing", "q": _kbli_search}


@scoped_get(router, "/kbli", KbliPage, "regions.kbli", "reference")
def kbli_list(request: HttpRequest, filters: Query[KbliFilters]):
    """KBLI 2020 (Peraturan BPS 2/2020); usaha memakai kelompok 5 angka."""
    return list_page(
        request, filters, Kbli.objects.select_related("parent"), where=KBLI_FILTERS, ordering=["code", "id"]
    )


@scoped_get(router, "/kbli/{code}", KbliDetailOut, "regions.kbli", "reference")
def kbli_detail(request: HttpRequest, code: str, version: Literal["2020"] = "2020"):
    if not KBLI_CODE.match(code):
        raise Http404
    kbli = Kbli.objects.select_related("parent").filter(version=version, code=code).first()
    if kbli is None:
        raise Http404
    return kbli
