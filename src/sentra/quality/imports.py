"""The certification import kind (``quality_certification``): certificates and permits of businesses.

Registered from ``QualityConfig.ready()``. One row per certificate: the business by its NIB (it must be a
business the user may change), the kind, the number (normalised as the form normalises it), issuer, issue and
expiry dates and scope. A certificate is recognised by business, kind and number: the same row again changes
nothing, a row with new dates or issuer updates it, and empty cells never erase stored values. Every write goes
through ``quality.services.certification_create`` / ``certification_update`` (their checks and their audit).
An unknown NIB and a NIB outside the user's scope get the same answer, so the import cannot tell where a business
is registered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, cells
from sentra.core.importing.kinds import Batch, BatchRows
from sentra.quality import services
from sentra.quality.choices import CertificationKind
from sentra.quality.models import Certification
from sentra.quality.numbers import check_number
from sentra.registry.models import Business
from sentra.registry.services import any_of

KINDS = {
    "pirt": "pirt", "p irt": "pirt", "p-irt": "pirt", "spp irt": "pirt", "spp-irt": "pirt", "sppirt": "pirt",
    "halal": "halal", "sertifikat halal": "halal",
    "sni": "sni", "sppt sni": "sni", "sppt-sni": "sni",
    "bpom": "bpom_md", "md": "bpom_md", "bpom md": "bpom_md", "bpom_md": "bpom_md", "izin edar bpom md": "bpom_md",
    "iso": "iso_9001", "iso 9001": "iso_9001", "iso_9001": "iso_9001", "iso9001": "iso_9001",
    "cppob": "cppob", "hki": "hki", "merek": "hki", "hki merek": "hki", "tkdn": "tkdn", "tkdn-ik": "tkdn",
    "tkdn ik": "tkdn", "lainnya": "other", "lain": "other", "other": "other",
}  # fmt: skip
KINDS.update({str(label).lower(): value for value, label in CertificationKind.choices})

COLUMNS = (
    Column("nib", "NIB", ("nib usaha", "nomor induk berusaha", "no nib", "business nib"), cells.digits(13, label="NIB"),
           required=True, example="9120001234567", help=gettext_lazy("NIB usaha pemegang sertifikat (13 angka).")),
    Column("kind", "Jenis sertifikat", ("jenis", "jenis izin", "jenis sertifikat izin", "sertifikat", "certificate type", "type", "kind"),
           cells.choice(KINDS, label=gettext_lazy("Jenis sertifikat")), required=True, example="Halal",
           help=gettext_lazy("P-IRT, Halal, SNI, BPOM MD, ISO 9001, CPPOB, HKI, TKDN atau Lainnya.")),
    Column("number", "Nomor sertifikat", ("nomor", "no sertifikat", "nomor izin", "no izin", "certificate number", "number"),
           cells.text(80), required=True, example="ID74110000123450123"),
    Column("issuer", "Penerbit", ("lembaga penerbit", "instansi penerbit", "issuer", "issued by"), cells.text(200), example="BPJPH"),
    Column("issued_on", "Tanggal terbit", ("tgl terbit", "terbit", "tanggal dikeluarkan", "issue date", "issued on", "date issued"),
           cells.date(), required=True, example="19/07/2024"),
    Column("expires_on", "Berlaku sampai", ("masa berlaku", "tanggal kedaluwarsa", "kedaluwarsa", "expiry date", "expires on", "valid until"),
           cells.date(), example="19/07/2028", help=gettext_lazy("Kosongkan bila berlaku tanpa batas waktu.")),
    Column("scope", "Lingkup/produk", ("lingkup", "produk", "ruang lingkup", "scope", "product"), cells.text(300), example="Keripik pisang"),
)  # fmt: skip

_FIELDS = ("issuer", "issued_on", "expires_on", "scope")


def _unknown_business(nib: str) -> str:
    return _("Usaha dengan NIB {nib} tidak ditemukan di wilayah kewenangan Anda.").format(nib=nib)


class CertificationImport(ImportKind):
    key = "quality_certification"
    label = gettext_lazy("Sertifikat/izin usaha")
    permission = "quality.add_certification"
    columns = COLUMNS
    list_url_name = "quality:certification_list"
    natural_key_help = gettext_lazy(
        "Sertifikat dikenali dari usaha (NIB), jenis dan nomor: baris yang sama memperbarui sertifikat yang sama. "
        "Sel kosong tidak menghapus data yang tersimpan."
    )

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        ok = batch.ok_indices()
        if not ok:
            return
        cols = batch.columns
        nibs, kinds, numbers = cols["nib"], cols["kind"], cols["number"]
        issued, expires = cols["issued_on"], cols["expires_on"]
        for i in ok:  # the checks that need no database first
            if expires[i] and expires[i] < issued[i]:
                batch.reject(i, {"expires_on": _("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.")})
        ok = batch.ok_indices()
        if not ok:
            return
        businesses = {
            b.nib: b
            for b in Business.objects.alive()
            .filter(nib__in=any_of({nibs[i] for i in ok}))
            .only("id", "nib", "name", "region_id", "version")
        }
        out_region, out_business = batch.column("region"), batch.column("business_id")
        allowed: dict[str, bool] = {}
        for i in ok:
            business = businesses.get(nibs[i])
            if business is not None and business.region_id not in allowed:
                allowed[business.region_id] = ctx.region_allowed(business.region_id)
            if business is None or not allowed[business.region_id]:
                batch.reject(i, {"nib": _unknown_business(nibs[i])})
                continue
            out_region[i], out_business[i] = business.region_id, business.pk
            try:
                checked = check_number(kinds[i], numbers[i], region_id=business.region_id, expires_on=expires[i])
            except ValidationError as exc:
                batch.reject(i, {"number": " ".join(exc.messages)})
                continue
            numbers[i] = checked.number
            if checked.warnings:
                batch.warn(i, {"number": " ".join(checked.warnings)})
        ok = batch.ok_indices()
        stored = {
            (c.kind, c.number): c
            for c in Certification.objects.filter(number__in=any_of({numbers[i] for i in ok})).select_related(
                "business"
            )
        }
        for i in ok:
            known = stored.get((kinds[i], numbers[i]))
            if known is not None and known.business_id != out_business[i]:
                batch.reject(i, {"number": _("Nomor ini sudah tercatat untuk jenis sertifikat yang sama.")})
        ctx.cache["certifications"] = (batch, businesses, stored)

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def natural_key(self, row: dict[str, Any]) -> Any:
        return (row["kind"], row["number"])

    def batch_keys(self, batch: Batch, indices: list[int]) -> list[Any]:
        kinds, numbers = batch.columns["kind"], batch.columns["number"]
        return [(kinds[i], numbers[i]) for i in indices]

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return [_("Jenis: {kind}").format(kind=CertificationKind(row["kind"]).label)]

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        """New certificates through ``certification_create``, changed ones through ``certification_update``;
        identical ones are left untouched (no query)."""
        cached = ctx.cache.pop("certifications", None)
        if isinstance(rows, BatchRows) and cached and cached[0] is rows.batch:
            businesses, stored = cached[1], cached[2]
        else:
            businesses = {b.nib: b for b in Business.objects.alive().filter(nib__in=any_of({r["nib"] for r in rows}))}
            stored = {
                (c.kind, c.number): c
                for c in Certification.objects.filter(number__in=any_of({r["number"] for r in rows}))
            }
        stats = CommitStats()
        for row in rows:
            known = stored.get((row["kind"], row["number"]))
            if known is None:
                result = services.certification_create(
                    actor=ctx.user,
                    business=businesses[row["nib"]],
                    **{k: row[k] for k in ("kind", "number", *_FIELDS)},
                )
                stored[(row["kind"], row["number"])] = result.certification
                stats.created += 1
                stats.ids.append(result.certification.pk)
                continue
            stats.ids.append(known.pk)
            changes = {k: row[k] for k in _FIELDS if row[k] not in (None, "") and getattr(known, k) != row[k]}
            if not changes:
                stats.unchanged += 1
                continue
            services.certification_update(actor=ctx.user, certification=known, **changes)
            stats.updated += 1
        return stats


def register() -> None:
    from sentra.core.importing import register_kind

    register_kind(CertificationImport())
