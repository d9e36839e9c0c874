"""Import kinds of the DAK budget app.

- ``budget_allocation``: allocations (pagu per kabupaten/kota) from the official table. A row is (tahun anggaran,
  jenis dana, kode wilayah, pagu). Re-importing the same table changes nothing; a changed pagu updates the
  allocation. The national ceiling is checked while rows are validated (the running total of the file against the
  fund's ceiling), and again under a row lock when each row is written, through ``services.allocation_set``.
- ``budget_line``: the lines of a regency's activity plan (RK), written through ``services.line_add`` /
  ``line_update``; the plan's ceiling and its lock (a submitted or approved plan changes only by revision) are
  reported per row before anything is written.
- ``budget_realisation``: payments against contracts (realisasi keuangan) and physical progress (realisasi fisik)
  of the lines of an approved plan, through ``services.payment_record`` / ``progress_record``.

Every change is audited like one typed in; a row identical to what is stored writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.budget import services
from sentra.budget.choices import AllocationSource, FundKind, PlanStatus
from sentra.budget.figures import format_rupiah
from sentra.budget.models import ActivityPlan, Allocation, BudgetLine, Contract, Fund, Payment, ProgressReport, SubMenu
from sentra.core.formatting import format_number
from sentra.core.importing import (
    Column,
    CommitStats,
    ImportContext,
    ImportKind,
    RowError,
    cells,
    normalise_header,
    register_kind,
)
from sentra.core.importing.engine import region_label
from sentra.core.importing.kinds import Batch, default_region_option
from sentra.regions.models import Region

FUND_SPELLINGS = {
    "fisik": FundKind.FISIK,
    "dak fisik": FundKind.FISIK,
    "dak fisik ikm": FundKind.FISIK,
    "dak fisik bidang ikm": FundKind.FISIK,
    "nonfisik": FundKind.NONFISIK,
    "non fisik": FundKind.NONFISIK,
    "non-fisik": FundKind.NONFISIK,
    "dak nonfisik": FundKind.NONFISIK,
    "dak non fisik": FundKind.NONFISIK,
}


class AllocationImport(ImportKind):
    key = "budget_allocation"
    label = gettext_lazy("Alokasi DAK (pagu kabupaten/kota)")
    permission = "budget.import_allocation"
    list_url_name = "budget:allocation_list"
    natural_key_help = gettext_lazy("Alokasi dikenali dari tahun anggaran, jenis dana dan kode kabupaten/kota.")
    columns = (
        Column(
            "year",
            "Tahun anggaran",
            ("tahun", "ta", "year"),
            cells.integer(min_value=2016, max_value=2100),
            required=True,
            example=2023,
        ),
        Column(
            "fund",
            "Jenis dana",
            ("dana", "jenis dak", "fund"),
            cells.choice(FUND_SPELLINGS, label="jenis dana"),
            required=True,
            example="DAK Fisik",
            help=gettext_lazy("DAK Fisik atau DAK Nonfisik."),
        ),
        Column(
            "region",
            "Kode wilayah",
            ("kode", "kode kab kota", "kode daerah", "region code"),
            cells.region_code,
            required=True,
            example="74.71",
            help=gettext_lazy("Kode Kemendagri kabupaten/kota, misalnya 74.71."),
        ),
        Column(
            "region_name",
            "Kabupaten/kota",
            ("daerah", "nama daerah", "pemda", "kab kota"),
            cells.text(150),
            example="Kota Kendari",
        ),
        Column(
            "amount",
            "Pagu (Rp)",
            ("pagu", "alokasi", "nilai", "amount"),
            cells.number(min_value=0),
            required=True,
            example="2.500.000.000",
        ),
    )

    def start(self, ctx: ImportContext) -> None:
        funds = {(f.fiscal_year.year, f.kind): f for f in Fund.objects.select_related("fiscal_year")}
        ctx.cache["funds"] = funds
        ctx.cache["regencies"] = dict(Region.objects.regencies().values_list("code", "name"))
        ctx.cache["current"] = {
            (a["fund_id"], a["region_id"]): a["amount"]
            for a in Allocation.objects.values("fund_id", "region_id", "amount")
        }
        ctx.cache["totals"] = {
            row["fund_id"]: row["s"]
            for row in Allocation.objects.values("fund_id").annotate(s=Sum("amount")).order_by()
        }

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        fund = ctx.cache["funds"].get((row["year"], row["fund"]))
        if fund is None:
            raise RowError(
                {
                    "fund": _("Dana ini belum ada untuk TA {year}; admin menambahkannya lebih dulu.").format(
                        year=row["year"]
                    )
                }
            )
        code = row["region"]
        if code not in ctx.cache["regencies"]:
            raise RowError({"region": _("Kode {code} bukan kabupaten/kota.").format(code=code)})
        amount: Decimal = row["amount"]
        if amount <= 0:
            raise RowError({"amount": _("Pagu harus lebih dari nol.")})
        before = ctx.cache["current"].get((fund.pk, code), Decimal(0))
        total = ctx.cache["totals"].get(fund.pk, Decimal(0)) - before + amount
        if total > fund.ceiling:
            raise RowError(
                {
                    "amount": _("Jumlah alokasi {fund} akan menjadi {total}, melebihi pagu nasional {ceiling}.").format(
                        fund=fund, total=format_rupiah(total), ceiling=format_rupiah(fund.ceiling)
                    )
                }
            )
        ctx.cache["totals"][fund.pk] = total
        ctx.cache["current"][(fund.pk, code)] = amount
        row["fund_id"] = fund.pk
        return row

    def natural_key(self, row: dict[str, Any]) -> Any:
        return (row["year"], row["fund"], row["region"])

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return []

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        stats = CommitStats()
        funds = {f.pk: f for f in Fund.objects.filter(pk__in={r["fund_id"] for r in rows})}
        existing = {
            (a.fund_id, a.region_id): a
            for a in Allocation.objects.filter(fund_id__in=funds, region_id__in={r["region"] for r in rows})
        }
        for row in rows:
            current = existing.get((row["fund_id"], row["region"]))
            if current is not None and current.amount == row["amount"]:
                stats.unchanged += 1
                continue
            services.allocation_set(
                actor=ctx.user,
                fund=funds[row["fund_id"]],
                region=row["region"],
                amount=row["amount"],
                source=AllocationSource.IMPORTED,
                note=current.note if current else "",
            )
            if current is None:
                stats.created += 1
            else:
                stats.updated += 1
        return stats


# --- Shared by the plan-line and realisation kinds -----------------------------------------------------------------


def _default_region_field(user: Any) -> dict[str, Any]:
    return default_region_option(
        user,
        empty_label=_("— tidak ada: setiap baris menyebut kode wilayah —"),
        help_text=_("Dipakai untuk baris yang kolom Kode wilayahnya kosong."),
    )


def _region_of(code: str | None, ctx: ImportContext) -> tuple[str, str]:
    """The regency/city of a row (its code cell, else the upload's default), or ``""`` and a message."""
    code = code or ctx.cache.get("default_region")
    if not code:
        return "", _(
            "Isi kode wilayah kabupaten/kota (misalnya 74.71) atau pilih kabupaten/kota bawaan saat mengunggah."
        )
    if code not in ctx.cache["regencies"]:
        return "", _("Kode {code} bukan kabupaten/kota.").format(code=code)
    return str(code), ""


def _rp(value: Decimal) -> str:
    return format_rupiah(value)


def _pct(value: Decimal) -> str:
    """``60`` or ``75,5``: a stored percentage as officers write it (two decimals only when it has them)."""
    if value == value.to_integral_value():
        return format_number(value, 0)
    return format_number(value, 2).rstrip("0")


def _key_text(text: str) -> str:
    return normalise_header(text)


REGION_COLUMN = Column(
    "region",
    "Kode wilayah",
    ("kode", "kode kab kota", "kode daerah", "region code"),
    cells.region_code,
    example="74.71",
    help=gettext_lazy("Kode kabupaten/kota; boleh kosong bila kabupaten/kota bawaan dipilih saat mengunggah."),
)


# --- Activity plan lines ---------------------------------------------------------------------------------------------


class _RegionRowsImport(ImportKind):
    """A budget import kind whose rows are checked one by one, each in the regency/city of its ``region`` cell;
    ``_clean_one`` fills ``region`` and the ``derived_columns``, and may note a row in ``_note``."""

    derived_columns: tuple[str, ...] = ()

    def option_fields(self, user: Any) -> dict[str, Any]:
        return _default_region_field(user)

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        cols = batch.columns
        out = {key: batch.column(key) for key in ("region", *self.derived_columns)}
        for i in batch.ok_indices():
            try:
                self._clean_one(cols, out, i, ctx)
            except RowError as exc:
                batch.reject(i, exc.errors)

    def _clean_one(self, cols: dict[str, list[Any]], out: dict[str, list[Any]], i: int, ctx: ImportContext) -> None:
        raise NotImplementedError

    def _row_region(
        self, cols: dict[str, list[Any]], out: dict[str, list[Any]], i: int, ctx: ImportContext
    ) -> str | None:
        """The row's regency/city, or None when it lies outside the user's scope (the engine refuses such a row,
        naming both regions; nothing of the other region is read)."""
        region, message = _region_of(cols["region"][i], ctx)
        if message:
            raise RowError({"region": message})
        out["region"][i] = region
        return region if ctx.region_allowed(region) else None

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return [row["_note"]] if row.get("_note") else []


class LineImport(_RegionRowsImport):
    """The lines of a regency/city's DAK activity plan (RK), one row per line, as the RK table lists them."""

    key = "budget_line"
    label = gettext_lazy("Baris rencana kegiatan DAK")
    permission = "budget.add_budgetline"
    list_url_name = "budget:allocation_list"
    natural_key_help = gettext_lazy(
        "Satu baris per kegiatan rencana (RK). Baris dikenali dari tahun anggaran, jenis dana, kabupaten/kota, "
        "sub-menu dan uraian kegiatan (huruf besar/kecil dan tanda baca diabaikan): baris yang sama tidak diubah, "
        "jadi mengimpor berkas yang sama dua kali tidak mengubah apa pun. Rencana yang belum ada dibuat sebagai "
        "draf. Rencana yang sudah diajukan atau disetujui terkunci: baris baru atau berubah ditolak, ubah melalui "
        "revisi."
    )
    columns = (
        AllocationImport.columns[0],
        AllocationImport.columns[1],
        REGION_COLUMN,
        Column("sub_menu", "Sub-menu", ("kode sub menu", "submenu", "rincian menu", "sub menu", "kode menu"),
               cells.text(200), required=True, example="A.2",
               help=gettext_lazy("Kode menu dan sub-menu (A.2) atau nama sub-menu seperti di juknis.")),
        Column("description", "Uraian kegiatan", ("uraian", "kegiatan", "rincian kegiatan", "nama kegiatan", "description"),
               cells.text(300), required=True, example="Pengadaan mesin pengering kayu"),
        Column("output_name", "Keluaran", ("output", "nama keluaran"), cells.text(200),
               help=gettext_lazy("Kosongkan untuk memakai keluaran sub-menu.")),
        Column("volume", "Volume", ("vol", "jumlah volume", "target volume"), cells.number(min_value=0, max_digits=12),
               required=True, example="2"),
        Column("unit", "Satuan", ("sat", "satuan keluaran", "unit"), cells.text(30), example="unit"),
        Column("unit_cost", "Harga satuan (Rp)", ("harga satuan", "harga", "unit cost"), cells.number(min_value=0),
               required=True, example="150.000.000"),
        Column("total", "Jumlah (Rp)", ("jumlah", "jumlah biaya", "total", "nilai"), cells.number(min_value=0),
               example="300.000.000", help=gettext_lazy("Diperiksa: harus sama dengan volume × harga satuan.")),
        Column("location", "Lokasi", ("lokasi kegiatan", "location"), cells.text(300), example="Kel. Puuwatu"),
        Column("centre", "Sentra IKM", ("sentra", "nama sentra", "centre"), cells.text(200),
               example="Sentra IKM Mebel Puuwatu", help=gettext_lazy("Sentra yang dibangun atau diperkuat (boleh kosong).")),
    )  # fmt: skip

    derived_columns = ("_fund", "_sub_menu", "_line", "_centre", "_note", "_same")

    def start(self, ctx: ImportContext) -> None:
        ctx.cache["default_region"] = (ctx.options or {}).get("default_region") or None
        ctx.cache["regencies"] = dict(Region.objects.regencies().values_list("code", "name"))
        ctx.cache["funds"] = {(f.fiscal_year.year, f.kind): f for f in Fund.objects.select_related("fiscal_year")}
        ctx.cache["sub_menus"] = {}
        ctx.cache["plans"] = {}  # (fund, region) → the plan state the file builds on (see _plan)

    def _sub_menus(self, fund: Fund, ctx: ImportContext) -> dict[str, list[SubMenu]]:
        """Spellings of the fund's sub-menus → sub-menus: ``A.2``, ``A2``, ``A 2`` and the sub-menu's name."""
        found = ctx.cache["sub_menus"].get(fund.pk)
        if found is None:
            found = defaultdict(list)
            for sub in SubMenu.objects.filter(menu__fund=fund).select_related("menu"):
                for spelling in {
                    _key_text(f"{sub.menu.code}{sub.code}").replace(" ", ""),
                    _key_text(sub.name).replace(" ", ""),
                }:
                    found[spelling].append(sub)
            ctx.cache["sub_menus"][fund.pk] = found
        return found

    def _plan(self, fund: Fund, region: str, ctx: ImportContext) -> dict[str, Any]:
        """What the file builds on for one allocation: the allocation, the plan being worked on (or the approved
        one), its stored lines by key, the running total, and what was contracted on each line's origin."""
        state = ctx.cache["plans"].get((fund.pk, region))
        if state is not None:
            return state
        allocation = Allocation.objects.filter(fund=fund, region_id=region).first()
        plan = None
        if allocation is not None:
            plans = list(ActivityPlan.objects.filter(allocation=allocation).exclude(status=PlanStatus.SUPERSEDED))
            plan = next((p for p in plans if p.status != PlanStatus.APPROVED), None) or next(iter(plans), None)
        lines: dict[Any, BudgetLine] = {}
        contracted: dict[int, Decimal] = {}
        if plan is not None:
            for line in BudgetLine.objects.filter(plan=plan).select_related("centre"):
                lines.setdefault((line.sub_menu_id, _key_text(line.description)), line)
            origins = {line.origin_id for line in lines.values() if line.origin_id}
            for origin, value in (
                Contract.objects.filter(line__origin_id__in=origins)
                .exclude(line__plan=plan)
                .values_list("line__origin_id")
                .annotate(s=Sum("value"))
            ):
                contracted[origin] = value
            for origin, value in (
                Contract.objects.filter(line_id__in=origins).values_list("line_id").annotate(s=Sum("value"))
            ):
                contracted[origin] = contracted.get(origin, Decimal(0)) + value
        state = {
            "allocation": allocation,
            "plan": plan,
            "lines": lines,
            "total": sum((line.total for line in lines.values()), Decimal(0)),
            "contracted": contracted,
        }
        ctx.cache["plans"][(fund.pk, region)] = state
        return state

    def _centre(self, name: str, region: str, ctx: ImportContext) -> Any:
        """The centre a line names, in the plan's regency/city (``None`` when there is no such centre)."""
        centres = ctx.cache.setdefault("centres", {})
        if region not in centres:
            centres[region] = {}
            for centre in _centre_model()._default_manager.filter(region_id=region):
                centres[region].setdefault(_centre_key(centre.name), centre)
        return centres[region].get(_centre_key(name))

    def _clean_one(self, cols: dict[str, list[Any]], out: dict[str, list[Any]], i: int, ctx: ImportContext) -> None:
        region = self._row_region(cols, out, i, ctx)
        if region is None:
            return
        year, kind = cols["year"][i], cols["fund"][i]
        fund = ctx.cache["funds"].get((year, kind))
        if fund is None:
            raise RowError(
                {"fund": _("Dana ini belum ada untuk TA {year}; admin menambahkannya lebih dulu.").format(year=year)}
            )
        subs = self._sub_menus(fund, ctx).get(_key_text(cols["sub_menu"][i]).replace(" ", ""), [])
        if len(subs) != 1:
            menus = SubMenu.objects.filter(menu__fund=fund).select_related("menu").order_by("menu__order", "order")
            codes = ", ".join(f"{s.menu.code}.{s.code}" for s in menus)
            text = (
                _("Sub-menu '{value}' ada di lebih dari satu menu; tulis kode menu dan sub-menu ({codes}).")
                if subs
                else _("Sub-menu '{value}' tidak ada pada {fund}. Pilihan: {codes}.")
            )
            raise RowError({"sub_menu": text.format(value=cols["sub_menu"][i], fund=fund, codes=codes)})
        sub = subs[0]
        state = self._plan(fund, region, ctx)
        allocation, plan = state["allocation"], state["plan"]
        if allocation is None:
            raise RowError(
                {
                    "region": _("{region} belum memiliki alokasi {fund}; pagunya diisi kementerian lebih dulu.").format(
                        region=region_label(region, ctx), fund=fund
                    )
                }
            )
        volume, unit_cost = cols["volume"][i], cols["unit_cost"][i]
        if volume <= 0:
            raise RowError({"volume": _("Volume harus lebih dari nol.")})
        total = (volume * unit_cost).quantize(Decimal("0.01"))
        if cols["total"][i] is not None and abs(cols["total"][i] - total) > Decimal("0.5"):
            raise RowError(
                {
                    "total": _("Jumlah {given} tidak sama dengan volume × harga satuan ({total}).").format(
                        given=_rp(cols["total"][i]), total=_rp(total)
                    )
                }
            )
        centre = None
        if cols["centre"][i]:
            centre = self._centre(cols["centre"][i], region, ctx)
            if centre is None:
                raise RowError(
                    {
                        "centre": _("Sentra '{name}' tidak ada di {region}, wilayah rencana ini.").format(
                            name=cols["centre"][i], region=region_label(region, ctx)
                        )
                    }
                )
        values = {
            "sub_menu_id": sub.pk,
            "description": cols["description"][i],
            "output_name": cols["output_name"][i] or sub.output_name,
            "unit": cols["unit"][i] or sub.output_unit,
            "volume": volume,
            "unit_cost": unit_cost,
            "location": cols["location"][i] or "",
            "centre_id": centre.pk if centre else None,
        }
        stored = state["lines"].get((sub.pk, _key_text(cols["description"][i])))
        if stored is not None:
            same = all(
                getattr(stored, name) == value
                for name, value in values.items()
                if not (name in ("location", "centre_id") and not value)  # an empty cell never erases
            )
            if same:
                out["_same"][i] = True
                out["_line"][i] = stored.pk
                out["_note"][i] = _("Sudah tercatat: tidak diubah.")
                return
        if plan is not None and not plan.is_editable:
            raise RowError(
                {
                    "": _(
                        "Rencana {fund} {region} berstatus {status} dan terkunci: baris baru atau berubah tidak dapat "
                        "diimpor. Buat revisi rencana lebih dulu."
                    ).format(fund=fund, region=region_label(region, ctx), status=plan.get_status_display())
                }
            )
        if plan is None and not fund.fiscal_year.is_open:
            raise RowError({"year": _("TA {year} sudah ditutup untuk perencanaan.").format(year=year)})
        before = stored.total if stored is not None else Decimal(0)
        running = state["total"] - before + total
        if running > allocation.amount:
            raise RowError(
                {
                    "unit_cost": _(
                        "Jumlah rencana kegiatan akan menjadi {total}, melebihi pagu alokasi {pagu}. Sisa pagu {room}."
                    ).format(
                        total=_rp(running),
                        pagu=_rp(allocation.amount),
                        room=_rp(max(allocation.amount - (running - total), Decimal(0))),
                    )
                }
            )
        if stored is not None and stored.origin_id:
            contracted = state["contracted"].get(stored.origin_id, Decimal(0))
            if total < contracted:
                raise RowError(
                    {
                        "unit_cost": _(
                            "Jumlah baris tidak boleh di bawah nilai kontrak yang sudah ditandatangani ({value})."
                        ).format(value=_rp(contracted))
                    }
                )
        state["total"] = running
        out["_fund"][i], out["_sub_menu"][i], out["_centre"][i] = fund.pk, sub.pk, values["centre_id"]
        out["_line"][i] = stored.pk if stored is not None else None
        if stored is not None:
            out["_note"][i] = _("Baris tercatat diperbarui.")
        elif plan is None:
            out["_note"][i] = _("Baris baru; rencana kegiatan dibuat sebagai draf.")
        else:
            out["_note"][i] = _("Baris baru pada {plan}.").format(plan=plan)

    def natural_key(self, row: dict[str, Any]) -> Any:
        if not row.get("region"):
            return None
        return (row["year"], row["fund"], row["region"], _key_text(row["sub_menu"]), _key_text(row["description"]))

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        stats = CommitStats()
        # The writer's own caches: batches may be written on a second thread while the next one is checked.
        plans: dict[Any, ActivityPlan] = ctx.cache.setdefault("commit_plans", {})
        sub_menus: dict[int, SubMenu] = ctx.cache.setdefault("commit_sub_menus", {})
        for row in rows:
            if row.get("_same"):
                stats.unchanged += 1
                stats.ids.append(row["_line"])
                continue
            sub = sub_menus.get(row["_sub_menu"])
            if sub is None:
                sub = sub_menus[row["_sub_menu"]] = SubMenu.objects.select_related("menu").get(pk=row["_sub_menu"])
            fields: dict[str, Any] = {
                "sub_menu": sub,
                "description": row["description"],
                "output_name": row["output_name"] or sub.output_name,
                "unit": row["unit"] or sub.output_unit,
                "volume": row["volume"],
                "unit_cost": row["unit_cost"],
            }
            if row.get("location"):
                fields["location"] = row["location"]
            if row.get("_centre"):
                fields["centre"] = _centre_model()._default_manager.get(pk=row["_centre"])
            if row["_line"]:
                line = BudgetLine.objects.select_related("plan").get(pk=row["_line"])
                services.line_update(actor=ctx.user, line=line, **fields)
                stats.updated += 1
            else:
                key = (row["_fund"], row["region"])
                plan = plans.get(key)
                if plan is None:
                    allocation = Allocation.objects.select_related("fund__fiscal_year").get(
                        fund_id=row["_fund"], region_id=row["region"]
                    )
                    plan = (
                        ActivityPlan.objects.filter(allocation=allocation)
                        .exclude(status__in=(PlanStatus.SUPERSEDED, PlanStatus.APPROVED))
                        .first()
                    )
                    if plan is None:
                        plan = services.plan_create(
                            actor=ctx.user,
                            allocation=allocation,
                            title=_("Rencana kegiatan {fund} {region}").format(
                                fund=allocation.fund, region=region_label(row["region"], ctx)
                            )[:200],
                        )
                    plans[key] = plan
                line = services.line_add(actor=ctx.user, plan=plan, **fields)
                stats.created += 1
            stats.ids.append(line.pk)
        return stats


def _centre_model() -> Any:
    """``centres.Centre``, reached through the line's foreign key: budget does not import the centres app."""
    return BudgetLine._meta.get_field("centre").related_model


def _centre_key(name: str) -> str:
    """A centre's name folded as the centres import folds it: a leading "Sentra (IKM)" does not count."""
    words = _key_text(name).split()
    if words[:1] == ["sentra"]:
        words = words[1:]
        if words[:1] == ["ikm"]:
            words = words[1:]
    return " ".join(words) or _key_text(name)


# --- Realisation: payments and physical progress ----------------------------------------------------------------------


class RealisationImport(_RegionRowsImport):
    """Financial realisation (payments against contracts) and physical progress of the lines of an approved plan."""

    key = "budget_realisation"
    label = gettext_lazy("Realisasi DAK (pembayaran dan kemajuan fisik)")
    permission = "budget.add_payment"
    list_url_name = "budget:allocation_list"
    natural_key_help = gettext_lazy(
        "Satu baris per pembayaran atau laporan kemajuan, dikenali dari nomor kontrak: pembayaran dari nomor SP2D "
        "(tanpa nomor: tanggal dan jumlahnya), kemajuan fisik dari tanggal laporannya. Satu baris boleh berisi "
        "keduanya. Yang sudah tercatat sama tidak diubah, jadi mengimpor berkas yang sama dua kali tidak mengubah "
        "apa pun. Kontrak dicatat lebih dulu di halaman baris anggaran pada rencana yang sudah disetujui."
    )
    columns = (
        REGION_COLUMN,
        Column("contract", "Nomor kontrak", ("no kontrak", "kontrak", "nomor spk", "no spk", "contract number"),
               cells.text(100), required=True, example="027/SPK/DAK-IKM/2024"),
        Column("paid_on", "Tanggal bayar", ("tgl bayar", "tanggal sp2d", "tgl sp2d", "payment date"), cells.date(),
               example="15/07/2024"),
        Column("amount", "Jumlah bayar (Rp)", ("jumlah bayar", "nilai sp2d", "realisasi keuangan", "pembayaran", "amount"),
               cells.number(min_value=0), example="150.000.000"),
        Column("reference", "Nomor SP2D", ("sp2d", "no sp2d", "nomor bukti", "bukti bayar", "reference"), cells.text(100),
               example="00123/SP2D/2024"),
        Column("reported_on", "Tanggal laporan fisik", ("tanggal laporan", "tgl laporan", "per tanggal", "report date"),
               cells.date(), example="31/07/2024"),
        Column("physical_pct", "Realisasi fisik (%)", ("realisasi fisik", "progres fisik", "fisik", "physical"),
               cells.number(min_value=0, max_digits=5), example="60",
               help=gettext_lazy("0 sampai 100; tidak boleh turun dari laporan sebelumnya.")),
        Column("output_achieved", "Keluaran tercapai", ("capaian keluaran", "output tercapai", "capaian output", "output"),
               cells.number(min_value=0, max_digits=12), example="1"),
        Column("note", "Keterangan", ("catatan", "note"), cells.text(300)),
    )  # fmt: skip

    derived_columns = ("_contract", "_pay", "_report", "_note")

    def start(self, ctx: ImportContext) -> None:
        ctx.cache["default_region"] = (ctx.options or {}).get("default_region") or None
        ctx.cache["regencies"] = dict(Region.objects.regencies().values_list("code", "name"))
        ctx.cache["loaded"] = set()
        ctx.cache["contracts"] = {}  # (region, number upper) → contract
        ctx.cache["paid"] = {}  # contract id → running total (stored + this file)
        ctx.cache["payments"] = defaultdict(list)  # contract id → stored payments
        ctx.cache["progress"] = defaultdict(list)  # line group → [(date, pct, output)] stored and from this file
        ctx.cache["today"] = timezone.localdate()

    def _load(self, region: str, ctx: ImportContext) -> None:
        """The region's contracts, their payments and its progress reports, read once (a region has tens)."""
        if region in ctx.cache["loaded"]:
            return
        ctx.cache["loaded"].add(region)
        contracts = ctx.cache["contracts"]
        for contract in Contract.objects.filter(region_id=region).select_related("line__plan"):
            contracts[(region, contract.number.strip().upper())] = contract
            ctx.cache["paid"][contract.pk] = Decimal(0)
        for payment in Payment.objects.filter(region_id=region):
            ctx.cache["payments"][payment.contract_id].append(payment)
            ctx.cache["paid"][payment.contract_id] = ctx.cache["paid"].get(payment.contract_id, 0) + payment.amount
        for report in ProgressReport.objects.filter(region_id=region).select_related("line"):
            group = report.line.origin_id or report.line_id
            ctx.cache["progress"][group].append((report.reported_on, report.physical_pct, report.output_achieved))

    def _clean_one(self, cols: dict[str, list[Any]], out: dict[str, list[Any]], i: int, ctx: ImportContext) -> None:
        region = self._row_region(cols, out, i, ctx)
        if region is None:
            return
        paid_on, amount, reference = cols["paid_on"][i], cols["amount"][i], cols["reference"][i]
        reported_on, pct, output = cols["reported_on"][i], cols["physical_pct"][i], cols["output_achieved"][i]
        paying = any(v not in (None, "") for v in (paid_on, amount, reference))
        reporting = any(v is not None for v in (reported_on, pct, output))
        if not paying and not reporting:
            raise RowError(
                _("Isi pembayaran (tanggal bayar dan jumlah) atau kemajuan fisik (tanggal laporan dan persen).")
            )
        errors: dict[str, str] = {}
        if paying and paid_on is None:
            errors["paid_on"] = _("Isi tanggal bayar.")
        if paying and amount is None:
            errors["amount"] = _("Isi jumlah bayar.")
        elif paying and amount <= 0:
            errors["amount"] = _("Jumlah pembayaran harus lebih dari nol.")
        if reporting and reported_on is None:
            errors["reported_on"] = _("Isi tanggal laporan fisik.")
        if reporting and pct is None:
            errors["physical_pct"] = _("Isi realisasi fisik (0 sampai 100).")
        elif reporting and pct > 100:
            errors["physical_pct"] = _("Realisasi fisik paling besar 100.")
        if reporting and output is None:
            errors["output_achieved"] = _("Isi keluaran tercapai (volume; 0 bila belum ada).")
        if reported_on and reported_on > ctx.cache["today"]:
            errors["reported_on"] = _("Tanggal laporan tidak boleh di masa depan.")
        if errors:
            raise RowError(errors)
        self._load(region, ctx)
        contract = ctx.cache["contracts"].get((region, cols["contract"][i].strip().upper()))
        if contract is None:
            raise RowError(
                {
                    "contract": _(
                        "Kontrak {number} tidak ditemukan di {region}. Catat kontraknya lebih dulu di halaman baris "
                        "anggaran."
                    ).format(number=cols["contract"][i], region=region_label(region, ctx))
                }
            )
        if contract.line.plan.status != PlanStatus.APPROVED:
            raise RowError(
                {
                    "contract": _(
                        "Kontrak, pembayaran dan kemajuan hanya dicatat pada baris rencana yang sudah disetujui."
                    )
                }
            )
        out["_contract"][i] = contract.pk
        notes = []
        if paying:
            notes.append(self._check_payment(contract, paid_on, amount, reference, out, i, ctx))
        if reporting:
            notes.append(self._check_progress(contract, reported_on, pct, output, out, i, ctx))
        out["_note"][i] = "; ".join(notes)

    def _check_payment(
        self, contract: Contract, paid_on: dt.date, amount: Decimal, reference: str | None, out: Any, i: int, ctx: Any
    ) -> str:
        stored = ctx.cache["payments"][contract.pk]
        if reference:
            same = next((p for p in stored if p.reference.strip().upper() == reference.strip().upper()), None)
            if same is not None:
                if (same.paid_on, same.amount) == (paid_on, amount):
                    return str(_("Pembayaran sudah tercatat: tidak diubah."))
                raise RowError(
                    {
                        "reference": _(
                            "SP2D {reference} sudah tercatat untuk kontrak {number} dengan tanggal {date} dan jumlah "
                            "{amount}. Pembayaran yang tercatat tidak diubah lewat impor."
                        ).format(
                            reference=reference,
                            number=contract.number,
                            date=f"{same.paid_on:%d-%m-%Y}",
                            amount=_rp(same.amount),
                        )
                    }
                )
        elif any(p.paid_on == paid_on and p.amount == amount for p in stored):
            return str(_("Pembayaran sudah tercatat: tidak diubah."))
        if paid_on < contract.signed_on:
            raise RowError({"paid_on": _("Tanggal bayar tidak boleh sebelum tanggal kontrak.")})
        paid = ctx.cache["paid"].get(contract.pk, Decimal(0))
        if paid + amount > contract.value:
            raise RowError(
                {
                    "amount": _(
                        "Pembayaran akan menjadi {total}, melebihi nilai kontrak {value}. Sisa yang dapat dibayar "
                        "{room}."
                    ).format(total=_rp(paid + amount), value=_rp(contract.value), room=_rp(contract.value - paid))
                }
            )
        ctx.cache["paid"][contract.pk] = paid + amount
        # Recorded as stored for the rest of the file: the same payment twice is a duplicate, not a second payment.
        stored.append(Payment(contract=contract, paid_on=paid_on, amount=amount, reference=reference or ""))
        out["_pay"][i] = True
        return str(_("Pembayaran baru."))

    def _check_progress(
        self, contract: Contract, reported_on: dt.date, pct: Decimal, output: Decimal, out: Any, i: int, ctx: Any
    ) -> str:
        line = contract.line
        reports = ctx.cache["progress"][line.origin_id or line.pk]
        same_day = [r for r in reports if r[0] == reported_on]
        if same_day:
            if any((p, o) == (pct, output) for _d, p, o in same_day):
                return str(_("Kemajuan fisik sudah tercatat: tidak diubah."))
            raise RowError(
                {
                    "physical_pct": _(
                        "Laporan kemajuan tanggal {date} untuk baris ini sudah tercatat dengan isi lain ({pct} persen)."
                    ).format(date=f"{reported_on:%d-%m-%Y}", pct=_pct(same_day[0][1]))
                }
            )
        latest = max(reports, default=None, key=lambda r: r[0])
        if latest is not None and reported_on >= latest[0] and pct < latest[1]:
            raise RowError(
                {
                    "physical_pct": _(
                        "Realisasi fisik tidak boleh turun dari laporan sebelumnya ({pct} persen)."
                    ).format(pct=_pct(latest[1]))
                }
            )
        reports.append((reported_on, pct, output))
        out["_report"][i] = True
        return str(_("Kemajuan fisik baru."))

    def natural_key(self, row: dict[str, Any]) -> Any:
        if not row.get("region"):
            return None
        payment = row.get("reference") or (row.get("paid_on"), row.get("amount"))
        return (row["region"], row["contract"].strip().upper(), payment, row.get("reported_on"))

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        stats = CommitStats()
        contracts: dict[int, Contract] = ctx.cache.setdefault("commit_contracts", {})
        for row in rows:
            if not (row.get("_pay") or row.get("_report")):
                stats.unchanged += 1
                continue
            contract = contracts.get(row["_contract"])
            if contract is None:
                contract = contracts[row["_contract"]] = Contract.objects.select_related("line").get(
                    pk=row["_contract"]
                )
            if row.get("_pay"):
                payment = services.payment_record(
                    actor=ctx.user,
                    contract=contract,
                    paid_on=row["paid_on"],
                    amount=row["amount"],
                    reference=row.get("reference") or "",
                    note=row.get("note") or "",
                )
                stats.ids.append(payment.pk)
            if row.get("_report"):
                report = services.progress_record(
                    actor=ctx.user,
                    line=contract.line,
                    reported_on=row["reported_on"],
                    physical_pct=row["physical_pct"],
                    output_achieved=row["output_achieved"],
                    note=row.get("note") or "",
                )
                stats.ids.append(report.pk)
            stats.created += 1
        return stats


def register() -> None:

    register_kind(AllocationImport())
    register_kind(LineImport())
    register_kind(RealisationImport())
