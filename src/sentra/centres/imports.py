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
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, cells
from sentra.core.importing.kinds import Batch
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

        centre_id = str(ctx.options.get("centre") or "")
        centre = Centre.objects.filter(pk=centre_id).first() if centre_id.isdigit() else None
        if centre is None or (
            ctx.user is not None and not Centre.objects.visible_to(ctx.user, "change").filter(pk=centre.pk).exists()
        ):
            raise PermissionDenied(_("Sentra tidak ditemukan atau di luar cakupan Anda."))
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

    def commit(self, rows: list[dict[str, Any]], ctx: ImportContext) -> CommitStats:
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


def register() -> None:
    from sentra.core.importing import register_kind

    register_kind(TenancyImport())
