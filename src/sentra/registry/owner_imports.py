"""The owner import kind (``registry_owner``): business people (pelaku usaha) from a spreadsheet.

Registered from ``RegistryConfig.ready()`` beside the business kind, whose cell parsers and address matching it
shares. One row per person, recognised by NIK: a NIK the registry holds in the user's scope updates that owner
(empty cells never erase stored values, so the same file twice changes nothing); a new NIK registers the owner
through the registry's bulk write path (``services.owner_bulk_write``, which creates owners exactly as the
business import does); a NIK held outside the user's scope is refused with the registry's neutral message, so the
import cannot be used to learn where a person is registered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, cells
from sentra.core.importing.kinds import Batch, BatchRows
from sentra.regions.addresses import CONFIDENCE, RegionMatcher
from sentra.registry import services
from sentra.registry.imports import GENDERS, BusinessImport, NikChecks, _email_check, _phone_cell, _take_phone
from sentra.registry.models import Owner
from sentra.registry.services import OWNER_EXISTING_FIELDS, any_of, nik_taken_message

COLUMNS = (
    Column("owner_nik", "NIK", ("nik pemilik", "no ktp", "nomor ktp", "nomor induk kependudukan", "nik pelaku usaha", "id number"),
           cells.digits(16, label="NIK"), required=True, example="7471031207850001",
           help=gettext_lazy("16 angka; format kolom sebagai Teks di Excel agar digit terakhir tidak hilang. Kunci: "
                             "baris dengan NIK yang sama memperbarui orang yang sama.")),
    Column("owner_name", "Nama lengkap", ("nama", "nama pemilik", "nama pelaku usaha", "nama sesuai ktp", "full name", "name"),
           cells.text(150), required=True, example="Budi Santoso"),
    Column("owner_gender", "Jenis kelamin", ("jk", "l p", "gender", "sex"), cells.choice(GENDERS, label=gettext_lazy("Jenis kelamin")), example="L"),
    Column("owner_birth_date", "Tanggal lahir", ("tgl lahir", "tanggal lahir", "date of birth", "birth date"), cells.date(), example="12/07/1985"),
    Column("owner_phone", "Telepon", ("no hp", "hp", "no telepon", "telp", "no telp", "whatsapp", "wa", "phone", "mobile"), _phone_cell, example="0812-3456-7890",
           help=gettext_lazy("Nomor yang disamarkan (081*******) dianggap tidak diketahui; nomor kedua tidak disimpan (diberi peringatan).")),
    Column("owner_email", "Surel", ("email", "e mail", "alamat email"), cells.text(254), example="budi@contoh.id"),
    Column("address", "Alamat", ("alamat rumah", "alamat lengkap", "alamat ktp", "address"), cells.text_cut(300),
           example="Jl. Poros Lepo-Lepo No. 12, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
           help=gettext_lazy("Sebutkan desa/kelurahan, kecamatan dan kabupaten/kota agar lokasi dapat dicocokkan.")),
    Column("village_name", "Desa/kelurahan", ("desa", "kelurahan", "desa kelurahan", "kel desa", "village"), cells.text(100)),
    Column("district_name", "Kecamatan", ("kec", "district", "sub district"), cells.text(100)),
    Column("regency_name", "Kabupaten/kota", ("kabupaten", "kota", "kab kota", "kabupaten kota", "regency", "city"), cells.text(100)),
    Column("province_name", "Provinsi", ("propinsi", "province"), cells.text(100)),
    Column("region_code", "Kode wilayah", ("kode desa", "kode kelurahan", "kode kecamatan", "kode kab kota", "region code"),
           cells.region_code, example="74.71.03.1002", help=gettext_lazy("Kode Kemendagri tingkat apa pun (74.71 atau 7471031002).")),
)  # fmt: skip

_LOCATION_KEYS = ("region_code", "address", "village_name", "district_name", "regency_name", "province_name")
_COMMIT_KEYS = ("owner_nik", "owner_name", "owner_gender", "owner_birth_date", "owner_phone", "owner_email",
                "address", "village_id", "region")  # fmt: skip


class OwnerImport(ImportKind):
    key = "registry_owner"
    label = gettext_lazy("Pelaku usaha")
    permission = "registry.import_business"
    columns = COLUMNS
    list_url_name = "registry:owner_list"
    natural_key_help = gettext_lazy(
        "Baris dikenali sebagai pelaku usaha yang sudah ada bila NIK sama. Sel kosong tidak menghapus data yang "
        "tersimpan."
    )

    # The address is read as the business kind reads it (same matcher, same messages).
    _locate = BusinessImport._locate
    option_fields = BusinessImport.option_fields

    def start(self, ctx: ImportContext) -> None:
        ctx.cache["matcher"] = RegionMatcher()
        ctx.cache["default_region"] = (ctx.options or {}).get("default_region") or None

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        ok = batch.ok_indices()
        if not ok:
            return
        cols = batch.columns
        niks, phones, emails = cols["owner_nik"], cols["owner_phone"], cols["owner_email"]
        location_cols = [cols[key] for key in _LOCATION_KEYS]
        out_region, out_village = batch.column("region"), batch.column("village_id")
        out_place, out_conf = batch.column("_place"), batch.column("_confidence")
        located: dict[tuple[Any, ...], Any] = {}
        nik_errors = NikChecks()
        no_place: list[int] = []
        # The checks that need no database first (a previous batch may still be written on the writer thread).
        for i in ok:
            errors: dict[str, str] = {}
            warnings: dict[str, str] = {}
            nik = niks[i]
            if nik_error := nik_errors.error(nik):
                errors["owner_nik"] = nik_error
            if phones[i]:
                phones[i] = _take_phone(phones[i], _("Telepon"), errors, warnings, "owner_phone")
            if emails[i]:
                email = emails[i].strip().lower()
                try:
                    _email_check(email)
                    emails[i] = email
                except ValidationError:
                    errors["owner_email"] = _("Surel '{value}' tidak valid.").format(value=emails[i])
            code, address, village, district, regency, province = (col[i] for col in location_cols)
            key = (code, address, village, district, regency, province)
            if any(key):
                found = located.get(key)
                if found is None:
                    found = located[key] = self._locate(key, ctx)
                (region, _district, village_id), confidence, place, location_errors = found
                errors.update(location_errors)
                out_region[i], out_village[i], out_conf[i], out_place[i] = region, village_id, confidence, place
            else:
                no_place.append(i)
            if errors:
                batch.reject(i, errors)
            elif warnings:
                batch.warn(i, warnings)
        # One query: the stored owners of the batch's NIKs, deleted ones included.
        wanted = {niks[i] for i in ok if i not in batch.errors}
        stored = (
            {o["nik"]: o for o in Owner._base_manager.filter(nik__in=any_of(wanted)).values(*OWNER_EXISTING_FIELDS)}
            if wanted
            else {}
        )
        ctx.cache["owner_rows"] = (batch, stored)
        default_region = ctx.cache.get("default_region")
        allowed: dict[str, bool] = {}
        missing = set(no_place)
        for i in ok:
            if i in batch.errors:
                continue
            known = stored.get(niks[i])
            if known is not None:
                region = known["region_id"]
                if region not in allowed:
                    allowed[region] = ctx.region_allowed(region)
                if not allowed[region]:
                    batch.reject(i, {"owner_nik": nik_taken_message(ctx.user, None)})
                    continue
                if known["deleted_at"] is not None:
                    batch.reject(
                        i,
                        {
                            "owner_nik": _(
                                "NIK ini milik pelaku usaha yang sudah dihapus dari registri ({name}). Pulihkan "
                                "datanya dari registri, jangan didaftarkan ulang."
                            ).format(name=known["full_name"])
                        },
                    )
                    continue
                if i in missing:
                    out_region[i] = region  # no address in the row: the person stays where they are
            elif i in missing:
                if default_region:
                    out_region[i], out_conf[i] = default_region, "default"
                    out_place[i] = f"{default_region} {ctx.cache['matcher'].display(default_region)}"
                else:
                    batch.reject(
                        i,
                        {
                            "address": _(
                                "Pelaku usaha baru perlu alamat dengan kabupaten/kota, desa/kelurahan, atau kode "
                                "wilayah (atau pilih kabupaten/kota bawaan saat mengunggah)."
                            )
                        },
                    )

    def row_region(self, row: dict[str, Any]) -> str | None:
        return row.get("region")

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def natural_key(self, row: dict[str, Any]) -> Any:
        return row.get("owner_nik")

    def batch_keys(self, batch: Batch, indices: list[int]) -> list[Any]:
        niks = batch.columns["owner_nik"]
        return [niks[i] for i in indices]

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        conf = row.get("_confidence")
        if not conf:
            return [_("Lokasi: tetap seperti tercatat")]
        return [_("Lokasi: {place} — keyakinan {level}").format(place=row.get("_place") or "", level=CONFIDENCE[conf])]

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        """Hand the clean rows, as columns, to the registry's owner write path (``services.owner_bulk_write``)."""
        stored = None
        if isinstance(rows, BatchRows):
            cols = {key: rows.column(key) for key in _COMMIT_KEYS}
            checked, read = ctx.cache.pop("owner_rows", (None, None))
            if checked is rows.batch:
                stored = read  # read by clean_columns for this very batch, in this transaction
        else:
            rows = list(rows)
            cols = {key: [r.get(key) for r in rows] for key in _COMMIT_KEYS}
        count = len(cols["owner_nik"])
        if not count:
            return CommitStats()
        if stored is None:
            niks = set(cols["owner_nik"])
            stored = {
                o["nik"]: o for o in Owner._base_manager.filter(nik__in=any_of(niks)).values(*OWNER_EXISTING_FIELDS)
            }
        written = services.owner_bulk_write(actor=ctx.user, columns=cols, count=count, stored=stored)
        return CommitStats(
            created=written.created, updated=written.updated, unchanged=written.unchanged, ids=written.ids
        )


def register() -> None:
    from sentra.core.importing import register_kind

    register_kind(OwnerImport())
