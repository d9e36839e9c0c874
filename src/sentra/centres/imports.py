"""The tenancy import kind (``centres_tenancy``): the lets of a centre's workshop units from a spreadsheet.

Registered from ``CentresConfig.ready()``. The centre is chosen on the upload page (the ``centre`` option; the
CLI has no flag for it yet). One row per let: the unit by its code
within that centre, the business by NIB, start and end dates, agreement number, annual fee and a note. Every let
goes through ``centres.services.tenancy_start`` (its checks and its audit event); the preview already says what the
service would refuse: a centre that does not operate, a unit that is not a workshop, a business of another
regency/city, a let that overlaps another one (stored, or earlier in the same file). A let already recorded with
the same unit, business and start date is left as it is, so a re-import changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, cells
from sentra.core.importing.kinds import Batch, default_region_option
from sentra.registry.models import Business
from sentra.registry.services import any_of

COLUMNS = (
    Column("unit_code", "Kode unit", ("unit", "kode", "no unit", "nomor unit", "kode workshop", "unit code", "workshop"),
           cells.text(20), required=True, example="W-01", help=gettext_lazy("Kode unit seperti tercatat di halaman sentra.")),
    Column("nib", "NIB", ("nib penyewa", "nib usaha", "nomor induk berusaha", "no nib", "tenant nib"), cells.digits(13, label="NIB"),
           required=True, example="9120001234567"),
    Column("start_date", "Mulai sewa", ("mulai", "tanggal mulai", "tgl mulai", "start", "start date"), cells.date(),
           required=True, example="01/01/2024"),
    Column("end_date", "Berakhir", ("tanggal berakhir", "tgl berakhir", "selesai", "sampai", "end", "end date"), cells.date(),
           example="31/12/2025", help=gettext_lazy("Kosongkan bila sewa masih berjalan.")),
    Column("agreement_number", "Nomor perjanjian", ("no perjanjian", "nomor kontrak", "no kontrak", "agreement number", "contract"),
           cells.text(120), example="027/SEWA/2024"),
    Column("annual_fee", "Sewa per tahun (Rp)", ("sewa", "retribusi", "biaya sewa", "sewa per tahun", "annual fee", "fee", "rent"),
           cells.number(min_value=0), example="6.000.000"),
    Column("note", "Keterangan", ("catatan", "note", "notes"), cells.text(300)),
)  # fmt: skip


class TenancyImport(ImportKind):
    key = "centres_tenancy"
    label = gettext_lazy("Sewa unit workshop sentra")
    permission = "centres.add_tenancy"
    columns = COLUMNS
    list_url_name = "centres:centre_list"
    natural_key_help = gettext_lazy(
        "Sewa dikenali dari unit, usaha dan tanggal mulai: sewa yang sudah tercatat tidak diubah, jadi mengimpor "
        "berkas yang sama dua kali tidak mengubah apa pun."
    )

    def option_fields(self, user: Any) -> dict[str, Any]:
        from django import forms

        from sentra.centres.models import Centre

        centres = Centre.objects.visible_to(user, "change").order_by("name", "id").values_list("pk", "name")[:500]
        return {
            "centre": forms.ChoiceField(
                label=_("Sentra IKM"), choices=[(str(pk), name) for pk, name in centres], required=True
            )
        }

    def result_url(self, options: dict[str, Any]) -> str:
        from django.urls import reverse

        centre = (options or {}).get("centre")
        return reverse("centres:centre_detail", args=[centre]) if centre else super().result_url(options)

    def start(self, ctx: ImportContext) -> None:
        from sentra.centres.choices import LETTABLE_STATUSES, RENTABLE_KINDS
        from sentra.centres.models import Centre, Tenancy
        from sentra.core.importing.readers import FileRefused

        centre = self.chosen_record(ctx, "centre", Centre, _("Sentra tidak ditemukan atau di luar cakupan Anda."))
        if centre.status not in LETTABLE_STATUSES:
            raise FileRefused(
                _(
                    "Unit belum dapat disewakan: {centre} berstatus “{status}”. Unit disewakan setelah sentra "
                    "beroperasi."
                ).format(centre=centre.name, status=centre.get_status_display()),
                "centre_not_operating",
            )
        ctx.cache["centre"] = centre
        units = list(centre.units.all())
        ctx.cache["units"] = {u.code.upper(): u for u in units}
        ctx.cache["rentable"] = RENTABLE_KINDS
        lets: dict[int, list[tuple[dt.date, dt.date | None, int, str, Any]]] = {}
        for t in Tenancy.objects.filter(centre=centre).select_related("business"):
            lets.setdefault(t.unit_id, []).append((t.start_date, t.end_date, t.business_id, str(t.business), t))
        ctx.cache["lets"] = lets  # stored lets, and the file's rows once checked (``None`` for the record)
        ctx.cache["businesses"] = {}

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        ok = batch.ok_indices()
        if not ok:
            return
        centre = ctx.cache["centre"]
        cols = batch.columns
        codes, nibs, starts, ends = cols["unit_code"], cols["nib"], cols["start_date"], cols["end_date"]
        out_unit, out_region, out_same = batch.column("unit_id"), batch.column("region"), batch.column("_same")
        units = ctx.cache["units"]
        for i in ok:  # the checks that need no database first
            unit = units.get(codes[i].upper())
            if unit is None:
                batch.reject(
                    i, {"unit_code": _("Unit {code} tidak ada di {centre}.").format(code=codes[i], centre=centre.name)}
                )
            elif unit.kind not in ctx.cache["rentable"]:
                batch.reject(i, {"unit_code": _("Hanya workshop/rumah produksi yang dapat disewakan.")})
            elif ends[i] and ends[i] < starts[i]:
                batch.reject(i, {"end_date": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
            else:
                out_unit[i], out_region[i] = unit.pk, centre.region_id
        ok = batch.ok_indices()
        if not ok:
            return
        businesses: dict[str, Business] = ctx.cache["businesses"]
        wanted = {nibs[i] for i in ok} - businesses.keys()
        if wanted:
            found = Business.objects.alive().filter(nib__in=any_of(wanted))
            businesses.update({b.nib: b for b in found if b.nib})  # matched by NIB, so never empty
        lets = ctx.cache["lets"]
        for i in ok:
            business = businesses.get(nibs[i])
            if business is None or not ctx.region_allowed(business.region_id):
                batch.reject(
                    i,
                    {
                        "nib": _("Usaha dengan NIB {nib} tidak ditemukan di wilayah kewenangan Anda.").format(
                            nib=nibs[i]
                        )
                    },
                )
                continue
            if business.region_id != centre.region_id:
                batch.reject(i, {"nib": _("Usaha berada di kabupaten/kota lain.")})
                continue
            start, end = starts[i], ends[i]
            clash = None
            for other_start, other_end, other_business, other_name, stored in lets.get(out_unit[i], ()):
                if other_start == start and other_business == business.pk and stored is not None:
                    same = stored.end_date == end and (
                        cols["annual_fee"][i] is None or stored.annual_fee == cols["annual_fee"][i]
                    )
                    if same:
                        out_same[i] = True
                        break
                    clash = _(
                        "Sewa ini sudah tercatat (mulai {start}) dengan isi lain; ubah atau akhiri dari halaman sentra."
                    ).format(start=f"{start:%d-%m-%Y}")
                    break
                if (other_end is None or other_end >= start) and (end is None or other_start <= end):
                    until = f"{other_end:%d-%m-%Y}" if other_end else _("sekarang")
                    clash = _(
                        "Unit ini sudah disewa {business} pada {start} s.d. {until}. Satu unit hanya untuk satu "
                        "penyewa pada satu waktu: akhiri sewa itu dulu atau pilih tanggal lain."
                    ).format(business=other_name, start=f"{other_start:%d-%m-%Y}", until=until)
                    break
            if clash:
                batch.reject(i, {"start_date": clash})
            elif not out_same[i]:
                lets.setdefault(out_unit[i], []).append((start, end, business.pk, str(business), None))

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def natural_key(self, row: dict[str, Any]) -> Any:
        return (row["unit_code"].upper(), row["start_date"])

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return [_("Sudah tercatat: tidak diubah.")] if row.get("_same") else []

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        from sentra.centres import services

        units = {u.pk: u for u in ctx.cache["units"].values()}
        businesses = ctx.cache["businesses"]
        stats = CommitStats()
        for row in rows:
            if row.get("_same"):
                stats.unchanged += 1
                continue
            tenancy = services.tenancy_start(
                actor=ctx.user,
                unit=units[row["unit_id"]],
                business=businesses[row["nib"]],
                start_date=row["start_date"],
                end_date=row.get("end_date"),
                agreement_number=row.get("agreement_number") or "",
                annual_fee=row.get("annual_fee") or 0,
                note=row.get("note") or "",
            )
            stats.created += 1
            stats.ids.append(tenancy.pk)
        return stats


# --- Centres and their workshop units ------------------------------------------------------------------------------


def _spellings(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    """Lower-case spellings → choice value: the Indonesian labels, the stored values and the words agencies use."""
    options = {str(label).lower(): value for value, label in choices.choices}
    options.update({str(value).lower(): value for value in choices.values})
    options.update(extra)
    return options


def _labelled_choice(choices: Any, extra: dict[str, str], *, label: Any) -> Any:
    """Like ``cells.choice``, but the message lists the Indonesian labels an officer knows, not stored values."""
    from django.core.exceptions import ValidationError

    options = _spellings(choices, extra)

    def parse(value: Any) -> str | None:
        raw = " ".join(cells.cell_text(value).lower().rstrip(".").split())
        if raw in ("", "-"):
            return None
        if raw in options:
            return options[raw]
        raise ValidationError(
            _("{label} '{value}' tidak dikenali. Pilihan: {choices}.").format(
                label=label, value=cells.cell_text(value), choices=", ".join(str(c.label) for c in choices)
            ),
            code="choice",
        )

    return parse


def centre_name_key(name: str) -> str:
    """A centre's name as a key: case, accents, punctuation and spaces folded, and a leading "Sentra (IKM)" dropped,
    since lists write "Sentra IKM Mebel Puuwatu" and "Mebel Puuwatu" for the same centre."""
    from sentra.core.importing import normalise_header

    words = normalise_header(name).split()
    if words[:1] == ["sentra"]:
        words = words[1:]
        if words[:1] == ["ikm"]:
            words = words[1:]
    return " ".join(words) or normalise_header(name)


def _centre_choices() -> dict[str, Any]:
    from sentra.centres.choices import CentreStatus, Condition, ManagingBody, Sector, UnitKind

    return {
        "status": _labelled_choice(
            CentreStatus,
            {"rencana": CentreStatus.PLANNED, "pembangunan": CentreStatus.CONSTRUCTION, "aktif": CentreStatus.OPERATING,
             "operasional": CentreStatus.OPERATING, "berjalan": CentreStatus.OPERATING,
             "revitalisasi": CentreStatus.REVITALISATION, "nonaktif": CentreStatus.INACTIVE,
             "tidak beroperasi": CentreStatus.INACTIVE},
            label=gettext_lazy("Status sentra"),
        ),
        "sector": _labelled_choice(
            Sector,
            {"sandang": Sector.SANDANG, "kulit": Sector.SANDANG, "kimia": Sector.KIMIA, "logam": Sector.LOGAM,
             "kerajinan": Sector.KERAJINAN, "furnitur": Sector.KERAJINAN, "otomotif": Sector.OTOMOTIF},
            label=gettext_lazy("Sektor"),
        ),
        "managing_body": _labelled_choice(
            ManagingBody,
            {"uptd": ManagingBody.UPTD, "upt": ManagingBody.UPTD, "dinas": ManagingBody.AGENCY_UNIT,
             "kelompok": ManagingBody.GROUP, "kub": ManagingBody.GROUP},
            label=gettext_lazy("Bentuk pengelola"),
        ),
        "unit_kind": _labelled_choice(
            UnitKind,
            {"workshop": UnitKind.WORKSHOP, "rumah produksi": UnitKind.WORKSHOP, "bengkel kerja": UnitKind.WORKSHOP,
             "penunjang": UnitKind.SUPPORT, "kantor": UnitKind.OFFICE, "galeri": UnitKind.SHOWROOM,
             "ruang pamer": UnitKind.SHOWROOM, "showroom": UnitKind.SHOWROOM, "gudang": UnitKind.STORAGE},
            label=gettext_lazy("Jenis unit"),
        ),
        "unit_condition": _labelled_choice(
            Condition,
            {"rusak ringan": Condition.MINOR, "rusak berat": Condition.MAJOR, "rr": Condition.MINOR,
             "rb": Condition.MAJOR, "b": Condition.GOOD},
            label=gettext_lazy("Kondisi unit"),
        ),
    }  # fmt: skip


_CHOICES = _centre_choices()

CENTRE_COLUMNS = (
    Column("name", "Nama sentra", ("sentra", "nama sentra ikm", "sentra ikm", "centre", "centre name"), cells.text(200),
           required=True, example="Sentra IKM Mebel Puuwatu",
           help=gettext_lazy("Ulangi nama sentra di setiap baris unitnya.")),
    Column("region_code", "Kode wilayah", ("kode", "kode kab kota", "kode desa", "region code"), cells.region_code,
           example="74.71.03.1002",
           help=gettext_lazy("Kode kabupaten/kota (74.71) atau desa/kelurahan (74.71.03.1002); atau isi kolom Kabupaten/kota.")),
    Column("regency", "Kabupaten/kota", ("kab kota", "kabupaten", "kota", "daerah", "regency"), cells.text(150),
           example="Kota Kendari"),
    Column("address", "Alamat", ("alamat sentra", "lokasi", "address"), cells.text(300),
           example="Jl. Poros Puuwatu, Kel. Puuwatu"),
    Column("commodity", "Komoditas", ("komoditas produk utama", "produk utama", "produk", "commodity"), cells.text(200),
           example="Mebel kayu"),
    Column("sector", "Sektor", ("sektor industri", "sector"), _CHOICES["sector"], example="Kerajinan dan furnitur"),
    Column("status", "Status sentra", ("status", "kondisi sentra"), _CHOICES["status"], example="Beroperasi",
           help=gettext_lazy("Direncanakan, Dalam pembangunan, Beroperasi, Dalam revitalisasi atau Tidak aktif.")),
    Column("managing_body", "Bentuk pengelola", ("pengelola", "lembaga pengelola"), _CHOICES["managing_body"],
           example="UPTD / UPT"),
    Column("managing_body_name", "Nama pengelola", ("nama lembaga pengelola", "nama uptd"), cells.text(200),
           example="UPTD Sentra IKM Kendari"),
    Column("year_built", "Tahun dibangun", ("tahun pembangunan", "tahun berdiri", "year built"),
           cells.integer(min_value=1900, max_value=2100), example=2019),
    Column("sk_number", "Nomor SK penetapan", ("no sk", "nomor sk", "sk penetapan"), cells.text(120),
           example="188.45/123/2019"),
    Column("sk_date", "Tanggal SK", ("tanggal sk penetapan", "tgl sk"), cells.date(), example="12/03/2019"),
    Column("unit_code", "Kode unit", ("unit", "no unit", "nomor unit", "kode workshop", "nomor workshop", "unit code"),
           cells.text(20), example="W-01",
           help=gettext_lazy("Satu baris per unit. Kosongkan bila baris hanya mencatat sentranya.")),
    Column("unit_kind", "Jenis unit", ("jenis", "jenis bangunan", "jenis unit workshop", "unit kind"), _CHOICES["unit_kind"],
           example="Workshop / rumah produksi"),
    Column("unit_size", "Luas unit (m²)", ("luas", "luas unit", "luas m2", "unit size"),
           cells.number(min_value=0, max_digits=12), example="48"),
    Column("unit_condition", "Kondisi unit", ("kondisi", "kondisi bangunan", "condition"), _CHOICES["unit_condition"],
           example="Baik"),
    Column("unit_note", "Keterangan unit", ("keterangan", "catatan", "note"), cells.text(300)),
)  # fmt: skip

#: The centre's own columns (repeated on each of its unit rows) and the service fields they fill.
CENTRE_FIELDS = ("commodity", "sector", "address", "managing_body", "managing_body_name", "year_built", "sk_number",
                 "sk_date")  # fmt: skip
UNIT_FIELDS = {"unit_kind": "kind", "unit_size": "size_m2", "unit_condition": "condition", "unit_note": "note"}


class CentreUnitImport(ImportKind):
    """Centres (sentra IKM) and their workshop units from an agency's list, one row per unit."""

    key = "centres_centre"
    label = gettext_lazy("Sentra IKM dan unit workshop")
    permission = "centres.add_centre"
    columns = CENTRE_COLUMNS
    list_url_name = "centres:centre_list"
    natural_key_help = gettext_lazy(
        "Satu baris per unit workshop, dengan kolom sentra diulang di setiap baris unitnya (seperti daftar yang "
        "biasa disimpan dinas); baris tanpa kode unit hanya mencatat sentranya. Sentra dikenali dari "
        "kabupaten/kota dan namanya (huruf besar/kecil, tanda baca dan awalan “Sentra IKM” diabaikan); unit dari "
        "sentra dan kode unit. Sel kosong tidak menghapus data yang tersimpan, jadi mengimpor berkas yang sama dua "
        "kali tidak mengubah apa pun. Status sentra yang berubah dicatat sebagai perpindahan status hari ini."
    )

    def option_fields(self, user: Any) -> dict[str, Any]:
        return default_region_option(
            user,
            empty_label=_("— tidak ada: setiap baris menyebut kab/kota —"),
            help_text=_("Dipakai untuk baris yang tidak menyebut kode wilayah atau kabupaten/kota."),
        )

    def start(self, ctx: ImportContext) -> None:
        from sentra.regions.addresses import RegionMatcher

        ctx.cache["matcher"] = RegionMatcher()
        ctx.cache["default_region"] = (ctx.options or {}).get("default_region") or None
        ctx.cache["centres"] = {}  # (region, name key) → stored centre (or None), read once per regency
        ctx.cache["loaded"] = set()
        ctx.cache["planned"] = {}  # (region, name key) → (first line, centre values) of this file
        ctx.cache["locations"] = {}

    # --- checks ---

    def _locate(self, code: str | None, regency: str | None, address: str | None, ctx: ImportContext) -> Any:
        """(region, village, message) for a row: an explicit code wins, else the regency name (and address)."""
        key = (code, regency, address)
        found = ctx.cache["locations"].get(key)
        if found is not None:
            return found
        matcher = ctx.cache["matcher"]
        if code:
            if len(code) < 5:
                found = (None, None, _("Kode wilayah harus sampai kabupaten/kota atau lebih rinci."))
            else:
                if code[:5] in matcher.names:
                    matcher._load(code[:5])  # the regency's districts and villages, to know a village code
                if code not in matcher.names:
                    found = (None, None, _("Kode wilayah {code} tidak ada dalam daftar Kemendagri.").format(code=code))
                else:
                    found = (code[:5], code if len(code) > 8 else None, "")
        else:
            text = ", ".join(p for p in (address or "", regency or "") if p)
            location, confidence = matcher.match_cached(text, default_region=ctx.cache["default_region"])
            if confidence is None:
                found = (
                    None,
                    None,
                    _(
                        "Kabupaten/kota sentra tidak dapat dipastikan dari '{text}'. Isi kolom Kabupaten/kota "
                        "(misalnya Kota Kendari) atau Kode wilayah, atau pilih kabupaten/kota bawaan saat mengunggah."
                    ).format(text=text[:80]),
                )
            else:
                found = (location["region"], location["village"], "")
        ctx.cache["locations"][key] = found
        return found

    def _stored(self, region: str, ctx: ImportContext) -> dict[Any, Any]:
        from sentra.centres.models import Centre

        centres = ctx.cache["centres"]
        if region not in ctx.cache["loaded"]:
            ctx.cache["loaded"].add(region)
            for centre in Centre.objects.filter(region_id=region).prefetch_related("units"):
                centres.setdefault((region, centre_name_key(centre.name)), centre)
        return centres

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        from sentra.centres.choices import STATUS_TRANSITIONS, CentreStatus

        cols = batch.columns
        out_region, out_village, out_key = batch.column("region"), batch.column("village_id"), batch.column("_key")
        planned: dict[Any, tuple[int, dict[str, Any]]] = ctx.cache["planned"]
        for i in batch.ok_indices():
            region, village, message = self._locate(cols["region_code"][i], cols["regency"][i], cols["address"][i], ctx)
            if message:
                batch.reject(i, {"region_code" if cols["region_code"][i] else "regency": message})
                continue
            out_region[i], out_village[i] = region, village
            if not ctx.region_allowed(region):
                continue  # the engine refuses it naming both regions; nothing about the other region is read
            key = out_key[i] = (region, centre_name_key(cols["name"][i]))
            values = {name: cols[name][i] for name in (*CENTRE_FIELDS, "status") if cols[name][i] not in (None, "")}
            if village:
                values["village_id"] = village
            # A status move is checked on every row that gives one (a later row may fill it).
            stored = self._stored(region, ctx).get(key)
            status = values.get("status")
            if stored is not None and status and status != stored.status:
                if status not in STATUS_TRANSITIONS.get(stored.status, set()):
                    allowed = ", ".join(
                        str(CentreStatus(s).label) for s in sorted(STATUS_TRANSITIONS.get(stored.status, ()))
                    )
                    batch.reject(
                        i,
                        {
                            "status": _(
                                "{centre} berstatus {current} dan tidak dapat langsung menjadi {new}. Yang mungkin: "
                                "{allowed}."
                            ).format(
                                centre=stored.name,
                                current=stored.get_status_display(),
                                new=CentreStatus(status).label,
                                allowed=allowed or "–",
                            )
                        },
                    )
                    continue
            first = planned.get(key)
            if first is not None:  # the same centre on an earlier row: its centre cells must agree
                line, earlier = first
                clash = [n for n, v in values.items() if n in earlier and earlier[n] != v]
                if clash:
                    batch.reject(
                        i,
                        {
                            clash[0] if clash[0] != "village_id" else "region_code": _(
                                "Berbeda dengan baris {line} untuk sentra yang sama ({name}). Samakan isi kolom "
                                "sentra di semua baris unitnya."
                            ).format(line=line, name=cols["name"][i])
                        },
                    )
                    continue
                earlier.update(values)
                continue
            planned[key] = (batch.lines[i], values)
        self._notes(batch, ctx)

    def _notes(self, batch: Batch, ctx: ImportContext) -> None:
        """What saving will do with each row, for the preview: a new centre or unit, or what changes."""
        cols = batch.columns
        notes = batch.column("_note")
        for i in batch.ok_indices():
            key = cols["_key"][i]
            if key is None:
                continue
            stored = self._stored(key[0], ctx).get(key)
            code = (cols["unit_code"][i] or "").upper()
            if stored is None:
                notes[i] = (
                    _("Sentra baru; unit {code} baru").format(code=cols["unit_code"][i]) if code else _("Sentra baru")
                )
                continue
            units = {u.code.upper(): u for u in stored.units.all()}
            unit = units.get(code) if code else None
            if code and unit is None:
                notes[i] = _("Sentra sudah tercatat; unit {code} baru").format(code=cols["unit_code"][i])
            else:
                notes[i] = _("Sentra sudah tercatat; diperbarui bila isinya berbeda")

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def natural_key(self, row: dict[str, Any]) -> Any:
        if not row.get("_key"):
            return None
        return (*row["_key"], (row.get("unit_code") or "").upper() or None)

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return [row["_note"]] if row.get("_note") else []

    # --- writing ---

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        """Every change through the centres services (their checks and audit events): ``centre_create`` /
        ``centre_update`` / ``centre_set_status`` once per centre of the file, ``unit_create`` / ``unit_update`` per
        unit row. A row identical to what is stored writes nothing."""
        from sentra.centres import services
        from sentra.centres.choices import STATUS_TRANSITIONS, CentreStatus
        from sentra.centres.models import Centre, WorkshopUnit
        from sentra.regions.models import Region

        stats = CommitStats()
        # The writer's own caches: batches may be written on a second thread while the next one is checked.
        stored: dict[Any, Centre] = ctx.cache.setdefault("commit_stored", {})
        regions: set[str] = ctx.cache.setdefault("commit_regions", set())
        done: dict[Any, Centre] = ctx.cache.setdefault("commit_done", {})
        units_of: dict[int, dict[str, WorkshopUnit]] = ctx.cache.setdefault("commit_units", {})
        today = timezone.localdate()
        for row in rows:
            key = row["_key"]
            if key[0] not in regions:
                regions.add(key[0])
                for known in Centre.objects.filter(region_id=key[0]).order_by("id"):
                    stored.setdefault((key[0], centre_name_key(known.name)), known)
            changed = created = False
            # Every row compares its centre's values, not only the first: a centre whose rows straddle two batches
            # gets the cells its later rows fill (the next batch may be checked while this one is written).
            values = ctx.cache["planned"][key][1]
            fields = {n: v for n, v in values.items() if n != "status"}
            status = values.get("status")
            centre: Centre | None = done.get(key) or stored.get(key)
            if centre is None:
                centre = services.centre_create(
                    actor=ctx.user,
                    name=row["name"],
                    region_id=key[0],
                    status=status or CentreStatus.PLANNED,
                    **fields,
                )
                created = True
            else:
                different = {n: v for n, v in fields.items() if getattr(centre, n) != v}
                if different:
                    if "village_id" in different:  # the update service takes the village itself
                        different["village"] = Region.objects.get(pk=different.pop("village_id"))
                    centre = services.centre_update(actor=ctx.user, centre=centre, **different)
                    changed = True
                # The check allowed the move for a stored centre; one created by this run moves only if it may.
                if status and status != centre.status and status in STATUS_TRANSITIONS.get(centre.status, set()):
                    centre = services.centre_set_status(
                        actor=ctx.user, centre=centre, status=status, date=today, note=_("Impor daftar sentra")
                    )
                    changed = True
            done[key] = centre
            code = row.get("unit_code")
            if code:
                units = units_of.get(centre.pk)
                if units is None:
                    units = units_of[centre.pk] = {
                        u.code.upper(): u for u in WorkshopUnit.objects.filter(centre=centre)
                    }
                unit = units.get(code.upper())
                fields = {UNIT_FIELDS[k]: row[k] for k in UNIT_FIELDS if row.get(k) not in (None, "")}
                if unit is None:
                    unit = units[code.upper()] = services.unit_create(
                        actor=ctx.user, centre=centre, code=code, **fields
                    )
                    created = True
                else:
                    different = {n: v for n, v in fields.items() if getattr(unit, n) != v}
                    if different:
                        services.unit_update(actor=ctx.user, unit=unit, **different)
                        changed = True
                stats.ids.append(unit.pk)
            else:
                stats.ids.append(centre.pk)
            if created:
                stats.created += 1
            elif changed:
                stats.updated += 1
            else:
                stats.unchanged += 1
        return stats


def register() -> None:
    from sentra.core.importing import register_kind

    register_kind(TenancyImport())
    register_kind(CentreUnitImport())
