"""Products of businesses: read and write, with the same selectors, validation and services as the pages.

Reads go through ``sentra.products.selectors`` (``visible_to``: officers by region, owners their own businesses,
centre managers their members). Writes are checked by ``sentra.products.services`` (scope, price range, KBLI,
links, certificates of the same business), audited and optimistically locked (``version``). Photos are uploaded
on the product page (multipart); the API lists their public addresses when the product is in the catalogue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from sentra.api.common import Money, scoped_get, scoped_write
from sentra.api.errors import ApiError, django_validation_errors
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
from sentra.core.errors import ConflictError
from sentra.core.scope import OutOfScope
from sentra.core.views import require_model_perm
from sentra.products import selectors, services
from sentra.products.choices import MAX_LINKS
from sentra.products.models import Product
from sentra.quality.models import Certification
from sentra.regions.models import Kbli
from sentra.registry.models import Business

router = Router(tags=["Produk IKM"])
ObjectId = Path(..., ge=1, le=2**63 - 1)
IdInBody = Annotated[int, Field(ge=1, le=2**63 - 1)]
#: Rupiah bounds a price can take (the column holds 18 digits, 2 after the point).
Price = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999999999.99"), max_digits=18, decimal_places=2)]
Capacity = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), max_digits=12, decimal_places=2)]
Link = Annotated[str, Field(max_length=services.MAX_LINK_LENGTH)]


def _text(value: str) -> str:
    return value.replace("\x00", "").strip()


class ProductOut(Schema):
    id: int
    business: int = Field(alias="business_id")
    business_name: str = Field(alias="business.name")
    region: str = Field(alias="region_id")
    name: str
    kbli: str = Field(alias="kbli.code")
    kbli_title: str = Field(alias="kbli.title")
    description: str
    price_min: Money | None = None
    price_max: Money | None = None
    monthly_capacity: Decimal | None = None
    capacity_unit: str
    certifications: list[int] = Field(
        description="Sertifikat usaha ini yang dimiliki produk (GET /certifications/{id})"
    )
    links: list[str]
    published: bool
    listed: bool = Field(description="Tampil di katalog publik: dipublikasikan dan usahanya setuju tampil")
    photos: list[int] = Field(description="Foto berurutan (yang pertama sampul)")
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_certifications(obj: Product) -> list[int]:
        return [c.pk for c in obj.certifications.all()]

    @staticmethod
    def resolve_photos(obj: Product) -> list[int]:
        return [p.pk for p in getattr(obj, "ordered_photos", None) or obj.photos.order_by("position", "id")]


class ProductPage(PageMeta):
    results: list[ProductOut]


class ProductFilters(PageQuery):
    q: str | None = Field(None, description="Nama produk atau nama usaha", max_length=100)
    region: str | None = Field(None, max_length=13, description="Kode kabupaten/kota, misalnya 74.71")
    business: int | None = Field(None, ge=1, le=2**63 - 1)
    kbli: str | None = Field(None, max_length=5, description="KBLI 5 angka")
    listed: bool | None = Field(None, description="true: hanya yang tampil di katalog publik")


class ProductFields(Schema):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(None, max_length=2000)
    price_min: Price | None = None
    price_max: Price | None = None
    monthly_capacity: Capacity | None = None
    capacity_unit: str | None = Field(None, max_length=30)
    certifications: list[IdInBody] | None = Field(None, max_length=50, description="Id sertifikat usaha ini")
    links: list[Link] | None = Field(None, max_length=MAX_LINKS, description="Alamat http(s) toko daring/media sosial")
    published: bool | None = None


class ProductIn(ProductFields):
    business: IdInBody = Field(description="Usaha pemilik produk (dalam cakupan Anda)")
    name: str = Field(min_length=1, max_length=200)
    kbli: str = Field(min_length=1, max_length=6, description="KBLI 2020 kelompok 5 angka, misalnya 31001")


class ProductPatch(ProductFields):
    version: int = Field(ge=0, le=2**31 - 1, description="Nilai version yang terakhir dibaca; 409 bila sudah berubah")
    name: str | None = Field(None, min_length=1, max_length=200)
    kbli: str | None = Field(None, min_length=1, max_length=6)


def _invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, "validation_error", _("Data tidak valid. Periksa kolom yang disebut di errors."), errors)


def _values(user: Any, payload: dict[str, Any], business: Business) -> dict[str, Any]:
    """API values under the service's names: the KBLI by code, certificates by id (in scope), text trimmed."""
    values: dict[str, Any] = {}
    for name in ("name", "description", "capacity_unit"):
        if name in payload:
            values[name] = _text(payload[name] or "")
    for name in ("price_min", "price_max", "monthly_capacity", "published"):
        if name in payload:
            values[name] = payload[name] if name != "published" else bool(payload[name])
    if "links" in payload:
        values["links"] = payload["links"] or []
    if "kbli" in payload:
        code = _text(payload["kbli"] or "")
        kbli = Kbli.objects.filter(version="2020", level=Kbli.Level.SUBCLASS, code=code).first()
        if kbli is None:
            raise _invalid(
                {"kbli": [_("Kode KBLI {code} tidak ada dalam KBLI 2020 (kelompok 5 angka).").format(code=code[:6])]}
            )
        values["kbli"] = kbli
    if "certifications" in payload:
        ids = payload["certifications"] or []
        found = list(Certification.objects.visible_to(user).filter(pk__in=ids, business=business))
        if len(found) != len(set(ids)):
            raise _invalid({"certifications": [_("Pilih hanya sertifikat milik usaha ini.")]})
        values["certifications"] = found
    return values


@scoped_get(router, "/products", ProductPage, "products.product", "list")
def product_list(request: HttpRequest, filters: Query[ProductFilters]):
    """Produk usaha dalam cakupan Anda, urut nama."""
    require_model_perm(request.user, Product, "view")
    return list_page(
        request,
        filters,
        selectors.product_list(user=request.user).prefetch_related("certifications"),
        where={
            "q": lambda qs, q: qs.filter(name__icontains=_text(q)) | qs.filter(business__name__icontains=_text(q)),
            "region": lambda qs, code: qs.filter(region_id=_text(code)),
            "business": "business_id",
            "kbli": lambda qs, code: qs.filter(kbli__code=_text(code)),
            "listed": "listed",
        },
        ordering=["name", "id"],
    )


@scoped_get(router, "/products/{int:product_id}", ProductOut, "products.product")
def product_detail(request: HttpRequest, product_id: int = ObjectId):
    return selectors.product_get(user=request.user, pk=product_id)


@scoped_write(router, "post", "/products", ProductOut, "products.product", "create", status=201)
def product_create(request: HttpRequest, payload: ProductIn):
    """Catat produk baru sebuah usaha; validasi dan jejak audit sama dengan formulir di situs."""
    require_model_perm(request.user, Product, "add")
    business = selectors.business_get(user=request.user, pk=payload.business)
    data = payload.model_dump(exclude_unset=True)
    data.pop("business")
    try:
        with transaction.atomic():
            product = services.product_create(
                actor=request.user, business=business, **_values(request.user, data, business)
            )
    except (ConflictError, OutOfScope):
        raise  # 409, and 404 as for a row outside the scope
    except DjangoValidationError as exc:
        raise _invalid(django_validation_errors(exc)) from None
    return Status(201, selectors.product_get(user=request.user, pk=product.pk))


@scoped_write(router, "patch", "/products/{int:product_id}", ProductOut, "products.product")
def product_update(request: HttpRequest, payload: ProductPatch, product_id: int = ObjectId):
    """Ubah sebagian kolom. Wajib menyertakan ``version`` yang terakhir dibaca; 409 bila data sudah diubah orang lain."""
    product = selectors.product_get(user=request.user, pk=product_id, action="change")
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    try:
        with transaction.atomic():
            services.product_update(
                actor=request.user,
                product=product,
                expected_version=version,
                **_values(request.user, data, product.business),
            )
    except (ConflictError, OutOfScope):
        raise  # 409, and 404 as for a row outside the scope
    except DjangoValidationError as exc:
        raise _invalid(django_validation_errors(exc)) from None
    return selectors.product_get(user=request.user, pk=product_id)


@scoped_write(router, "delete", "/products/{int:product_id}", None, "products.product", status=204)
def product_delete(request: HttpRequest, product_id: int = ObjectId):
    """Hapus produk beserta fotonya."""
    product = selectors.product_get(user=request.user, pk=product_id, action="delete")
    services.product_delete(actor=request.user, product=product)
    return Status(204, None)
