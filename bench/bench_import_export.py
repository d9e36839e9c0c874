"""Import and export speed and memory (targets in bench/README.md), registered with ``make bench`` (group ``imports``).

- import of N business rows from CSV and from XLSX through the real engine (``sentra import``), against a raw
  bulk insert of the same, already-parsed rows into the same database in the same run (``executemany`` on
  SQLite, ``COPY`` on PostgreSQL): target ≥ 0.7× raw for CSV, ≥ 0.6× for XLSX; on PostgreSQL also an absolute
  target, ≥ 50,000 rows/s for the CSV (``imports.csv.rows_per_s_absolute``);
- the same CSV through django-import-export (on a sample: it is 100× slower): target ≥ 20× its rows/s;
- peak RSS of each import, in a child process: < 500 MB for the CSV, < 300 MB for a 100k-row XLSX, < 500 MB for the
  N-row XLSX (``imports.xlsx.peak_rss_large``; a sheet that large is streamed instead of loaded by calamine);
- export of the imported rows through the export engine: < 200 MB peak and ≥ 0.5× the rows/s of xlsxwriter's
  constant-memory mode writing the same rows.

Sizes: ``BENCH_IMPORT_ROWS`` (default 1,000,000), ``BENCH_IMPORT_XLSX_ROWS`` (the same), ``BENCH_IMPORT_XLSX_RSS_ROWS``
(100,000: the memory target's sheet),
``BENCH_DIE_ROWS`` (20,000); ``BENCH_IMPORT_ROUNDS`` (3, at most ``--repeat``) rounds of raw insert and imports
taking turns, medians compared. Each measurement runs in a fresh child process so the peak RSS is its own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.registry import benchmark

CSV_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
XLSX_ROWS = int(os.environ.get("BENCH_IMPORT_XLSX_ROWS", str(CSV_ROWS)))
XLSX_RSS_ROWS = int(os.environ.get("BENCH_IMPORT_XLSX_RSS_ROWS", "100000"))
DIE_ROWS = int(os.environ.get("BENCH_DIE_ROWS", "20000"))
HEADER = ["NIB", "Nama Usaha", "Alamat", "Kode Wilayah", "KBLI", "TK L", "TK P", "Omzet (Rp)", "Tahun Berdiri"]


def _villages() -> list[tuple[str, str, str]]:
    from sentra.regions.models import Region

    rows = Region.objects.filter(level=4, code__startswith="74.71.").values_list("code", "name", "parent__name")
    return list(rows)


def generate_rows(count: int):  # type: ignore[no-untyped-def]
    """Agency-like rows: Indonesian numbers, addresses naming village and district, half with a region code."""
    villages = _villages()
    kbli = ["31001", "10710", "16101", "25111", "13121", "10750"]
    for i in range(count):
        code, village, district = villages[i % len(villages)]
        yield [
            f"{9100000000000 + i}",
            f"{'CV ' if i % 3 == 0 else ''}Usaha Bench {i}",
            f"Jl. Bench No. {i % 500}, Kel. {village}, Kec. {district}, Kota Kendari",
            code if i % 2 else "",
            kbli[i % len(kbli)],
            str(i % 15),
            str(i % 7),
            f"{(i % 900 + 10) * 1_000_000:,}".replace(",", "."),
            str(1990 + i % 30),
        ]


def write_csv(path: Path, count: int) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(generate_rows(count))


def write_xlsx(path: Path, count: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(generate_rows(count), start=1):
        sheet.write_row(r, 0, row)
    workbook.close()


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("registry_ownership", "registry_business_kbli_others", "registry_business", "core_auditevent"):
            cursor.execute(f"DELETE FROM {table}")


def _child(task: str, **kwargs: Any) -> dict[str, Any]:
    """Run one measurement in a fresh Python process (same settings and database) and return its JSON."""
    code = (
        "import django, json, sys; django.setup(); "
        "from bench.bench_import_export import child_main; child_main(sys.argv[1], json.loads(sys.argv[2]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, task, json.dumps(kwargs)],
        capture_output=True,
        text=True,
        # 1M rows of CSV are ~130 MB: above the upload limit a web user gets, not what is measured here.
        env={**os.environ, "SENTRA_IMPORT_MAX_MB": os.environ.get("SENTRA_IMPORT_MAX_MB", "1024")},
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {task} failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_main(task: str, kwargs: dict[str, Any]) -> None:
    import resource

    result: dict[str, Any] = {}
    start = time.perf_counter()
    if task == "import":
        from sentra.core.importing import get_kind
        from sentra.core.importing.engine import run_import

        _reset()
        start = time.perf_counter()
        outcome = run_import(
            path=kwargs["path"], filename=Path(kwargs["path"]).name, kind=get_kind("business"), user=None
        )
        result = {"rows": outcome.stats.created, "rejected": outcome.rejected}
    elif task == "raw":
        result = _raw_insert(kwargs["count"])
    elif task == "die":
        result = _die_import(kwargs["path"], bulk=kwargs.get("bulk", False))
    elif task == "export":
        result = _export(kwargs["path"], engine=kwargs["engine"])
    seconds = result.pop("seconds", None) or (time.perf_counter() - start)
    result["seconds"] = seconds
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _raw_insert(count: int) -> dict[str, Any]:
    """The same rows, parsed in advance, inserted with executemany (SQLite) or COPY (PostgreSQL)."""
    from django.db import transaction
    from django.utils import timezone

    from sentra.core.importing.bulk import ModelWriter, insert_rows
    from sentra.regions.models import Kbli
    from sentra.registry.classification import umkm_size
    from sentra.registry.models import Business

    _reset()
    kbli = dict(Kbli.objects.filter(version="2020", level=5).values_list("code", "id"))
    # The same final rows the import writes ("a raw bulk insert of the same rows"): every row's village
    # (the import finds it in the address when the code column is empty), the KBLI version and the UMKM class.
    villages = [code for code, _name, _district in _villages()]
    now = timezone.now()
    records = []
    for i, row in enumerate(generate_rows(count)):
        village = row[3] or villages[i % len(villages)]
        turnover = int(row[7].replace(".", ""))
        records.append(
            {
                "id": i + 1,
                "created_at": now,
                "updated_at": now,
                "region_id": "74.71",
                "version": 1,
                "name": row[1].removeprefix("CV "),
                "legal_form": "cv" if row[1].startswith("CV ") else "perorangan",
                "nib": row[0],
                "address": row[2],
                "village_id": village,
                "district_id": village[:8],
                "kbli_id": kbli[row[4]],
                "kbli_version": "2020",
                "workforce_male": int(row[5]),
                "workforce_female": int(row[6]),
                "turnover": turnover,
                "year_started": int(row[8]),
                "status": "active",
                "umkm_class": umkm_size(Decimal(turnover), None).value,
            }
        )
    writer = ModelWriter(Business)
    tuples = list(writer.rows(records))
    del records
    start = time.perf_counter()
    with transaction.atomic():
        for offset in range(0, len(tuples), 5000):
            insert_rows(writer.table, writer.columns, tuples[offset : offset + 5000])
    seconds = time.perf_counter() - start
    _reset()
    return {"rows": count, "seconds": seconds}


def _die_import(path: str, *, bulk: bool = False) -> dict[str, Any]:
    """django-import-export on the same CSV format (a sample), with the fields it can take directly.

    ``bulk=False`` is its default configuration (a ``ModelResource`` saves row by row); ``bulk=True`` turns on its
    ``use_bulk`` mode, which skips per-row save signals and is the fastest it offers.
    """
    import tablib
    from import_export import fields, resources, widgets

    from sentra.registry.models import Business

    class BusinessResource(resources.ModelResource):
        nib = fields.Field(attribute="nib", column_name="NIB")
        name = fields.Field(attribute="name", column_name="Nama Usaha")
        address = fields.Field(attribute="address", column_name="Alamat")
        region = fields.Field(attribute="region_id", column_name="Region")
        workforce_male = fields.Field(attribute="workforce_male", column_name="TK L", widget=widgets.IntegerWidget())
        year_started = fields.Field(
            attribute="year_started", column_name="Tahun Berdiri", widget=widgets.IntegerWidget()
        )

        class Meta:
            model = Business
            import_id_fields = ("nib",)
            fields = ("nib", "name", "address", "region", "workforce_male", "year_started")
            use_bulk = bulk
            batch_size = 1000

    _reset()
    with open(path, encoding="utf-8") as fh:
        data = tablib.Dataset().load(fh.read(), format="csv", delimiter=";")
    data.append_col(["74.71"] * len(data), header="Region")
    start = time.perf_counter()
    result = BusinessResource().import_data(data, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - start
    rows = result.totals.get("new", 0) + result.totals.get("update", 0)
    _reset()
    return {"rows": rows or len(data), "seconds": seconds}


def _export(path: str, *, engine: bool) -> dict[str, Any]:
    from types import SimpleNamespace

    from sentra.core.exporting import get_export
    from sentra.core.exporting.service import export_queryset, export_rows, write_export

    spec = get_export("registry.business")
    admin = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=True, has_perm=lambda p: True)
    qs = export_queryset(spec, admin, {})
    if engine:
        start = time.perf_counter()
        rows = write_export(spec, qs, "xlsx", Path(path))
        return {"rows": rows, "seconds": time.perf_counter() - start}
    # Baseline: xlsxwriter constant_memory writing the same rows with write_row (no types, no formats).
    import xlsxwriter

    values = export_rows(spec, qs)
    start = time.perf_counter()
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet()
    count = 0
    for count, row in enumerate(values, start=1):
        sheet.write_row(count, 0, [float(v) if hasattr(v, "as_tuple") else v for v in row])
    workbook.close()
    return {"rows": count, "seconds": time.perf_counter() - start}


@benchmark("imports.businesses", group="imports", databases=("sqlite", "postgresql"))
def import_export(ctx: Any) -> None:
    """Import N businesses from CSV and XLSX vs raw bulk insert and django-import-export; export vs xlsxwriter."""
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        csv_path, xlsx_path, die_path = tmpdir / "usaha.csv", tmpdir / "usaha.xlsx", tmpdir / "sample.csv"
        write_csv(csv_path, CSV_ROWS)
        write_xlsx(xlsx_path, XLSX_ROWS)
        write_csv(die_path, DIE_ROWS)
        rss_path = xlsx_path
        if XLSX_RSS_ROWS != XLSX_ROWS:
            rss_path = tmpdir / "usaha_rss.xlsx"
            write_xlsx(rss_path, XLSX_RSS_ROWS)

        # Raw insert and engine imports take turns, ``rounds`` times, and the median of each is compared: on a
        # shared machine the load changes from one minute to the next, and a ratio of two runs minutes apart
        # measures the load, not the engine.
        rounds = max(1, min(ctx.repeat, int(os.environ.get("BENCH_IMPORT_ROUNDS", "3"))))
        raws, csvs, raws_x, xlsxs = [], [], [], []
        for _round in range(rounds):
            raws.append(_child("raw", count=CSV_ROWS))
            csvs.append(_child("import", path=str(csv_path)))
            raws_x.append(_child("raw", count=XLSX_ROWS) if XLSX_ROWS != CSV_ROWS else raws[-1])
            xlsxs.append(_child("import", path=str(xlsx_path)))

        def median_rate(results: list[dict[str, Any]]) -> float:
            return statistics.median(r["rows"] / r["seconds"] for r in results)

        raw_rate, csv_rate = median_rate(raws), median_rate(csvs)
        raw_x_rate, xlsx_rate = median_rate(raws_x), median_rate(xlsxs)
        ctx.record("imports.raw_insert.rows_per_s", raw_rate, "rows/s", higher_is_better=True,
                   note=f"{CSV_ROWS:,} rows, median of {rounds}")  # fmt: skip
        ctx.record("imports.csv.rows_per_s", csv_rate, "rows/s", baseline=raw_rate, target=0.7 * raw_rate,
                   higher_is_better=True,
                   note=f"{csvs[0]['rows']:,} rows, ratio to raw {csv_rate / raw_rate:.2f}× (median of {rounds})")  # fmt: skip
        ctx.record("imports.csv.peak_rss", max(r["rss_mb"] for r in csvs), "MB", target=500, note=f"{CSV_ROWS:,} rows")
        ctx.record("imports.xlsx.rows_per_s", xlsx_rate, "rows/s", baseline=raw_x_rate, target=0.6 * raw_x_rate,
                   higher_is_better=True,
                   note=f"{xlsxs[0]['rows']:,} rows, ratio to raw {xlsx_rate / raw_x_rate:.2f}× (median of {rounds})")  # fmt: skip
        rss_runs = xlsxs if rss_path == xlsx_path else [_child("import", path=str(rss_path))]
        ctx.record("imports.xlsx.peak_rss", max(r["rss_mb"] for r in rss_runs), "MB", target=300,
                   note=f"{XLSX_RSS_ROWS:,} rows")  # fmt: skip
        if rss_path != xlsx_path:
            # A sheet this large is streamed row by row (core.importing.xlsx), not held whole by calamine.
            ctx.record("imports.xlsx.peak_rss_large", max(r["rss_mb"] for r in xlsxs), "MB", target=500,
                       note=f"{XLSX_ROWS:,} rows, streamed")  # fmt: skip
        # Absolute targets at national size (machine-dependent, unlike the ratios): what a ministry's full register
        # needs. The CSV rate only on PostgreSQL, the production database.
        if ctx.database == "postgresql":
            ctx.record("imports.csv.rows_per_s_absolute", csv_rate, "rows/s", target=50_000, higher_is_better=True,
                       note=f"{CSV_ROWS:,} rows on PostgreSQL (raw COPY into a table without keys: ~105k here)")  # fmt: skip
        per_round = ", ".join(
            f"{(c['rows'] / c['seconds']) / (r['rows'] / r['seconds']):.2f}" for c, r in zip(csvs, raws, strict=True)
        )
        print(
            f"  ratios: CSV {csv_rate / raw_rate:.2f}× raw (rounds: {per_round}), XLSX {xlsx_rate / raw_x_rate:.2f}× raw",
            flush=True,
        )
        rate = csv_rate

        # The target (20×) is against django-import-export as a project would use it: a ModelResource in
        # its default configuration. Its ``use_bulk`` mode is measured beside it for information only: the issue
        # measured it at up to 4,400 rows/s, and 20× that (88k rows/s) is faster than the raw insert itself
        # (79k rows/s), so no importer that validates anything could meet a 20× target against it.
        for bulk in (False, True):
            label = "bulk" if bulk else "default"
            try:
                die = _child("die", path=str(die_path), bulk=bulk)
            except RuntimeError as exc:
                ctx.record(f"imports.django_import_export.{label}.rows_per_s", 0, "rows/s",
                           note=f"not run: {str(exc)[-200:]}")  # fmt: skip
                continue
            die_rate = die["rows"] / die["seconds"]
            name = "imports.vs_django_import_export" + ("_bulk" if bulk else "")
            ctx.record(name, rate / die_rate, "×", target=None if bulk else 20, higher_is_better=True,
                       note=f"django-import-export ({label} configuration) {die_rate:,.0f} rows/s on {DIE_ROWS:,} rows")  # fmt: skip
            print(f"  ratio: CSV import {rate / die_rate:.1f}× django-import-export ({label})", flush=True)

        # Export what the CSV import wrote (re-import it: the export measures the full table).
        _child("import", path=str(csv_path))
        exported = _child("export", path=str(tmpdir / "ekspor.xlsx"), engine=True)
        baseline = _child("export", path=str(tmpdir / "baseline.xlsx"), engine=False)
        e_rate = exported["rows"] / exported["seconds"]
        b_rate = baseline["rows"] / baseline["seconds"]
        ctx.record("exports.xlsx.rows_per_s", e_rate, "rows/s", baseline=b_rate, target=0.5 * b_rate,
                   higher_is_better=True, note=f"{exported['rows']:,} rows vs xlsxwriter constant_memory")  # fmt: skip
        ctx.record("exports.xlsx.peak_rss", exported["rss_mb"], "MB", target=200, note=f"{exported['rows']:,} rows")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM registry_business")
            cursor.execute("DELETE FROM core_auditevent")
