"""Keeping the summary tables current."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from sentra.regions.models import Region, RegionLevel
from sentra.registry.choices import BusinessStatus
from sentra.registry.models import Business
from sentra.reports.models import BusinessCube, BusinessYearCube, ProvinceBusinessFigures, SummaryState

BATCH = 2000

#: ``.values(...).annotate(...)`` rows: dicts of the named columns.
ValuesQuerySet = QuerySet[Any, Any]


def _aggregate_rows(live: QuerySet[Business]) -> tuple[ValuesQuerySet, ValuesQuerySet]:
    cube_rows = (
        live.annotate(division=Coalesce(Substr("kbli__code", 1, 2), Value("")))
        .values("region_id", "division", "size_class", "umkm_class", "status")
        .annotate(
            n=Count("id"),
            wm=Coalesce(Sum("workforce_male"), 0),
            wf=Coalesce(Sum("workforce_female"), 0),
            inv=Sum("investment_value"),
            prod=Sum("production_value"),
            turn=Sum("turnover"),
        )
        .order_by()
    )
    year_rows = live.values("region_id", "year_started").annotate(n=Count("id")).order_by()
    return cube_rows, year_rows


def _write(cube_rows: ValuesQuerySet, year_rows: ValuesQuerySet, region_ids: list[str]) -> int:
    written = 0
    batch: list[BusinessCube] = []
    for r in cube_rows.iterator(chunk_size=BATCH):
        batch.append(
            BusinessCube(
                region_id=r["region_id"],
                province_code=r["region_id"][:2],
                kbli_division=r["division"] or "",
                size_class=r["size_class"],
                umkm_class=r["umkm_class"],
                status=r["status"],
                businesses=r["n"],
                workforce_male=r["wm"],
                workforce_female=r["wf"],
                investment_value=r["inv"] or 0,
                production_value=r["prod"] or 0,
                turnover=r["turn"] or 0,
            )
        )
        if len(batch) >= BATCH:
            BusinessCube.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    BusinessCube.objects.bulk_create(batch)
    written += len(batch)
    BusinessYearCube.objects.bulk_create(
        [
            BusinessYearCube(
                region_id=r["region_id"],
                province_code=r["region_id"][:2],
                year_started=r["year_started"],
                businesses=r["n"],
            )
            for r in year_rows.iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    existing = set(SummaryState.objects.filter(region_id__in=region_ids).values_list("region_id", flat=True))
    SummaryState.objects.filter(region_id__in=existing).update(refreshed_at=now)
    SummaryState.objects.bulk_create(
        [SummaryState(region_id=r, refreshed_at=now) for r in region_ids if r not in existing], batch_size=BATCH
    )
    return written


def province_figure_rows(cube: QuerySet[Any], model: Any = None) -> list[Any]:
    """The per-province figures of each dimension, added up from regency cube rows (``cube``); ``model`` is the
    figures model to build (a migration passes its historical one)."""
    model = model or ProvinceBusinessFigures
    rows = []
    for dimension in ProvinceBusinessFigures.Dimension.values:
        for r in (
            cube.values("province_code", dimension)
            .annotate(
                n=Sum("businesses"),
                act=Sum("businesses", filter=Q(status=BusinessStatus.ACTIVE)),
                wm=Sum("workforce_male"),
                wf=Sum("workforce_female"),
                inv=Sum("investment_value"),
                prod=Sum("production_value"),
                turn=Sum("turnover"),
            )
            .order_by()
        ):
            rows.append(
                model(
                    province_code=r["province_code"],
                    dimension=dimension,
                    value=r[dimension] or "",
                    businesses=r["n"] or 0,
                    active=r["act"] or 0,
                    workforce_male=r["wm"] or 0,
                    workforce_female=r["wf"] or 0,
                    investment_value=r["inv"] or 0,
                    production_value=r["prod"] or 0,
                    turnover=r["turn"] or 0,
                )
            )
    return rows


def _roll_up_provinces(provinces: Iterable[str] | None) -> None:
    """Rewrite the per-province figures of these provinces (all when ``None``) from the regency cube just written."""
    source = BusinessCube.objects.all()
    target = ProvinceBusinessFigures.objects.all()
    if provinces is not None:
        codes = sorted(set(provinces))
        source, target = source.filter(province_code__in=codes), target.filter(province_code__in=codes)
    target.delete()
    ProvinceBusinessFigures.objects.bulk_create(province_figure_rows(source), batch_size=BATCH)


def summary_refresh(*, region_ids: Iterable[str]) -> int:
    """Recompute the summary rows of these regencies/cities from the registry; returns the cube rows written."""
    ids = sorted({r for r in region_ids if r})
    if not ids:
        return 0
    cube_rows, year_rows = _aggregate_rows(Business.objects.filter(region_id__in=ids, deleted_at__isnull=True))
    with transaction.atomic():
        BusinessCube.objects.filter(region_id__in=ids).delete()
        BusinessYearCube.objects.filter(region_id__in=ids).delete()
        written = _write(cube_rows, year_rows, ids)
        _roll_up_provinces({r[:2] for r in ids})
        return written


def summary_refresh_all(*, progress: object = None) -> int:
    """Rebuild every summary row with one pass over the registry (a sequential scan beats per-region lookups
    once most rows are involved), in one transaction so readers see the old or the new tables, never half."""
    regencies = list(Region.objects.filter(level=RegionLevel.REGENCY).values_list("code", flat=True))
    cube_rows, year_rows = _aggregate_rows(Business.objects.filter(deleted_at__isnull=True))
    with transaction.atomic():
        BusinessCube.objects.all().delete()
        BusinessYearCube.objects.all().delete()
        written = _write(cube_rows, year_rows, regencies)
        _roll_up_provinces(None)
    if callable(progress):
        progress("semua")
    return written
