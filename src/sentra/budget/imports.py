"""Import kind: allocations (pagu per kabupaten/kota) from the official table (engine of).

A row is (tahun anggaran, jenis dana, kode wilayah, pagu). Re-importing the same table changes nothing; a
changed pagu updates the allocation. The national ceiling is checked while rows are validated (the running
total of the file against the fund's ceiling), and again under a row lock when each row is written, through
``services.allocation_set`` (so every change is audited like one typed in).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.budget import services
from sentra.budget.choices import AllocationSource, FundKind
from sentra.budget.figures import format_rupiah
from sentra.budget.models import Allocation, Fund
from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, RowError, cells, register_kind
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

    def commit(self, rows: list[dict[str, Any]], ctx: ImportContext) -> CommitStats:
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


def register() -> None:
    register_kind(AllocationImport())
