"""The business import kind: registers of IKM as agencies keep them .

Registered from ``RegistryConfig.ready()``. What real registers do, and what this kind does about it:

- the legal form inside the name (``PT X``, ``CV. X``, ``X, CV``, ``UD. X``) is split into ``legal_form``;
- the address is one free-text field naming street, village, district, regency and province in varying
  spellings (``Kab.``, ``Kabupaten``, ``Kota``, ``D.I. Yogyakarta``/``DIY``, old province names). It is matched
  to Kemendagri codes by :class:`RegionMatcher`; the confidence is shown in the preview, and a row whose
  regency/city cannot be found is reported, not guessed (unless the user chose a default regency/city for the
  file, which is then shown as low confidence);
- sparse rows (only name, address and KBLI) are accepted;
- the natural key is the NIB; else owner NIK + business name + village; else name + address in the regency.
  The same name at several addresses is therefore several businesses unless the NIB says otherwise;
- masked phone numbers (``081*******``) are stored as unknown;
- empty cells never erase stored values, so re-importing a file (or a sparser one) changes nothing.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.events import notify_changed
from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, RowError, cells
from sentra.core.importing.bulk import ModelWriter, audit_bulk, audit_bulk_created, reserve_ids
from sentra.core.importing.kinds import Batch, BatchRows
from sentra.core.validators import validate_nik
from sentra.regions.addresses import CONFIDENCE, RegionMatcher
from sentra.regions.addresses import tokens as _tokens
from sentra.regions.models import Kbli, Region, RegionLevel
from sentra.registry.choices import BusinessStatus, Gender, LegalForm, SizeClass, UmkmClass
from sentra.registry.classification import (
    IK_INVESTMENT_LIMIT,
    IK_MAX_WORKERS,
    IM_INVESTMENT_LIMIT,
    UMKM_CAPITAL_LIMITS,
    UMKM_SALES_LIMITS,
)
from sentra.registry.models import Business, Owner, Ownership
from sentra.registry.services import nib_taken_message, nik_taken_message

# --- Legal form in the name ------------------------------------------------------------------------------------

LEGAL_FORMS = {
    "pt": LegalForm.PT,
    "p t": LegalForm.PT,
    "perseroan terbatas": LegalForm.PT,
    "pt perorangan": LegalForm.PT_PERORANGAN,
    "cv": LegalForm.CV,
    "c v": LegalForm.CV,
    "ud": LegalForm.UD,
    "u d": LegalForm.UD,
    "usaha dagang": LegalForm.UD,
    "fa": LegalForm.FIRMA,
    "firma": LegalForm.FIRMA,
    "koperasi": LegalForm.KOPERASI,
    "kop": LegalForm.KOPERASI,
    "ksu": LegalForm.KOPERASI,
    "kelompok": LegalForm.KELOMPOK,
    "kub": LegalForm.KELOMPOK,
    "perorangan": LegalForm.PERORANGAN,
}
_PREFIX = re.compile(
    r"^(pt\.?\s*perorangan|p\.\s*t\.|c\.\s*v\.|u\.\s*d\.|pt|cv|ud|fa|firma|koperasi|kop|ksu|kub)\.?\s+(?=\S)",
    re.IGNORECASE,
)
# What the patterns can start and end with: names with neither skip the regular expressions.
_PREFIX_STARTS = {"pt", "p.", "c.", "cv", "u.", "ud", "fa", "fi", "ko", "ks", "ku"}
_SUFFIX_ENDS = {"t", "v", "d", "a", "k"}
_SUFFIX = re.compile(r"[,\s]+\(?(pt|cv|ud|fa|tbk|pt\.?\s*tbk)\.?\)?$", re.IGNORECASE)


def split_legal_form(name: str) -> tuple[str, str | None]:
    """``"Ab Brother, CV"`` → (``"Ab Brother"``, ``"cv"``); ``"PT. Maju"`` → (``"Maju"``, ``"pt"``)."""
    text = cells.cell_text(name)
    form = None
    if text[:2].lower() not in _PREFIX_STARTS and text.rstrip(".)")[-1:].lower() not in _SUFFIX_ENDS:
        return text.strip(" ,.-"), None  # most names: neither pattern can match
    m = _PREFIX.match(text)
    if m:
        key = re.sub(r"[.\s]+", " ", m.group(1).lower()).strip()
        form = LEGAL_FORMS.get(key) or LEGAL_FORMS.get(key.replace(" ", ""))
        text = text[m.end() :].strip()
    # The suffix pattern ends in a form's last letter, then at most "." and ")": most names cannot match.
    m = _SUFFIX.search(text) if text.rstrip(".)")[-1:].lower() in _SUFFIX_ENDS else None
    if m and len(text[: m.start()].strip()) >= 2:
        key = re.sub(r"[.\s]+", " ", m.group(1).lower()).strip()
        if key.endswith("tbk"):
            key = "pt"
        form = form or LEGAL_FORMS.get(key)
        text = text[: m.start()].strip()
    text = text.strip(" ,.-")
    return text, (str(form) if form else None)


# --- Addresses → region codes -----------------------------------------------------------------------------------
# The address matcher belongs to the regions app (``sentra.regions.addresses``): ``RegionMatcher``, its
# ``CONFIDENCE`` labels and ``split_phone_tail`` are imported from there.


# --- The kind ---------------------------------------------------------------------------------------------------

GENDERS = {"l": Gender.MALE, "laki-laki": Gender.MALE, "laki laki": Gender.MALE, "pria": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE,
           "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE, "female": Gender.FEMALE, "f": Gender.FEMALE, "w": Gender.FEMALE}  # fmt: skip
STATUSES = {"aktif": BusinessStatus.ACTIVE, "active": BusinessStatus.ACTIVE, "tidak aktif": BusinessStatus.INACTIVE,
            "nonaktif": BusinessStatus.INACTIVE, "inactive": BusinessStatus.INACTIVE, "tutup": BusinessStatus.CLOSED,
            "closed": BusinessStatus.CLOSED}  # fmt: skip
LEGAL_FORM_CHOICES = {
    **LEGAL_FORMS,
    **{str(v.label).lower(): v.value for v in LegalForm},
    **{v.value: v.value for v in LegalForm},
}
money = cells.number()


def kbli_code(value: Any) -> str | None:
    """The KBLI digits as typed: 5 (kelompok) or 4 (a subgolongan, or a kelompok whose leading zero Excel dropped:
    ``1111`` for ``01111``); ``31001.0`` is ``31001``. What the digits mean is decided against KBLI 2020
    (:class:`KbliLookup`), and every message quotes them as the officer typed them."""
    typed = cells.cell_text(value)
    text = typed.replace(".", "").replace(" ", "")
    if text in cells.EMPTY:
        return None
    text = re.split(r"[^0-9]", text)[0] if not text.isdigit() else text
    if not text.isdigit():
        raise ValidationError(
            _("KBLI '{value}' bukan kode angka; tulis kode 5 digit (contoh: 31001).").format(value=typed), code="kbli"
        )
    if len(text) not in (4, 5):
        raise ValidationError(
            _("KBLI '{value}' tertulis {n} digit; tulis kode kelompok 5 digit (contoh: 31001).").format(
                value=typed, n=len(text)
            ),
            code="kbli",
        )
    return text


class KbliLookup:
    """Typed KBLI digits → a KBLI 2020 kelompok (the 5-digit level a business stores), answered once per code.

    A 4-digit value is read at its own level first: a subgolongan with a single kelompok maps to it, one with
    several asks for the kelompok; otherwise it is a kelompok whose leading zero Excel dropped. Digits that fit
    both readings are not guessed. ``resolve`` returns ``(kbli_id, message, unknown, note)``: ``unknown`` is True
    when KBLI 2020 has no such code (a partial import keeps the row with a warning)."""

    def __init__(self) -> None:
        rows = Kbli.objects.filter(version="2020", level__in=(4, 5)).values_list("code", "level", "id")
        self.kelompok: dict[str, int] = {}
        classes: set[str] = set()
        for code, level, pk in rows:
            if level == 5:
                self.kelompok[code] = pk
            else:
                classes.add(code)
        self.classes: dict[str, list[str]] = {code: [] for code in classes}
        for code in sorted(self.kelompok):
            if code[:4] in self.classes:
                self.classes[code[:4]].append(code)
        self.answers: dict[str, tuple[int | None, str, bool, str]] = {}

    def get(self, code: str) -> int | None:
        """The id of a 5-digit kelompok (``None`` if KBLI 2020 has no such code)."""
        return self.kelompok.get(code)

    def resolve(self, typed: str) -> tuple[int | None, str, bool, str]:
        answer = self.answers.get(typed)
        if answer is None:
            answer = self.answers[typed] = self._resolve(typed)
        return answer

    def _resolve(self, typed: str) -> tuple[int | None, str, bool, str]:
        if len(typed) == 5:
            pk = self.kelompok.get(typed)
            return (pk, "", False, "") if pk else (None, "", True, "")
        subclasses = self.classes.get(typed)
        zero = "0" + typed
        if subclasses is not None and zero in self.kelompok:
            return (
                None,
                _(
                    "KBLI {typed} bisa berarti subgolongan {typed} atau kelompok {zero} (angka nol di depan hilang di "
                    "Excel). Tulis kode kelompok 5 digit, dengan kolom berformat Teks."
                ).format(typed=typed, zero=zero),
                False,
                "",
            )
        if subclasses:
            if len(subclasses) == 1:
                note = _("KBLI {typed} (subgolongan) dibaca sebagai kelompok {code}, satu-satunya di dalamnya.")
                return self.kelompok[subclasses[0]], "", False, note.format(typed=typed, code=subclasses[0])
            listed = ", ".join(subclasses[:6]) + ("…" if len(subclasses) > 6 else "")
            return (
                None,
                _("KBLI {typed} adalah subgolongan (4 digit); pilih kelompok 5 digit: {codes}.").format(
                    typed=typed, codes=listed
                ),
                False,
                "",
            )
        if zero in self.kelompok:
            return self.kelompok[zero], "", False, ""
        return None, "", True, ""


def unknown_kbli(batch: Batch, index: int, typed: str, errors: dict[str, str], ctx: ImportContext) -> None:
    """A code KBLI 2020 does not have. Saving the valid rows only, the business is kept without a KBLI and the code
    as typed is reported with it (a warning, listed on the result page and in the file of rows to check) so that
    it can be corrected later; otherwise the row is refused."""
    if ctx.partial:
        batch.warn(
            index,
            {
                "kbli": _(
                    "KBLI {typed} tidak ada dalam KBLI 2020; usaha disimpan tanpa KBLI. Betulkan kodenya di halaman "
                    "usaha."
                ).format(typed=typed)
            },
        )
        return
    errors["kbli"] = _(
        "KBLI {typed} tidak ada dalam KBLI 2020. Betulkan kodenya, atau pilih {choice}: usaha disimpan tanpa KBLI "
        "dan kode ini dilaporkan sebagai peringatan."
    ).format(typed=typed, choice=ctx.partial_choice)


def _coord(low: str, high: str, label: str):  # type: ignore[no-untyped-def]
    def parse(value: Any) -> Decimal | None:
        if isinstance(value, float):
            number = Decimal(repr(value))
        else:
            text = cells.cell_text(value).replace(",", ".")
            try:
                number = Decimal(text)
            except Exception:
                raise ValidationError(_("{label} bukan angka desimal (contoh: -3.9985).").format(label=label)) from None
        if not Decimal(low) <= number <= Decimal(high):
            raise ValidationError(_("{label} di luar wilayah Indonesia.").format(label=label))
        return number.quantize(Decimal("0.000001"))

    return parse


COLUMNS = (
    Column("nib", "NIB", ("nomor induk berusaha", "no nib", "nib oss"), cells.digits(13, label="NIB"), example="9120001234567",
           help=gettext_lazy("13 angka dari OSS. Kunci utama: baris dengan NIB yang sama memperbarui usaha yang sama.")),
    Column("name", "Nama usaha", ("nama perusahaan", "nama ikm", "nama badan usaha", "perusahaan", "company name", "company", "business name", "nama"),
           cells.text(250), required=True, example="CV Mebel Jati Lestari",
           help=gettext_lazy("Bentuk usaha di dalam nama (PT, CV, UD) dipisahkan otomatis.")),
    Column("legal_form", "Bentuk usaha", ("badan usaha", "bentuk badan usaha", "legal form"),
           cells.choice(LEGAL_FORM_CHOICES, label=gettext_lazy("Bentuk usaha")), example="CV"),
    Column("address", "Alamat", ("alamat usaha", "alamat perusahaan", "alamat lengkap", "address", "lokasi"),
           cells.text_cut(300), example="Jl. Poros Lepo-Lepo No. 12, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
           help=gettext_lazy("Sebutkan desa/kelurahan, kecamatan dan kabupaten/kota agar lokasi dapat dicocokkan.")),
    Column("village_name", "Desa/kelurahan", ("desa", "kelurahan", "desa kelurahan", "kel desa", "village"), cells.text(100)),
    Column("district_name", "Kecamatan", ("kec", "district", "sub district"), cells.text(100)),
    Column("regency_name", "Kabupaten/kota", ("kabupaten", "kota", "kab kota", "kabupaten kota", "regency", "city"), cells.text(100)),
    Column("province_name", "Provinsi", ("propinsi", "province"), cells.text(100)),
    Column("region_code", "Kode wilayah", ("kode desa", "kode kelurahan", "kode kecamatan", "kode kab kota", "kode wilayah kemendagri", "region code"),
           cells.region_code, example="74.71.03.1002", help=gettext_lazy("Kode Kemendagri tingkat apa pun (74.71 atau 7471031002).")),
    Column("kbli", "KBLI", ("kode kbli", "kbli 2020", "kbli utama", "kbli code"), kbli_code, example="31001"),
    Column("commodity", "Komoditas/produk", ("komoditas", "produk", "jenis produk", "commodity", "product", "products"), cells.text_cut(200), example="Mebel kayu jati"),
    Column("workforce_male", "Tenaga kerja laki-laki", ("tk laki laki", "tenaga kerja l", "tk l", "male workers"), cells.integer(max_value=1_000_000), example=3),
    Column("workforce_female", "Tenaga kerja perempuan", ("tk perempuan", "tenaga kerja p", "tk p", "female workers"), cells.integer(max_value=1_000_000), example=2),
    Column("investment_value", "Nilai investasi (Rp)", ("investasi", "nilai investasi", "investment"), money, example="150.000.000",
           help=gettext_lazy("Tanpa tanah dan bangunan. Format Indonesia diterima: 1.250.000 atau Rp 1.250.000,00.")),
    Column("business_capital", "Modal usaha (Rp)", ("modal", "modal usaha", "capital"), money),
    Column("production_value", "Nilai produksi (Rp)", ("nilai produksi", "production value"), money),
    Column("turnover", "Hasil penjualan per tahun (Rp)", ("omzet", "omset", "penjualan", "hasil penjualan", "turnover", "sales"), money, example="400.000.000"),
    Column("production_capacity", "Kapasitas produksi", ("kapasitas", "kapasitas produksi", "capacity"), cells.number()),
    Column("capacity_unit", "Satuan kapasitas", ("satuan", "unit"), cells.text(30)),
    Column("year_started", "Tahun mulai usaha", ("tahun berdiri", "tahun mulai", "tahun", "year established"), cells.integer(min_value=1900, max_value=2100), empty=("0",), example=2015),
    Column("status", "Status", ("status usaha",), cells.choice(STATUSES, label=gettext_lazy("Status"))),
    Column("latitude", "Lintang", ("latitude", "lat"), _coord("-11.5", "6.5", gettext_lazy("Lintang"))),
    Column("longitude", "Bujur", ("longitude", "long", "lng", "lon"), _coord("94", "141.5", gettext_lazy("Bujur"))),
    Column("owner_name", "Nama pemilik", ("pemilik", "nama pemilik usaha", "pimpinan", "nama pimpinan", "penanggung jawab", "owner", "owner name", "contact person"), cells.text(150), example="Budi Santoso"),
    Column("owner_nik", "NIK pemilik", ("nik", "no ktp", "nomor ktp", "nik pemilik usaha"), cells.digits(16, label="NIK"), example="7471031207850001",
           help=gettext_lazy("16 angka. Format kolom sebagai Teks di Excel agar digit terakhir tidak hilang.")),
    Column("owner_gender", "Jenis kelamin pemilik", ("jenis kelamin", "jk", "l p", "gender", "sex"), cells.choice(GENDERS, label=gettext_lazy("Jenis kelamin")), example="L"),
    Column("phone", "Telepon", ("no telepon", "telp", "no telp", "hp", "no hp", "telepon hp", "telephone", "telephone number", "phone"), cells.phone, example="0812-3456-7890",
           help=gettext_lazy("Disimpan sebagai telepon pemilik. Nomor yang disamarkan (081*******) dianggap tidak diketahui.")),
)  # fmt: skip

UPDATABLE = (
    "legal_form", "address", "village_id", "district_id", "kbli_id", "commodity", "workforce_male", "workforce_female",
    "investment_value", "business_capital", "production_value", "turnover", "production_capacity", "capacity_unit",
    "year_started", "status", "latitude", "longitude",
)  # fmt: skip


def _norm_name(name: str) -> str:
    return " ".join(_tokens(name))


class BusinessImport(ImportKind):
    key = "business"
    label = gettext_lazy("Usaha (IKM) dan pelaku usaha")
    permission = "registry.import_business"
    columns = COLUMNS
    list_url_name = "registry:business_list"
    natural_key_help = gettext_lazy(
        "Baris dikenali sebagai usaha yang sudah ada bila NIB sama; tanpa NIB, bila NIK pemilik, nama usaha dan "
        "desa sama; tanpa keduanya, bila nama dan alamat sama di kabupaten/kota yang sama. Sel kosong tidak "
        "menghapus data yang tersimpan."
    )

    def option_fields(self, user: Any) -> dict[str, Any]:
        from django import forms

        from sentra.registry.filters import scoped_regencies

        regencies = list(scoped_regencies(user).values_list("code", "name"))
        return {
            "default_region": forms.ChoiceField(
                label=_("Kabupaten/kota bawaan"),
                choices=[("", _("— tidak ada: alamat harus menyebut kab/kota —")), *regencies],
                required=False,
                initial=regencies[0][0] if len(regencies) == 1 else "",
                help_text=_(
                    "Dipakai bila alamat tidak menyebut kabupaten/kota; baris seperti itu ditandai keyakinan rendah."
                ),
            )
        }

    # --- per run ---

    def start(self, ctx: ImportContext) -> None:
        ctx.cache["matcher"] = RegionMatcher()
        ctx.cache["kbli"] = KbliLookup()
        ctx.cache["default_region"] = (ctx.options or {}).get("default_region") or None

    def prepare_batch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        self._lookup(
            {r["nib"] for r in rows if r.get("nib")}, {r["owner_nik"] for r in rows if r.get("owner_nik")}, ctx
        )

    def _lookup(self, nibs: set[str], niks: set[str], ctx: ImportContext, batch: Batch | None = None) -> None:
        """Where the batch's NIBs and NIKs are already registered (one query each, deleted rows included). The
        stored businesses are kept for ``commit`` of the same batch, which then need not read them again."""
        stored = (
            {b["nib"]: b for b in Business._base_manager.filter(nib__in=_any_of(nibs)).values(*_EXISTING_FIELDS)}
            if nibs
            else {}
        )
        ctx.cache["nib_region"] = {nib: b["region_id"] for nib, b in stored.items()}
        ctx.cache["nib_rows"] = (batch, stored)
        ctx.cache["nik_region"] = (
            dict(Owner._base_manager.filter(nik__in=_any_of(niks)).values_list("nik", "region_id")) if niks else {}
        )

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        ok = batch.ok_indices()
        if not ok:
            return
        nibs, niks = batch.columns["nib"], batch.columns["owner_nik"]
        wanted = {nibs[i] for i in ok if nibs[i]}, {niks[i] for i in ok if niks[i]}
        # The checks that need no database first: a large import's previous batch is still being written on the
        # writer thread (core.importing.pipeline), and the lookup below waits for it.
        self._clean(batch, ok, ctx)
        self._lookup(*wanted, ctx, batch)
        self._check_stored(batch, ok, ctx)

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        """One row, by the same code as whole batches (``prepare_batch`` must have seen the row)."""
        batch = Batch([0], [[]], {key: [value] for key, value in row.items()})
        for column in self.columns:
            batch.column(column.key)
        self._clean(batch, [0], ctx)
        self._check_stored(batch, [0], ctx)
        if batch.errors:
            raise RowError(batch.errors[0])
        return batch.row(0)

    def _clean(self, batch: Batch, ok: list[int], ctx: ImportContext) -> None:
        """Legal form out of the name, location from the code or the address, KBLI, owner and NIB checks, for the
        rows ``ok`` of the batch. Locations and NIK checks are computed once per distinct value."""
        cols = batch.columns
        names, forms = cols["name"], cols["legal_form"]
        codes, addresses = cols["region_code"], cols["address"]
        villages, districts, regencies, provinces = (
            cols["village_name"], cols["district_name"], cols["regency_name"], cols["province_name"]
        )  # fmt: skip
        kblis, niks, genders, owners = cols["kbli"], cols["owner_nik"], cols["owner_gender"], cols["owner_name"]
        out_region, out_district, out_village = (
            batch.column("region"),
            batch.column("district_id"),
            batch.column("village_id"),
        )
        out_conf, out_place, out_kbli = batch.column("_confidence"), batch.column("_place"), batch.column("kbli_id")
        kbli_ids = ctx.cache["kbli"]
        locations = ctx.cache.setdefault("locations", {})
        if len(locations) > 200_000:
            locations.clear()
        nik_errors: dict[str, str | None] = {}
        perorangan = LegalForm.PERORANGAN
        for i in ok:
            errors: dict[str, str] = {}
            name, form = split_legal_form(names[i] or "")
            if not name:
                errors["name"] = _("Nama usaha kosong setelah bentuk usaha dipisahkan.")
            names[i] = name
            forms[i] = forms[i] or form or perorangan
            key = (codes[i], addresses[i], villages[i], districts[i], regencies[i], provinces[i])
            found = locations.get(key)
            if found is None:
                found = locations[key] = self._locate(key, ctx)
            location, confidence, place, location_errors = found
            if location_errors:
                errors.update(location_errors)
            out_region[i] = location[0]
            out_district[i], out_village[i] = location[1], location[2]
            out_conf[i], out_place[i] = confidence, place
            kbli = kblis[i]
            if kbli:
                kbli_id, message, unknown, note = kbli_ids.resolve(kbli)
                out_kbli[i] = kbli_id
                if unknown:
                    unknown_kbli(batch, i, kbli, errors, ctx)
                elif message:
                    errors["kbli"] = message
                elif note:
                    batch.column("_kbli_note")[i] = note
            else:
                out_kbli[i] = None
            nik = niks[i]
            if nik:
                if nik not in nik_errors:
                    try:
                        validate_nik(nik)
                        nik_errors[nik] = None
                    except ValidationError as exc:
                        nik_errors[nik] = " ".join(exc.messages)
                if nik_errors[nik]:
                    errors["owner_nik"] = nik_errors[nik]
            if (nik or genders[i]) and not owners[i]:
                errors["owner_name"] = _("Nama pemilik wajib diisi bila NIK atau jenis kelamin pemilik diisi.")
            if errors:
                batch.reject(i, errors)

    def _check_stored(self, batch: Batch, ok: list[int], ctx: ImportContext) -> None:
        """A NIB or NIK already registered in a region outside the user's scope (``_lookup`` read them)."""
        nib_region = ctx.cache.get("nib_region", {})
        nik_region = ctx.cache.get("nik_region", {})
        if not nib_region and not nik_region:
            return
        cols = batch.columns
        nibs, niks, regions = cols["nib"], cols["owner_nik"], cols["region"]
        allowed: dict[str | None, bool] = {}
        for i in ok:
            errors: dict[str, str] = {}
            nib, nik = nibs[i], niks[i]
            if nib and regions[i] and nib in nib_region:
                stored = nib_region[nib]
                if stored not in allowed:
                    allowed[stored] = ctx.region_allowed(stored)
                if not allowed[stored]:
                    errors["nib"] = nib_taken_message(ctx.user, None, nib)
            if nik and nik in nik_region:
                stored = nik_region[nik]
                if stored not in allowed:
                    allowed[stored] = ctx.region_allowed(stored)
                if not allowed[stored]:
                    errors["owner_nik"] = nik_taken_message(ctx.user, None)
            if errors:
                batch.reject(i, errors)

    def _locate(
        self, key: tuple[Any, ...], ctx: ImportContext
    ) -> tuple[tuple[str | None, str | None, str | None], str | None, str, dict[str, str]]:
        """(region, district, village), confidence, place shown in the preview, errors — for one combination
        of code and address cells. An explicit code wins; otherwise the address (plus any separate name
        columns) is matched."""
        code, address, village_name, district_name, regency_name, province_name = key
        matcher: RegionMatcher = ctx.cache["matcher"]
        errors: dict[str, str] = {}
        location: dict[str, str | None] = {"region": None, "district": None, "village": None}
        confidence = None
        if code:
            if len(code) >= 5 and code[:5] in matcher.names:
                matcher._load(code[:5])
            if len(code) < 5:
                errors["region_code"] = _("Kode wilayah harus sampai kabupaten/kota atau lebih rinci.")
            elif code not in matcher.names:
                errors["region_code"] = _("Kode wilayah {code} tidak ada dalam daftar Kemendagri.").format(code=code)
            else:
                location = {
                    "region": code[:5],
                    "district": code[:8] if len(code) >= 8 else None,
                    "village": code if len(code) > 8 else None,
                }
                confidence = "code"
        if confidence is None:
            text = ", ".join(
                p
                for p in (
                    address or "",
                    f"kel {village_name}" if village_name else "",
                    f"kec {district_name}" if district_name else "",
                    regency_name or "",
                    f"provinsi {province_name}" if province_name else "",
                )
                if p
            )
            location, confidence = matcher.match_cached(text, default_region=ctx.cache.get("default_region"))
            if confidence is None and "region_code" not in errors and location.get("candidates"):
                errors["address"] = _(
                    "Alamat '{address}' cocok dengan lebih dari satu kabupaten/kota: {candidates}. Tulis 'Kab.' atau "
                    "'Kota', nama kecamatan atau desa/kelurahan, atau kode wilayah."
                ).format(
                    address=(address or "")[:80],
                    candidates=", ".join(f"{matcher.display(c)} ({c})" for c in location["candidates"]),
                )
            elif confidence is None and "region_code" not in errors:
                errors["address"] = _(
                    "Kabupaten/kota tidak dapat dipastikan dari alamat '{address}'. Tambahkan nama kabupaten/kota "
                    "atau kode wilayah, atau pilih wilayah bawaan saat mengunggah."
                ).format(address=(address or "")[:80])
        where = location["village"] or location["district"] or location["region"]
        place = f"{where} {matcher.display(where)}" if where else ""
        return (location["region"], location["district"], location["village"]), confidence, place, errors

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def batch_keys(self, batch: Batch, indices: list[int]) -> list[Any]:
        cols = batch.columns
        return _natural_keys(
            [cols["nib"][i] for i in indices],
            [cols["owner_nik"][i] for i in indices],
            [cols["name"][i] for i in indices],
            [cols["village_id"][i] for i in indices],
            [cols["region"][i] for i in indices],
            [cols["address"][i] for i in indices],
        )

    def row_region(self, row: dict[str, Any]) -> str | None:
        return row.get("region")

    def natural_key(self, row: dict[str, Any]) -> Any:
        return _natural_keys(
            [row.get("nib")], [row.get("owner_nik")], [row["name"]], [row.get("village_id")], [row["region"]],
            [row.get("address")],
        )[0]  # fmt: skip

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        notes = []
        conf = row.get("_confidence")
        if conf:
            notes.append(
                _("Lokasi: {place} — keyakinan {level}").format(place=row.get("_place", ""), level=CONFIDENCE[conf])
            )
        if row.get("legal_form") and row["legal_form"] != LegalForm.PERORANGAN:
            notes.append(_("Bentuk usaha: {form}").format(form=LegalForm(row["legal_form"]).label))
        if row.get("_kbli_note"):
            notes.append(row["_kbli_note"])
        return notes

    # --- commit ---

    def _existing(
        self, cols: dict[str, list[Any]], by_nib: dict[str, dict[str, Any]] | None = None
    ) -> dict[Any, dict[str, Any]]:
        """Stored businesses (soft-deleted ones too) that these rows may update, keyed like ``natural_key``.
        ``by_nib``: the batch's stored businesses by NIB, when already read."""
        fields = _EXISTING_FIELDS
        found: dict[Any, dict[str, Any]] = {}
        nibs = {n for n in cols["nib"] if n}
        if nibs:
            if by_nib is None:
                by_nib = {b["nib"]: b for b in Business._base_manager.filter(nib__in=_any_of(nibs)).values(*fields)}
            for nib, b in by_nib.items():
                found[("nib", nib)] = b
        without = [i for i, n in enumerate(cols["nib"]) if not n]
        names = {cols["name"][i] for i in without}
        regions = {cols["region"][i] for i in without}
        if names:
            by_owner: dict[int, list[str]] = defaultdict(list)
            candidates = []
            for chunk in _chunks(sorted(names), 500):
                candidates.extend(
                    Business._base_manager.filter(name__in=chunk, region_id__in=regions).values(*set(fields))
                )
            ids = [b["id"] for b in candidates]
            for chunk in _chunks(ids, 500):
                for bid, nik in Ownership.objects.filter(business_id__in=chunk, owner__nik__isnull=False).values_list(
                    "business_id", "owner__nik"
                ):
                    by_owner[bid].append(nik)
            for b in candidates:
                if b["nib"]:
                    continue
                for nik in by_owner.get(b["id"], ()):
                    found.setdefault(("nik", nik, _norm_name(b["name"]), b["village_id"]), b)
                found.setdefault(("name", b["region_id"], _norm_name(b["name"]), _norm_name(b["address"])), b)
        return found

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        """Upsert clean rows: new businesses in one bulk insert (audited by one event per batch that lists every
        id and value), changed ones updated and audited one by one, soft-deleted ones matched by key restored."""
        by_nib = None
        if isinstance(rows, BatchRows):
            count = len(rows)
            cols = {key: rows.column(key) for key in _COMMIT_KEYS}
            checked, stored = ctx.cache.pop("nib_rows", (None, None))
            if checked is rows.batch:
                by_nib = stored  # read by clean_columns for this very batch, in this transaction
        else:
            rows = list(rows)
            count = len(rows)
            cols = {key: [r.get(key) for r in rows] for key in _COMMIT_KEYS}
        if not count:
            return CommitStats()
        stats = CommitStats()
        actor = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
        now = timezone.now()
        keys = _natural_keys(
            cols["nib"], cols["owner_nik"], cols["name"], cols["village_id"], cols["region"], cols["address"]
        )
        create_only = bool((ctx.options or {}).get("create_only"))
        existing = {} if create_only else self._existing(cols, by_nib)
        # Owners by id beside the owner columns (the REST API; checked for scope by the caller): {row: [owner id]}.
        extra_owners = _extra_owners(rows)
        row_ids: list[Any] = [None] * count
        owner_names, owner_niks, regions = cols["owner_name"], cols["owner_nik"], cols["region"]
        owners = self._owners(
            [{key: cols[key][i] for key in _OWNER_KEYS} for i in range(count) if owner_names[i]], ctx, now
        )

        def owner_of(i: int) -> int | None:
            if not owner_names[i]:
                return None
            return owners.get(owner_niks[i] or ("name", owner_names[i], regions[i]))

        new_rows: list[int] = []
        updates: list[tuple[dict[str, Any], dict[str, list[Any]], bool]] = []
        wanted_links: set[tuple[int, int]] = set()
        for i, key in enumerate(keys):
            stored = existing.get(key) if existing else None
            if stored is None:
                new_rows.append(i)
                continue
            row_ids[i] = stored["id"]
            changes = {}
            for field in UPDATABLE:
                value = cols[field][i]
                if value in (None, ""):
                    continue
                if field == "legal_form" and value == LegalForm.PERORANGAN and stored[field]:
                    continue  # "no form in the name" does not erase a known form
                if stored[field] != value:
                    changes[field] = [_audit(stored[field]), _audit(value)]
                    stored[field] = value
            restore = stored["deleted_at"] is not None
            if changes or restore:
                updates.append((stored, changes, restore))
                stored["deleted_at"] = None
            else:
                stats.unchanged += 1
            owner_id = owner_of(i)
            if owner_id:
                wanted_links.add((stored["id"], owner_id))
        if wanted_links:
            have = set()
            for chunk in _chunks(sorted({b for b, _o in wanted_links}), 500):
                have.update(Ownership.objects.filter(business_id__in=chunk).values_list("business_id", "owner_id"))
            missing = sorted(wanted_links - have)
            if missing:
                link_ids = reserve_ids(Ownership, len(missing))
                ModelWriter(Ownership).insert(
                    [
                        {"id": pk, "business_id": b, "owner_id": o, "role": "owner"}
                        for pk, (b, o) in zip(link_ids, missing, strict=True)
                    ]
                )
        if new_rows:
            chosen = new_rows if len(new_rows) < count else None
            created = self._insert(cols, chosen, actor, now, owner_of, extra_owners)
            for i, pk in zip(new_rows, created, strict=True):
                row_ids[i] = pk
            stats.created += len(new_rows)
        if updates:
            self._update(updates, actor, now)
            stats.updated += len(updates)
        notify_changed(Business, set(regions))
        stats.ids = row_ids
        return stats

    def _insert(
        self,
        cols: dict[str, list[Any]],
        chosen: list[int] | None,
        actor: Any,
        now: Any,
        owner_of: Any,
        extra_owners: dict[int, list[int]] | None = None,
    ) -> list[int]:
        """New businesses: one INSERT/COPY with reserved ids, built column by column, and one audit event.
        Returns the new ids in the order of the rows."""
        c = cols if chosen is None else {key: [col[i] for i in chosen] for key, col in cols.items()}
        count = len(c["name"])
        ids = reserve_ids(Business, count)
        male, female = c["workforce_male"], c["workforce_female"]
        classes = [
            size_classes(None if m is None and f is None else (m or 0) + (f or 0), inv, sales, capital)
            for m, f, inv, sales, capital in zip(
                male, female, c["investment_value"], c["turnover"], c["business_capital"], strict=True
            )
        ]
        record = {
            "id": ids,
            "created_at": now,
            "updated_at": now,
            "region_id": c["region"],
            "version": 1,
            "name": c["name"],
            "legal_form": c["legal_form"],
            "nib": c["nib"],
            "address": [v or "" for v in c["address"]],
            "village_id": c["village_id"],
            "district_id": c["district_id"],
            "latitude": c["latitude"],
            "longitude": c["longitude"],
            "kbli_id": c["kbli_id"],
            "kbli_version": "2020",
            "commodity": [v or "" for v in c["commodity"]],
            "workforce_male": male,
            "workforce_female": female,
            "investment_value": c["investment_value"],
            "business_capital": c["business_capital"],
            "production_capacity": c["production_capacity"],
            "capacity_unit": [v or "" for v in c["capacity_unit"]],
            "production_value": c["production_value"],
            "turnover": c["turnover"],
            "year_started": c["year_started"],
            "status": [v or BusinessStatus.ACTIVE for v in c["status"]],
            "size_class": [k[0] for k in classes],
            "umkm_class": [k[1] for k in classes],
            "created_by_id": actor.pk if actor else None,
        }
        ModelWriter(Business).insert_columns(record, count)
        indices = range(count) if chosen is None else chosen
        links = [(pk, o) for pk, o in zip(ids, map(owner_of, indices), strict=True) if o]
        owners_audit: list[list[int]] | None = None
        if extra_owners:
            owners_audit = []
            for pk, i in zip(ids, indices, strict=True):
                linked = list(dict.fromkeys([*extra_owners.get(i, ()), *filter(None, [owner_of(i)])]))
                links.extend((pk, o) for o in linked if o != owner_of(i))
                owners_audit.append(linked or None)
        if links:
            link_ids = reserve_ids(Ownership, len(links))
            ModelWriter(Ownership).insert(
                [
                    {"id": pk, "business_id": b, "owner_id": o, "role": "owner"}
                    for pk, (b, o) in zip(link_ids, links, strict=True)
                ]
            )
        audited = {name: record[name] for name in _AUDITED}
        if owners_audit is not None:
            audited["owners"] = owners_audit
        audit_bulk_created(
            actor=actor,
            action="registry.business.created",
            model=Business,
            ids=ids,
            columns={
                name: (list(map(_audit, values)) if name in _MONEY_AUDITED else values)
                for name, values in audited.items()
            },
            summary=_("{count} usaha dibuat lewat impor").format(count=count),
        )
        return ids

    def _owners(self, rows: list[dict[str, Any]], ctx: ImportContext, now: Any) -> dict[Any, int]:
        """Owner ids for the rows that name one: existing by NIK, otherwise created (one per NIK, or per name
        in the regency for owners without NIK)."""
        wanted = [r for r in rows if r.get("owner_name")]
        if not wanted:
            return {}
        result: dict[Any, int] = {}
        niks = {r["owner_nik"] for r in wanted if r.get("owner_nik")}
        for chunk in _chunks(sorted(niks), 500):
            result.update(Owner.objects.filter(nik__in=chunk).values_list("nik", "id"))
        no_nik = {(r["owner_name"], r["region"]) for r in wanted if not r.get("owner_nik")}
        if no_nik:
            for name, region, pk in Owner.objects.filter(
                nik__isnull=True, full_name__in={n for n, _r in no_nik}, region_id__in={r for _n, r in no_nik}
            ).values_list("full_name", "region_id", "id"):
                result.setdefault(("name", name, region), pk)
        actor = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
        new: dict[Any, dict[str, Any]] = {}
        for r in wanted:
            key = r.get("owner_nik") or ("name", r["owner_name"], r["region"])
            if key in result or key in new:
                continue
            new[key] = {
                "full_name": r["owner_name"],
                "nik": r.get("owner_nik"),
                "gender": r.get("owner_gender") or "",
                "phone": (r.get("phone") or "")[:16],
                "address": r.get("address") or "",
                "village_id": r.get("village_id"),
                "region_id": r["region"],
                "created_at": now,
                "updated_at": now,
            }
        if new:
            ids = reserve_ids(Owner, len(new))
            records = []
            events = []
            for pk, (key, record) in zip(ids, new.items(), strict=True):
                record["id"] = pk
                records.append(record)
                result[key] = pk
                events.append(
                    (pk, record["full_name"], record["region_id"], {"full_name": [None, record["full_name"]]})
                )
            ModelWriter(Owner).insert(records)
            audit_bulk(actor=actor, action="registry.owner.created", model=Owner, events=events)
        return result

    def _update(self, updates: list[tuple[dict[str, Any], dict[str, list[Any]], bool]], actor: Any, now: Any) -> None:
        events, restored = [], []
        concrete = {f.attname: f for f in Business._meta.concrete_fields}
        actor_obj = actor if getattr(actor, "is_authenticated", False) else None
        returning = " RETURNING version" if connection.features.can_return_rows_from_bulk_insert else ""
        with connection.cursor() as cursor:
            for stored, changes, restore in updates:
                business = Business(**{k: v for k, v in stored.items() if k in concrete})
                business.recompute_classes()
                sets = {name: stored[name] for name in changes}
                sets["size_class"], sets["umkm_class"] = business.size_class, business.umkm_class
                if restore:
                    sets["deleted_at"], sets["deleted_by_id"] = None, None
                assignments = ", ".join(f"{connection.ops.quote_name(concrete[k].column)} = %s" for k in sets)
                params = [concrete[k].get_db_prep_save(v, connection) for k, v in sets.items()]
                cursor.execute(
                    f"UPDATE {Business._meta.db_table} SET {assignments}, version = version + 1, updated_at = %s WHERE id = %s{returning}",  # noqa: S608
                    [*params, concrete["updated_at"].get_db_prep_save(now, connection), stored["id"]],
                )
                # One UPDATE, one version step: its events carry the version it produced (read back where the
                # database can: another transaction may have changed the row since this batch read it).
                version = cursor.fetchone()[0] if returning else stored["version"] + 1
                if restore:
                    restored.append((stored["id"], stored["name"], stored["region_id"], {}, version))
                if changes:
                    events.append((stored["id"], stored["name"], stored["region_id"], changes, version))
        if restored:
            audit_bulk(actor=actor_obj, action="registry.business.restored", model=Business, events=restored)
        if events:
            audit_bulk(actor=actor_obj, action="registry.business.updated", model=Business, events=events)

    def code_sheets(self) -> dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]:
        kbli = (
            Kbli.objects.filter(version="2020", level=5, is_manufacturing=True)
            .order_by("code")
            .values_list("code", "title")
        )
        regencies = Region.objects.filter(level=RegionLevel.REGENCY).order_by("code").values_list("code", "name")
        return {
            _("Kode KBLI"): (("KBLI", _("Judul")), kbli),
            _("Kode kab-kota"): ((_("Kode wilayah"), _("Nama")), regencies),
            _("Bentuk usaha"): ((_("Nilai"), _("Arti")), [(c.label, c.value) for c in LegalForm]),
        }


_AUDITED = {"name", "nib", "legal_form", "address", "region_id", "district_id", "village_id", "kbli_id", "commodity",
            "workforce_male", "workforce_female", "investment_value", "business_capital", "turnover", "status"}  # fmt: skip


def _audit(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def size_classes(
    workers: int | None, investment: Decimal | None, turnover: Decimal | None, capital: Decimal | None
) -> tuple[str, str]:
    """The stored classes, by the same rules and thresholds as ``registry.classification`` (docs/domain.md §1), without
    building the explanation text (the import computes them for every row). Tested against it."""
    industry = ""
    if workers is not None and investment is not None:
        if workers <= IK_MAX_WORKERS:
            industry = SizeClass.KECIL if investment < IK_INVESTMENT_LIMIT else SizeClass.MENENGAH
        else:
            industry = SizeClass.MENENGAH if investment <= IM_INVESTMENT_LIMIT else SizeClass.BESAR
    umkm = ""
    amount, limits = (turnover, UMKM_SALES_LIMITS) if turnover is not None else (capital, UMKM_CAPITAL_LIMITS)
    if amount is not None:
        umkm = UmkmClass.BESAR
        for limit, klass in limits:
            if amount <= limit:
                umkm = klass
                break
    return str(industry), str(umkm)


_EXISTING_FIELDS = ("id", "nib", "name", "address", "region_id", "village_id", "version", "deleted_at", *UPDATABLE)
_MONEY_AUDITED = {"investment_value", "business_capital", "turnover"}
_OWNER_KEYS = ("owner_name", "owner_nik", "owner_gender", "phone", "address", "village_id", "region")
_COMMIT_KEYS = tuple(
    dict.fromkeys((*(c.key for c in COLUMNS), "region", "district_id", "village_id", "kbli_id", *UPDATABLE))
)


def _natural_keys(
    nibs: Sequence[Any],
    niks: Sequence[Any],
    names: Sequence[Any],
    villages: Sequence[Any],
    regions: Sequence[Any],
    addresses: Sequence[Any],
) -> list[Any]:
    """``natural_key`` for columns of rows: the NIB; else owner NIK + business name + village; else region +
    business name + address."""
    keys: list[Any] = []
    append = keys.append
    for nib, nik, name, village, region, address in zip(nibs, niks, names, villages, regions, addresses, strict=True):
        if nib:
            append(("nib", nib))
        elif nik:
            append(("nik", nik, _norm_name(name), village))
        else:
            append(("name", region, _norm_name(name), _norm_name(address or "")))
    return keys


def _extra_owners(rows: Sequence[dict[str, Any]]) -> dict[int, list[int]]:
    """The optional ``owner_ids`` column (lists of existing owner ids, given by the REST API), by row index."""
    if isinstance(rows, BatchRows):
        if "owner_ids" not in rows.batch.columns:
            return {}
        values = rows.column("owner_ids")
    else:
        values = [r.get("owner_ids") for r in rows]
    return {i: list(v) for i, v in enumerate(values) if v}


def _any_of(values: Iterable[Any]) -> Any:
    """The right-hand side of an ``__in`` lookup for many text values in one query and one parameter (SQLite caps
    the number of parameters; PostgreSQL drivers spend long preparing thousands of them)."""
    values = list(values)
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", [values])  # one array parameter, not thousands
    return values


def _chunks(items: Sequence[Any] | list[Any], size: int) -> Iterable[list[Any]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def register() -> None:
    from sentra.core.importing import register_kind

    register_kind(BusinessImport())
