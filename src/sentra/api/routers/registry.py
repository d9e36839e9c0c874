"""Owners and businesses: the same selectors, FilterSets, forms and services as the pages.

Reads go through ``sentra.registry.selectors`` (``visible_to``); writes are validated by
``sentra.registry.forms.BusinessForm`` and saved by ``sentra.registry.services``, so the API refuses and
records exactly what the pages refuse and record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import itemgetter
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from sentra.api.bulk import BulkFailed, bulk_save
from sentra.api.common import scoped_get, scoped_write
from sentra.api.errors import ApiError, django_validation_errors
from sentra.api.fastlist import encode_datetime
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
from sentra.core.errors import ConflictError
from sentra.core.scope import OutOfScope
from sentra.core.validators import mask_nik, mask_phone
from sentra.core.views import require_model_perm
from sentra.registry import selectors, services
from sentra.registry.choices import BusinessStatus, Gender, LegalForm
from sentra.registry.filters import BusinessFilterSet, OwnerFilterSet
from sentra.registry.forms import BusinessForm
from sentra.registry.models import Business, Owner

router = Router(tags=["Registri IKM"])

#: A database id: bigger numbers cannot exist and would overflow the database's integer (500 instead of 404).
ObjectId = Path(..., ge=1, le=2**63 - 1)
#: The same bound for ids sent in a body (an owner id of 2**63 would overflow the database's integer: 422, not 500).
IdInBody = Annotated[int, Field(ge=1, le=2**63 - 1)]

#: At most this many rows in one bulk request.
BULK_MAX_ROWS = 1000

LegalFormCode = Literal[tuple(LegalForm.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(BusinessStatus.values)]  # type: ignore[valid-type]
GenderCode = Literal[tuple(Gender.values)]  # type: ignore[valid-type]


def _alive(qs: Any) -> Any:
    """Without a filter, the rows not in the trash, as the FilterSets give them (the business one unless ``trash``)."""
    return qs.alive()


# --- Owners ----------------------------------------------------------------------------------------------


class OwnerOut(Schema):
    id: int
    full_name: str
    nik: str | None = Field(None, description="Tersamar (7471********0001) kecuali dibuka dengan ?reveal=nik")
    gender: str
    phone: str = Field(description="Tersamar kecuali dibuka dengan ?reveal=nik")
    email: str
    region: str = Field(alias="region_id")
    village: str | None = Field(None, alias="village_id")
    address: str
    legal_basis: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_nik(obj: Owner) -> str | None:
        if getattr(obj, "api_revealed", False):
            return obj.nik or None
        return mask_nik(obj.nik) or None

    @staticmethod
    def resolve_phone(obj: Owner) -> str:
        return obj.phone if getattr(obj, "api_revealed", False) else mask_phone(obj.phone)


class OwnerBusinessOut(Schema):
    id: int
    name: str
    role: str


class OwnerDetailOut(OwnerOut):
    birth_date: dt.date | None = None
    revealed: bool = Field(False, description="True bila NIK dan telepon ditampilkan lengkap (tercatat di audit)")
    businesses: list[OwnerBusinessOut]

    @staticmethod
    def resolve_revealed(obj: Owner) -> bool:
        return bool(getattr(obj, "api_revealed", False))

    @staticmethod
    def resolve_businesses(obj: Owner) -> list[dict[str, Any]]:
        return [
            {"id": o.business_id, "name": o.business.name, "role": o.role}
            for o in obj.ownerships.all()
            if o.business.deleted_at is None
        ]


class OwnerPage(PageMeta):
    results: list[OwnerOut]


OWNER_ORDERINGS = {"name": ["full_name", "id"], "-name": ["-full_name", "-id"]}


class OwnerFilters(PageQuery):
    q: str | None = Field(None, description="Nama atau NIK lengkap (16 angka)", max_length=100)
    region: str | None = Field(None, description="Kode kabupaten/kota, misalnya 74.71", max_length=13)
    gender: GenderCode | None = None  # type: ignore[valid-type]
    ordering: Literal["name", "-name"] = "name"


@scoped_get(router, "/owners", OwnerPage, "registry.owner", "list")
def owner_list(request: HttpRequest, filters: Query[OwnerFilters]):
    """Pelaku usaha dalam cakupan Anda; NIK dan telepon selalu tersamar di daftar (UU PDP, docs/domain.md §8)."""
    require_model_perm(request.user, Owner, "view")
    qs = selectors.owner_list(user=request.user)
    return list_page(request, filters, qs, filterset=OwnerFilterSet, unfiltered=_alive, ordering=OWNER_ORDERINGS)


@scoped_get(router, "/owners/{int:owner_id}", OwnerDetailOut, "registry.owner")
def owner_detail(request: HttpRequest, owner_id: int = ObjectId, reveal: Literal["nik"] | None = None):
    """Satu pelaku usaha. ``?reveal=nik`` membuka NIK dan telepon lengkap bagi yang berwenang; dicatat di audit."""
    owner = selectors.owner_get(user=request.user, pk=owner_id)
    if reveal == "nik":
        # Checks registry.reveal_nik_owner (403 otherwise) and records the reveal in the audit trail.
        services.owner_reveal_nik(actor=request.user, owner=owner)
        owner.api_revealed = True  # type: ignore[attr-defined]
    return owner


# --- Businesses ------------------------------------------------------------------------------------------


class BusinessOut(Schema):
    id: int
    name: str
    legal_form: str
    nib: str | None = None
    status: str
    region: str = Field(alias="region_id")
    district: str | None = Field(None, alias="district_id")
    village: str | None = Field(None, alias="village_id")
    address: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    kbli: str | None = None
    kbli_version: str
    commodity: str
    workforce_male: int | None = None
    workforce_female: int | None = None
    workforce_total: int | None = None
    investment_value: Decimal | None = None
    investment_land_buildings: Decimal | None = None
    business_capital: Decimal | None = None
    production_capacity: Decimal | None = None
    installed_capacity: Decimal | None = None
    capacity_unit: str
    production_value: Decimal | None = None
    turnover: Decimal | None = None
    raw_materials: str
    machinery: str
    year_started: int | None = None
    size_class: str = Field(description="Permenperin 64/2016: kecil, menengah, besar (dihitung)")
    umkm_class: str = Field(description="PP 7/2021: mikro, kecil, menengah, besar (dihitung)")
    version: int = Field(description="Kirim kembali saat mengubah (penguncian optimistis)")
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None

    @staticmethod
    def resolve_kbli(obj: Business) -> str | None:
        return obj.kbli.code if obj.kbli_id else None

    @staticmethod
    def resolve_workforce_total(obj: Business) -> int | None:
        if obj.workforce_male is None and obj.workforce_female is None:
            return None
        return (obj.workforce_male or 0) + (obj.workforce_female or 0)


class BusinessOwnerOut(Schema):
    id: int
    full_name: str
    role: str


class BusinessDetailOut(BusinessOut):
    owners: list[BusinessOwnerOut]
    kbli_others: list[str]
    phone: str = Field(description="Telepon usaha; tersamar kecuali dibuka dengan ?reveal=contacts")
    email: str = Field(description="Surel usaha; tersamar kecuali dibuka dengan ?reveal=contacts")
    website: str
    revealed: bool = Field(False, description="True bila telepon dan surel ditampilkan lengkap (tercatat di audit)")

    @staticmethod
    def resolve_phone(obj: Business) -> str:
        return obj.phone if getattr(obj, "api_revealed", False) else obj.phone_masked

    @staticmethod
    def resolve_email(obj: Business) -> str:
        return obj.email if getattr(obj, "api_revealed", False) else obj.email_masked

    @staticmethod
    def resolve_revealed(obj: Business) -> bool:
        return bool(getattr(obj, "api_revealed", False))

    @staticmethod
    def resolve_owners(obj: Business) -> list[dict[str, Any]]:
        return [{"id": o.owner_id, "full_name": o.owner.full_name, "role": o.role} for o in obj.ownerships.all()]

    @staticmethod
    def resolve_kbli_others(obj: Business) -> list[str]:
        return [k.code for k in obj.kbli_others.all()]


class BusinessPage(PageMeta):
    results: list[BusinessOut]


#: ``BusinessOut`` field → the list query's column (None: computed). The list reads these columns only and
#: builds the answer from them directly: no model instance, no per-object pydantic validation, which keeps the
#: list close to the cost of its SQL (bench/api.py). ``test_list_rows_match_the_schema`` proves the answer is
#: the one ``BusinessOut`` gives.
LIST_SOURCES: list[tuple[str, str | None]] = [
    (
        name,
        {"region": "region_id", "district": "district_id", "village": "village_id", "kbli": "kbli__code"}.get(
            name, None if name == "workforce_total" else name
        ),
    )
    for name in BusinessOut.model_fields
]
LIST_COLUMNS = [source for _name, source in LIST_SOURCES if source is not None]


_ENCODER = DjangoJSONEncoder()


def _encoder_for(source: str | None) -> Any:
    """How ninja's JSON encoder writes a column's values (decimals and datetimes as text), done up front so that
    the JSON encoder meets only plain values."""
    if source is None or "__" in source:
        return None
    field = Business._meta.get_field(source.removesuffix("_id") if source.endswith("_id") else source)
    if isinstance(field, models.DecimalField):
        return str
    if isinstance(field, models.DateTimeField):
        return encode_datetime
    if isinstance(field, models.DateField):
        return _ENCODER.default
    return None


_LIST_NAMES = [name for name, _source in LIST_SOURCES]
#: Output field → position in the row tuple (workforce_total takes workforce_male's place, then is computed).
_LIST_GET = itemgetter(*[LIST_COLUMNS.index(source or "workforce_male") for _name, source in LIST_SOURCES])
_LIST_ENCODED = [
    (i, encode) for i, (_name, source) in enumerate(LIST_SOURCES) if (encode := _encoder_for(source)) is not None
]
_LIST_TOTAL = _LIST_NAMES.index("workforce_total")
_MALE, _FEMALE = LIST_COLUMNS.index("workforce_male"), LIST_COLUMNS.index("workforce_female")


def list_json(row: tuple[Any, ...], encoded: bool) -> dict[str, Any]:
    """One list row (values in ``LIST_COLUMNS`` order) as ``BusinessOut`` renders it. ``encoded``: decimals and
    datetimes are already the JSON encoder's text (``sentra.api.fastlist``)."""
    values = list(_LIST_GET(row))
    if not encoded:
        for i, encode in _LIST_ENCODED:
            if values[i] is not None:
                values[i] = encode(values[i])
    male, female = row[_MALE], row[_FEMALE]
    values[_LIST_TOTAL] = None if male is None and female is None else (male or 0) + (female or 0)
    return dict(zip(_LIST_NAMES, values, strict=True))


BUSINESS_ORDERINGS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "-updated": ["-updated_at", "-id"],
}


class BusinessFilters(PageQuery):
    q: str | None = Field(None, description="Nama usaha, NIB (13 angka) atau nama pemilik", max_length=100)
    province: str | None = Field(None, description="Kode provinsi, misalnya 74", max_length=13)
    region: str | None = Field(None, description="Kode kabupaten/kota, misalnya 74.71", max_length=13)
    district: str | None = Field(None, description="Kode kecamatan (bersama region)", max_length=13)
    kbli: str | None = Field(None, description="KBLI: 31001, atau awalan 31 / 310", max_length=6)
    size_class: str | None = Field(None, description="kecil, menengah, besar", max_length=10)
    umkm_class: str | None = Field(None, description="mikro, kecil, menengah, besar", max_length=10)
    status: str | None = Field(None, description="active, inactive, closed", max_length=10)
    year_started: int | None = Field(None, ge=1900, le=2100, description="Tahun mulai usaha, mis. 2024")
    trash: bool | None = Field(None, description="true: hanya usaha yang dihapus")
    ordering: Literal["name", "-name", "-updated"] = "name"


@scoped_get(router, "/businesses", BusinessPage, "registry.business", "list")
def business_list(request: HttpRequest, filters: Query[BusinessFilters]):
    """Usaha (IKM) dalam cakupan Anda, dengan filter yang sama seperti halaman daftar usaha."""
    require_model_perm(request.user, Business, "view")
    # The unfiltered page (no FilterSet built) is the hot path of clients walking the whole registry.
    return list_page(
        request,
        filters,
        selectors.business_list(user=request.user),
        filterset=BusinessFilterSet,
        unfiltered=_alive,
        ordering=BUSINESS_ORDERINGS,
        columns=LIST_COLUMNS,
        render=list_json,
    )


@scoped_get(router, "/businesses/{int:business_id}", BusinessDetailOut, "registry.business")
def business_detail(request: HttpRequest, business_id: int = ObjectId, reveal: Literal["contacts"] | None = None):
    """Satu usaha. ``?reveal=contacts`` membuka telepon dan surel lengkap bagi yang berwenang; dicatat di audit."""
    business = selectors.business_get(user=request.user, pk=business_id)
    if reveal == "contacts":
        services.business_reveal_contacts(actor=request.user, business=business)
        business.api_revealed = True  # type: ignore[attr-defined]
    return business


class BusinessFields(Schema):
    """Fields a client may write; the same as the business form on the pages."""

    legal_form: LegalFormCode | None = None  # type: ignore[valid-type]
    nib: str | None = Field(None, max_length=20, description="13 angka dari OSS")
    status: StatusCode | None = None  # type: ignore[valid-type]
    district: str | None = Field(None, max_length=13)
    village: str | None = Field(None, max_length=13)
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    kbli: str | None = Field(None, max_length=6, description="KBLI 2020 kelompok 5 angka")
    commodity: str | None = Field(None, max_length=200)
    workforce_male: int | None = Field(None, ge=0, le=2_000_000_000)
    workforce_female: int | None = Field(None, ge=0, le=2_000_000_000)
    investment_value: Decimal | None = None
    investment_land_buildings: Decimal | None = None
    business_capital: Decimal | None = None
    production_capacity: Decimal | None = None
    installed_capacity: Decimal | None = None
    capacity_unit: str | None = Field(None, max_length=30)
    production_value: Decimal | None = None
    turnover: Decimal | None = None
    raw_materials: str | None = Field(None, max_length=300)
    machinery: str | None = Field(None, max_length=300)
    year_started: int | None = Field(None, ge=0, le=9999)
    phone: str | None = Field(None, max_length=25, description="Telepon usaha")
    email: str | None = Field(None, max_length=254, description="Surel usaha")
    website: str | None = Field(None, max_length=200)
    owner_ids: list[IdInBody] | None = Field(
        None, max_length=50, description="Pelaku usaha yang sudah terdaftar (dalam cakupan Anda)"
    )


class BusinessIn(BusinessFields):
    name: str = Field(max_length=200)
    region: str = Field(max_length=13, description="Kode kabupaten/kota, misalnya 74.71")
    owner_full_name: str | None = Field(None, max_length=150, description="Pemilik baru, bila NIK belum terdaftar")
    owner_nik: str | None = Field(None, max_length=20)
    owner_gender: GenderCode | None = None  # type: ignore[valid-type]
    owner_phone: str | None = Field(None, max_length=25)
    confirm_duplicate: bool = Field(
        False, description="true: simpan walau ada usaha serupa (NIB sama, atau pemilik & nama mirip di desa sama)"
    )


class BusinessPatch(BusinessFields):
    version: int = Field(ge=0, description="Nilai version dari data yang Anda baca; 409 bila sudah berubah")
    name: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=13)


class RowInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]], status: int = 422, code: str = "validation_error") -> None:
        super().__init__(errors)
        self.errors = errors
        self.status = status
        self.code = code


_API_TO_FORM = {"kbli": "kbli_code"}
_FORM_TO_API = {v: k for k, v in _API_TO_FORM.items()}


def _form_errors(form: BusinessForm) -> dict[str, list[str]]:
    return {_FORM_TO_API.get(name, name): [str(m) for m in messages] for name, messages in form.errors.items()}


def _owners(user: Any, form: BusinessForm, owner_ids: list[int] | None, *, creating: bool) -> list[Owner] | None:
    """Owners to link: existing ones by id (in scope), and, on create, the owner block as on the page (the
    registry's one owner resolution, ``services.business_owners``)."""
    data = form.cleaned_data
    block = {
        "full_name": data.get("owner_full_name") or "",
        "nik": data.get("owner_nik") or None,
        "gender": data.get("owner_gender") or "",
        "phone": data.get("owner_phone") or "",
    }
    return services.business_owners(
        actor=user,
        region=data.get("region"),
        village=data.get("village"),
        owner_ids=owner_ids,
        **(block if creating else {}),
    )


def business_save(*, user: Any, values: dict[str, Any], business: Business | None = None) -> Business:
    """Validate ``values`` with the page's form and save through the service; ``RowInvalid`` with field errors.

    ``values`` are API field names; for an update only the fields to change (plus ``version``).
    """
    creating = business is None
    values = dict(values)
    owner_ids = values.pop("owner_ids", None)
    confirm_duplicate = values.pop("confirm_duplicate", False)
    version = values.pop("version", None)
    data: dict[str, Any] = {}
    if creating:
        # The model's defaults, as the page's form shows them pre-selected.
        values["legal_form"] = values.get("legal_form") or LegalForm.PERORANGAN
        values["status"] = values.get("status") or BusinessStatus.ACTIVE
    if business is not None:
        data = model_to_dict(business, fields=BusinessForm.Meta.fields)
        data["kbli_code"] = business.kbli.code if business.kbli_id else ""
    for name, value in values.items():
        data[_API_TO_FORM.get(name, name)] = "" if value is None else value
    data["version"] = version
    form = BusinessForm(data, instance=business, user=user)
    if not form.is_valid():
        raise RowInvalid(_form_errors(form))
    cleaned = form.cleaned_data
    if creating and not confirm_duplicate:
        duplicates = services.business_find_duplicates(
            actor=user,
            name=cleaned["name"],
            nib=cleaned.get("nib"),
            village_id=cleaned["village"].pk if cleaned.get("village") else None,
            owner_nik=cleaned.get("owner_nik") or None,
        )
        if duplicates:
            raise RowInvalid(
                {
                    "__all__": [
                        _(
                            "Mungkin duplikat dari usaha #{id} {name} ({reason}). Kirim confirm_duplicate=true bila bukan."
                        ).format(id=d.business.pk, name=d.business.name, reason=d.reason)
                        for d in duplicates
                    ]
                },
                status=409,
                code="duplicate_suspected",
            )
    fields = {name: cleaned.get(name) for name in BusinessForm.Meta.fields}
    fields["kbli"] = cleaned.get("kbli_code")
    try:
        with transaction.atomic():
            owners = _owners(user, form, owner_ids, creating=creating)
            if creating:
                return services.business_register(actor=user, owners=owners, **fields)
            fresh = selectors.business_get(user=user, pk=business.pk, action="change")
            return services.business_update(
                actor=user, business=fresh, expected_version=version, owners=owners, **fields
            )
    except (ConflictError, OutOfScope):
        raise  # 409, and 404 as for a row outside the scope
    except DjangoValidationError as exc:
        raise RowInvalid(django_validation_errors(exc)) from None


def _raise_row(exc: RowInvalid) -> None:
    message = (
        exc.errors.get("__all__", [""])[0]
        if exc.code != "validation_error"
        else _("Data tidak valid. Periksa kolom yang disebut di errors.")
    )
    raise ApiError(exc.status, exc.code, message, exc.errors)


@scoped_write(router, "post", "/businesses", BusinessDetailOut, "registry.business", "create", status=201)
def business_create(request: HttpRequest, payload: BusinessIn):
    """Daftarkan usaha baru; validasi dan jejak audit sama dengan formulir di situs. 409 bila mungkin duplikat."""
    require_model_perm(request.user, Business, "add")
    try:
        business = business_save(user=request.user, values=payload.model_dump())
    except RowInvalid as exc:
        _raise_row(exc)
    return Status(201, selectors.business_get(user=request.user, pk=business.pk))


@scoped_write(router, "patch", "/businesses/{int:business_id}", BusinessDetailOut, "registry.business")
def business_update(request: HttpRequest, payload: BusinessPatch, business_id: int = ObjectId):
    """Ubah sebagian kolom. Wajib menyertakan ``version`` yang terakhir dibaca; 409 bila data sudah diubah orang lain."""
    business = selectors.business_get(user=request.user, pk=business_id, action="change")
    try:
        business_save(user=request.user, values=payload.model_dump(exclude_unset=True), business=business)
    except RowInvalid as exc:
        _raise_row(exc)
    return selectors.business_get(user=request.user, pk=business_id)


@scoped_write(router, "delete", "/businesses/{int:business_id}", None, "registry.business", status=204)
def business_delete(request: HttpRequest, business_id: int = ObjectId):
    """Hapus (lunak): usaha tidak tampil di daftar dan dapat dipulihkan."""
    business = selectors.business_get(user=request.user, pk=business_id, action="delete")
    services.business_delete(actor=request.user, business=business)
    return Status(204, None)


@scoped_write(router, "post", "/businesses/{int:business_id}/restore", BusinessDetailOut, "registry.business")
def business_restore(request: HttpRequest, business_id: int = ObjectId):
    """Pulihkan usaha yang dihapus."""
    business = selectors.business_get(user=request.user, pk=business_id, action="delete")
    services.business_restore(actor=request.user, business=business)
    return selectors.business_get(user=request.user, pk=business_id)


#: A bulk cell: text or a number, parsed by the import kind's column like a spreadsheet cell.
Cell = str | int | float | None


class BulkRow(Schema):
    """One row: the columns of the business import (docs/importing.md) under the API's field names."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(None, ge=1, le=2**63 - 1, description="Kosong: usaha baru; diisi: ubah usaha ini")
    version: int | None = Field(None, ge=0, description="Wajib bersama id (penguncian optimistis)")
    name: Cell = Field(None, description="Wajib untuk usaha baru; bentuk usaha di nama (CV, PT, UD) dipisahkan")
    nib: Cell = None
    legal_form: Cell = None
    region: Cell = Field(None, description="Kode kab/kota; boleh kosong bila alamat menyebutnya")
    district: Cell = None
    village: Cell = None
    address: Cell = None
    kbli: Cell = None
    commodity: Cell = None
    workforce_male: Cell = None
    workforce_female: Cell = None
    investment_value: Cell = None
    business_capital: Cell = None
    production_value: Cell = None
    turnover: Cell = None
    production_capacity: Cell = None
    capacity_unit: Cell = None
    year_started: Cell = None
    status: Cell = None
    latitude: Cell = None
    longitude: Cell = None
    phone: Cell = Field(None, description="Telepon usaha")
    email: Cell = Field(None, description="Surel usaha")
    website: Cell = None
    owner_full_name: Cell = None
    owner_nik: Cell = None
    owner_gender: Cell = None
    owner_phone: Cell = None
    owner_ids: list[IdInBody] | None = Field(None, max_length=50)
    confirm_duplicate: bool = False


class BulkIn(Schema):
    rows: list[BulkRow] = Field(min_length=1, max_length=BULK_MAX_ROWS)


class BulkRowResult(Schema):
    row: int
    id: int
    action: Literal["created", "updated"]
    version: int


class BulkOut(Schema):
    created: int
    updated: int
    results: list[BulkRowResult]


@scoped_write(router, "post", "/businesses/bulk", BulkOut, "registry.business", "create")
def business_bulk(request: HttpRequest, payload: BulkIn):
    """Buat/ubah hingga 1.000 usaha sekaligus, semua atau tidak sama sekali.

    Setiap baris diperiksa oleh mesin impor, persis seperti baris lembar kerja impor usaha (pesan yang sama).
    Bila satu baris saja salah, tidak ada yang disimpan dan jawabannya 422 dengan kesalahan per baris
    (``rows.<nomor>.<kolom>``, nomor mulai 0).
    """
    try:
        results = bulk_save(user=request.user, rows=[row.model_dump(exclude_unset=True) for row in payload.rows])
    except BulkFailed as exc:
        bad_rows = len({key.split(".")[1] for key in exc.errors})
        raise ApiError(
            422,
            "validation_error",
            _("{n} baris tidak valid; tidak ada data yang disimpan. Perbaiki baris yang disebut di errors.").format(
                n=bad_rows
            ),
            exc.errors,
        ) from None
    return {
        "created": sum(1 for r in results if r["action"] == "created"),
        "updated": sum(1 for r in results if r["action"] == "updated"),
        "results": results,
    }
