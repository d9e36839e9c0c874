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

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, RowError, cells
from sentra.core.importing.kinds import Batch, BatchRows, default_region_option
from sentra.core.validators import normalize_phone, validate_nik
from sentra.regions.addresses import CONFIDENCE, RegionMatcher, split_phone_tail
from sentra.regions.models import Kbli, Region, RegionLevel
from sentra.registry import legal_forms, services
from sentra.registry.choices import BusinessStatus, Gender, LegalForm
from sentra.registry.models import Business, Owner
from sentra.registry.services import EXISTING_FIELDS, any_of, natural_keys, nib_taken_message, nik_taken_message

# --- Legal form in the name ------------------------------------------------------------------------------------

split_form = legal_forms.split_legal_form


def split_legal_form(name: str) -> tuple[str, str | None]:
    """``"Ab Brother, CV"`` → (``"Ab Brother"``, ``"cv"``); ``"PT. Maju"`` → (``"Maju"``, ``"pt"``). The rules are
    ``registry.legal_forms``; the import also reports an unknown form-like word (``_clean``)."""
    split = legal_forms.split_legal_form(cells.cell_text(name))
    return split.name, split.form


# --- Addresses → region codes -----------------------------------------------------------------------------------
# The address matcher belongs to the regions app (``sentra.regions.addresses``): ``RegionMatcher``, its
# ``CONFIDENCE`` labels and ``split_phone_tail`` are imported from there.


# --- The kind ---------------------------------------------------------------------------------------------------

GENDERS = {"l": Gender.MALE, "laki-laki": Gender.MALE, "laki laki": Gender.MALE, "pria": Gender.MALE, "male": Gender.MALE, "m": Gender.MALE,
           "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE, "female": Gender.FEMALE, "f": Gender.FEMALE, "w": Gender.FEMALE}  # fmt: skip
STATUSES = {"aktif": BusinessStatus.ACTIVE, "active": BusinessStatus.ACTIVE, "tidak aktif": BusinessStatus.INACTIVE,
            "nonaktif": BusinessStatus.INACTIVE, "inactive": BusinessStatus.INACTIVE, "tutup": BusinessStatus.CLOSED,
            "closed": BusinessStatus.CLOSED}  # fmt: skip
money = cells.number()


class KbliDigits(str):
    """The digits of a KBLI cell that also remember the cell as typed (``typed``): an unknown code is kept and
    reported exactly as the register wrote it (``31.001``), while the lookup works on the digits (``31001``)."""

    typed: str

    def __new__(cls, digits: str, typed: str) -> KbliDigits:
        obj = super().__new__(cls, digits)
        obj.typed = typed
        return obj


def kbli_code(value: Any) -> str | None:
    """The KBLI digits as typed: 5 (kelompok) or 4 (a subgolongan, or a kelompok whose leading zero Excel dropped:
    ``1111`` for ``01111``); ``31001.0`` is ``31001``. What the digits mean is decided against KBLI 2020
    (:class:`KbliLookup`), and every message quotes them as the officer typed them (:class:`KbliDigits`)."""
    typed = cells.cell_text(value).strip()
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
    return KbliDigits(text, typed)


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


def unknown_kbli(batch: Batch, index: int, typed: str) -> None:
    """A code KBLI 2020 does not have: the row is valid. The business is saved without a main KBLI and the code is
    kept as typed in ``Business.kbli_unmatched`` (shown on its page until an officer picks the main KBLI), with a
    warning that the preview, the result page and the file of rows to check list and count. Both modes keep the
    row: refusing a whole register for a code an officer can correct later loses more than it protects."""
    written = getattr(typed, "typed", typed) or str(typed)
    batch.column("kbli_unmatched")[index] = written[:20]
    batch.warn(
        index,
        {
            "kbli": _(
                "KBLI '{typed}' tidak ada dalam KBLI 2020; usaha disimpan tanpa KBLI utama dan kode ini dicatat "
                "sebagai KBLI tidak dikenal. Pilih KBLI utama di halaman usaha."
            ).format(typed=written)
        },
    )


def _phone_cell(value: Any) -> str | None:
    """A phone cell as written (``_clean`` reads it, so that a masked or second number is reported, not dropped);
    a number Excel stored as a number gets its leading zero back here."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cells.phone(value)
    text = cells.cell_text(value)
    return None if text in cells.EMPTY else text[:80]


_DIGIT = re.compile(r"\d")
_PHONE_SPLIT = re.compile(r"\s*(?:/|;|,|\batau\b)\s*")
_email_check = EmailValidator()
_url_check = URLValidator(schemes=("http", "https"))


def _take_phone(raw: str, label: str, errors: dict[str, str], warnings: dict[str, str], key: str) -> str | None:
    """The first number of a phone cell, normalised; a masked number is unknown and a second one is not kept,
    both with a warning; a number that is not one refuses the row."""
    first, *others = _PHONE_SPLIT.split(raw.strip())
    if cells.MASKED_PHONE.search(first):
        warnings[key] = _("{label} disamarkan ({value}): disimpan sebagai tidak diketahui.").format(
            label=label, value=first
        )
        return None
    try:
        number = normalize_phone(cells.phone(first) or "")  # E.164, as the pages store it
    except ValidationError as exc:
        errors[key] = " ".join(exc.messages)
        return None
    others = [o for o in others if o]
    if others:
        warnings[key] = _("{label}: hanya nomor pertama yang disimpan; {others} tidak disimpan.").format(
            label=label, others=", ".join(others)
        )
    return number


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
           legal_forms.parse_legal_form, example="CV"),
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
    Column("owner_phone", "Telepon pemilik", ("hp pemilik", "no hp pemilik", "telepon pemilik", "telp pemilik", "owner phone"), _phone_cell, example="0812-3456-7890",
           help=gettext_lazy("Nomor pribadi pemilik; disamarkan di layar. Nomor yang disamarkan (081*******) dianggap tidak diketahui.")),
    Column("phone", "Telepon", ("telepon usaha", "no telepon", "telp", "no telp", "hp", "no hp", "telepon hp", "telephone", "telephone number", "phone", "whatsapp", "wa"), _phone_cell, example="0401-312345",
           help=gettext_lazy("Telepon usaha. Nomor di akhir alamat (Telp. 0401-312345) dipindah ke sini. Nomor yang disamarkan (081*******) dianggap tidak diketahui; nomor kedua tidak disimpan (diberi peringatan).")),
    Column("email", "Surel", ("email", "e mail", "surel", "alamat email", "email usaha"), cells.text(254), example="ikm@contoh.id",
           help=gettext_lazy("Surel usaha. Alamat yang tidak valid tidak disimpan (diberi peringatan).")),
    Column("website", "Situs web", ("website", "web", "situs", "laman", "url", "homepage"), cells.text(200), example="https://contoh.id"),
)  # fmt: skip


class NikChecks(dict[str, str | None]):
    """A file's NIKs, each checked once: a person on many rows is validated once (the message, or ``None``)."""

    def error(self, nik: str) -> str | None:
        if nik not in self:
            try:
                validate_nik(nik)
                self[nik] = None
            except ValidationError as exc:
                self[nik] = " ".join(exc.messages)
        return self[nik]


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
        return default_region_option(
            user,
            empty_label=_("— tidak ada: alamat harus menyebut kab/kota —"),
            help_text=_(
                "Dipakai bila alamat tidak menyebut kabupaten/kota; baris seperti itu ditandai keyakinan rendah."
            ),
        )

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
            {b["nib"]: b for b in Business._base_manager.filter(nib__in=any_of(nibs)).values(*EXISTING_FIELDS)}
            if nibs
            else {}
        )
        ctx.cache["nib_region"] = {nib: b["region_id"] for nib, b in stored.items()}
        ctx.cache["nib_rows"] = (batch, stored)
        ctx.cache["nik_region"] = (
            dict(Owner._base_manager.filter(nik__in=any_of(niks)).values_list("nik", "region_id")) if niks else {}
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
        # Regions and KBLI were resolved from what the run read at its start: one that is gone since is this row's
        # error, not a failed COMMIT. Inside the import's transaction the found rows stay locked until it ends.
        ok = batch.ok_indices()
        cols = batch.columns
        for i, errors in services.business_reference_errors(
            {key: [cols[key][i] for i in ok] for key in ("region", "district_id", "village_id", "kbli_id")},
            typed_kbli=[cols["kbli"][i] for i in ok],
        ).items():
            batch.reject(ok[i], errors)

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
        nik_errors = NikChecks()
        perorangan = LegalForm.PERORANGAN
        phones, owner_phones = batch.column("phone"), batch.column("owner_phone")
        emails, websites = batch.column("email"), batch.column("website")
        for i in ok:
            errors: dict[str, str] = {}
            warnings: dict[str, str] = {}
            split = split_form(names[i] or "")
            if not split.name:
                errors["name"] = _("Nama usaha kosong setelah bentuk usaha dipisahkan.")
            names[i] = split.name
            if split.unknown:
                # Left in the name, and the form left unknown: never taken to mean perorangan.
                warnings["legal_form"] = _(
                    "'{word}' tidak dikenal sebagai bentuk usaha: dibiarkan di nama, bentuk usaha dikosongkan."
                ).format(word=split.unknown)
            if forms[i] == "":  # the cell says the form is not known (as the export writes it)
                forms[i] = split.form or ""
            else:
                forms[i] = forms[i] or split.form or ("" if split.unknown else perorangan)
            address = addresses[i]
            if address and _DIGIT.search(address, len(address) - 40):  # a phone ends in digits (masked: 081***)
                self._phone_in_address(batch, i, warnings)
            if phones[i]:
                phones[i] = _take_phone(phones[i], _("Telepon"), errors, warnings, "phone")
            if owner_phones[i]:
                if owners[i]:
                    owner_phones[i] = _take_phone(
                        owner_phones[i], _("Telepon pemilik"), errors, warnings, "owner_phone"
                    )
                else:
                    warnings["owner_phone"] = _("Telepon pemilik tidak disimpan: nama pemilik kosong.")
                    owner_phones[i] = None
            if emails[i]:
                self._check_contact(emails, i, _email_check, _("Surel"), warnings, "email")
            if websites[i]:
                self._check_contact(websites, i, _url_check, _("Situs web"), warnings, "website")
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
                    unknown_kbli(batch, i, kbli)
                elif message:
                    errors["kbli"] = message
                elif note:
                    batch.column("_kbli_note")[i] = note
            else:
                out_kbli[i] = None
            nik = niks[i]
            if nik and (nik_error := nik_errors.error(nik)):
                errors["owner_nik"] = nik_error
            if (nik or genders[i]) and not owners[i]:
                errors["owner_name"] = _("Nama pemilik wajib diisi bila NIK atau jenis kelamin pemilik diisi.")
            if errors:
                batch.reject(i, errors)
            elif warnings:
                batch.warn(i, warnings)

    @staticmethod
    def _phone_in_address(batch: Batch, i: int, warnings: dict[str, str]) -> None:
        """A phone number at the end of the address moves to the phone column (when that is empty) and leaves the
        address; a masked one is removed and reported; the address is matched without it."""
        addresses, phones = batch.columns["address"], batch.columns["phone"]
        rest, number, masked = split_phone_tail(addresses[i])
        if not number and not masked:
            return
        addresses[i] = rest
        if masked:
            warnings["address"] = _("Nomor telepon yang disamarkan di akhir alamat dihapus: tidak disimpan.")
        elif not phones[i]:
            phones[i] = number
        else:
            warnings["address"] = _(
                "Nomor telepon di akhir alamat ({number}) dihapus dari alamat; kolom Telepon sudah berisi nomor, "
                "jadi nomor ini tidak disimpan."
            ).format(number=number)

    @staticmethod
    def _check_contact(values: list[Any], i: int, check: Any, label: str, warnings: dict[str, str], key: str) -> None:
        value = values[i].strip()
        if key == "website" and "://" not in value:
            value = "https://" + value  # as the form assumes
        if key == "email":
            value = value.lower()
        try:
            check(value)
        except ValidationError:
            warnings[key] = _("{label} '{value}' tidak valid: tidak disimpan.").format(label=label, value=values[i])
            values[i] = None
        else:
            values[i] = value

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
        return natural_keys(
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
        return natural_keys(
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

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        """Hand the clean rows, as columns, to the registry's one write path (``services.business_bulk_write``):
        new businesses in one bulk insert and one audit event, changed ones updated and audited one by one,
        soft-deleted ones matched by key restored."""
        by_nib = None
        if isinstance(rows, BatchRows):
            count = len(rows)
            present = rows.batch.columns
            cols = {key: rows.column(key) for key in _COMMIT_KEYS if key in present}
            checked, stored = ctx.cache.pop("nib_rows", (None, None))
            if checked is rows.batch:
                by_nib = stored  # read by clean_columns for this very batch, in this transaction
        else:
            rows = list(rows)
            count = len(rows)
            cols = {key: [r.get(key) for r in rows] for key in _COMMIT_KEYS}
        if not count:
            return CommitStats()
        written = services.business_bulk_write(
            actor=ctx.user,
            columns=cols,
            count=count,
            create_only=bool((ctx.options or {}).get("create_only")),
            stored_by_nib=by_nib,
            extra_owners=_extra_owners(rows),
            note="" if (ctx.options or {}).get("create_only") else "impor",  # the bulk API passes create_only
        )
        return CommitStats(
            created=written.created, updated=written.updated, unchanged=written.unchanged, ids=written.ids
        )

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


_COMMIT_KEYS = services.WRITE_KEYS


def _extra_owners(rows: Sequence[dict[str, Any]]) -> dict[int, list[int]]:
    """The optional ``owner_ids`` column (lists of existing owner ids, given by the REST API), by row index."""
    if isinstance(rows, BatchRows):
        if "owner_ids" not in rows.batch.columns:
            return {}
        values = rows.column("owner_ids")
    else:
        values = [r.get("owner_ids") for r in rows]
    return {i: list(v) for i, v in enumerate(values) if v}


def register() -> None:
    from sentra.core.importing import register_kind

    register_kind(BusinessImport())
