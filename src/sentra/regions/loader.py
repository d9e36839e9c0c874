"""Bulk, idempotent loading of the shipped reference data (regions and KBLI).

Run by ``sentra load_regions`` and by the data migration on a new database. It compares with what is there
and only inserts or updates the difference, so a re-run takes about a second and changes nothing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data"
BATCH = 5000


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / "wilayah" / name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def region_rows() -> Iterator[tuple[str, str, int, str, str | None]]:
    """(code, name, level, kind, parent) for every region, parents before children."""
    for r in _rows("provinsi.csv"):
        yield r["kode"], r["nama"], 1, "", None
    for r in _rows("kabupaten_kota.csv"):
        yield r["kode"], r["nama"], 2, r["jenis"], r["kode_provinsi"]
    for r in _rows("kecamatan.csv"):
        yield r["kode"], r["nama"], 3, "", r["kode_kabupaten_kota"]
    for r in _rows("desa_kelurahan.csv"):
        yield r["kode"], r["nama"], 4, r["jenis"], r["kode_kecamatan"]


def load_regions(region_model: Any) -> dict[str, int]:
    existing = {
        code: (name, level, kind, parent)
        for code, name, level, kind, parent in region_model.objects.values_list(
            "code", "name", "level", "kind", "parent_id"
        )
    }
    to_create, to_update = [], []
    for code, name, level, kind, parent in region_rows():
        current = existing.get(code)
        if current is None:
            to_create.append(region_model(code=code, name=name, level=level, kind=kind, parent_id=parent))
        elif current != (name, level, kind, parent):
            to_update.append(region_model(code=code, name=name, level=level, kind=kind, parent_id=parent))
    with transaction.atomic():
        region_model.objects.bulk_create(to_create, batch_size=BATCH)
        region_model.objects.bulk_update(to_update, ["name", "level", "kind", "parent"], batch_size=BATCH)
        located = load_centroids(region_model)
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "total": len(existing) + len(to_create),
        "located": located,
    }


def load_centroids(region_model: Any) -> int:
    """Label points of provinces and regencies/cities from the boundary files (for maps without geometry)."""
    from decimal import Decimal

    from sentra.regions.boundaries import centroids

    missing = set(region_model.objects.filter(level__in=[1, 2], latitude__isnull=True).values_list("code", flat=True))
    if not missing:
        return 0
    points = {**centroids(1), **centroids(2)}
    rows = [
        region_model(code=code, latitude=Decimal(str(round(lat, 6))), longitude=Decimal(str(round(lng, 6))))
        for code, (lat, lng) in points.items()
        if code in missing
    ]
    region_model.objects.bulk_update(rows, ["latitude", "longitude"], batch_size=BATCH)
    return len(rows)


def kbli_rows() -> Iterator[dict[str, Any]]:
    """Every KBLI 2020 code from kategori to kelompok, parents before children."""
    categories: list[tuple[str, str, str, str]] = []
    with (DATA / "kbli2020" / "kbli2020_kategori_DERIVED.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            categories.append((r["kategori"], r["golongan_pokok_dari"], r["golongan_pokok_sampai"], r["judul"]))
            yield {"code": r["kategori"], "level": 1, "title": r["judul"], "category": r["kategori"], "parent": None}

    def category_of(code: str) -> str:
        for letter, low, high, _title in categories:
            if low <= code[:2] <= high:
                return letter
        return ""

    for level, name in ((2, "kbli_golpok.json"), (3, "kbli_gol.json"), (4, "kbli_subgol.json")):
        for item in json.loads((DATA / "kbli2020" / name).read_text(encoding="utf-8")):
            code = item["code"]
            cat = category_of(code)
            yield {
                "code": code,
                "level": level,
                "title": " ".join(item["title"].split()),
                "category": cat,
                "parent": cat if level == 2 else code[: level - 1],
                "description": " ".join((item.get("desc") or "").split()),
            }
    with (DATA / "kbli2020" / "kbli2020_kelompok_flat.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            yield {
                "code": r["kode"],
                "level": 5,
                "title": r["judul"],
                "category": r["kategori"],
                "parent": r["subgolongan"],
                "description": r["uraian"],
            }


def load_kbli(kbli_model: Any, version: str = "2020") -> dict[str, int]:
    """Insert the missing KBLI codes level by level (parents first), in bulk."""
    existing = dict(kbli_model.objects.filter(version=version).values_list("code", "id"))
    by_level: dict[int, list[dict[str, Any]]] = {}
    for row in kbli_rows():
        if row["code"] not in existing:
            by_level.setdefault(row["level"], []).append(row)
    created = 0
    with transaction.atomic():
        for level in sorted(by_level):
            objs = []
            for row in by_level[level]:
                parent_code = row["parent"]
                parent_id = existing.get(parent_code) if parent_code else None
                if parent_code and parent_id is None and level == 5:
                    # Three subgolongan are referenced by kelompok codes but missing from the source
                    # (PROVENANCE.txt): hang the kelompok on its golongan instead.
                    parent_id = existing.get(parent_code[:3])
                division = row["code"][:2] if level >= 2 else ""
                objs.append(
                    kbli_model(
                        version=version,
                        code=row["code"],
                        level=level,
                        title=row["title"][:300],
                        category=row["category"],
                        parent_id=parent_id,
                        description=row.get("description", ""),
                        is_manufacturing=bool(division) and "10" <= division <= "33",
                    )
                )
            kbli_model.objects.bulk_create(objs, batch_size=BATCH)
            created += len(objs)
            existing.update(dict(kbli_model.objects.filter(version=version, level=level).values_list("code", "id")))
    return {"created": created, "total": len(existing)}
