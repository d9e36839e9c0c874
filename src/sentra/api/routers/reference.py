"""Reference data: Kemendagri regions and KBLI (read only, the same for every user; DOMAIN.md §7)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from sentra.api.common import READ_ERRORS, page_or_422, scope
from sentra.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta
from sentra.regions.models import Kbli, Region

router = Router(tags=["Referensi"])

REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
KBLI_CODE = re.compile(r"^([A-Z]|\d{2,5})$")


class RegionOut(Schema):
    code: str = Field(examples=["74.71"])
    name: str
    level: int = Field(description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan")
    kind: str
    parent: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


class RegionPage(PageMeta):
    results: list[RegionOut]


class RegionFilters(Schema):
    level: int | None = Field(None, ge=1, le=4, description="1 provinsi … 4 desa/kelurahan")
    parent: str | None = Field(None, description="Kode wilayah induk, misalnya 74.71", max_length=13)
    q: str | None = Field(None, description="Bagian dari nama", max_length=100)
    cursor: str | None = Field(None, max_length=500)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get("/regions", response={200: RegionPage, **READ_ERRORS}, openapi_extra=scope("regions.region", "reference"))
def region_list(request: HttpRequest, filters: Query[RegionFilters]):
    """Wilayah Kemendagri (provinsi → desa/kelurahan), urut kode."""
    qs = Region.objects.all()
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent.replace("\x00", ""))
    if filters.q:
        qs = qs.filter(name__icontains=filters.q.replace("\x00", ""))
    return page_or_422(request, qs, ordering=["code"], cursor=filters.cursor, page_size=filters.page_size)


@router.get(
    "/regions/{code}", response={200: RegionOut, **READ_ERRORS}, openapi_extra=scope("regions.region", "reference")
)
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


class KbliFilters(Schema):
    version: Literal["2020"] = "2020"
    level: int | None = Field(None, ge=1, le=5, description="1 kategori … 5 kelompok")
    q: str | None = Field(None, description="Awal kode (31, 310, 31001) atau bagian dari judul", max_length=100)
    manufacturing: bool | None = Field(None, description="Hanya Kategori C (golongan pokok 10–33)")
    cursor: str | None = Field(None, max_length=500)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get("/kbli", response={200: KbliPage, **READ_ERRORS}, openapi_extra=scope("regions.kbli", "reference"))
def kbli_list(request: HttpRequest, filters: Query[KbliFilters]):
    """KBLI 2020 (Peraturan BPS 2/2020); usaha memakai kelompok 5 angka."""
    qs = Kbli.objects.filter(version=filters.version).select_related("parent")
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.manufacturing is not None:
        qs = qs.filter(is_manufacturing=filters.manufacturing)
    text = (filters.q or "").replace("\x00", "").strip()
    if text:
        code = text.replace(".", "")
        qs = qs.filter(code__startswith=code) if code.isdigit() else qs.filter(Q(title__icontains=text) | Q(code=text))
    return page_or_422(request, qs, ordering=["code", "id"], cursor=filters.cursor, page_size=filters.page_size)


@router.get(
    "/kbli/{code}", response={200: KbliDetailOut, **READ_ERRORS}, openapi_extra=scope("regions.kbli", "reference")
)
def kbli_detail(request: HttpRequest, code: str, version: Literal["2020"] = "2020"):
    if not KBLI_CODE.match(code):
        raise Http404
    kbli = Kbli.objects.select_related("parent").filter(version=version, code=code).first()
    if kbli is None:
        raise Http404
    return kbli
