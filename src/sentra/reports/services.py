"""Keeping the summary tables current."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from sentra.regions.models import Region, RegionLevel
from sentra.registry.models import Business
from sentra.reports.models import BusinessCube, BusinessYearCube, SummaryState

BATCH = 2000


def summary_refresh(*, region_ids: Iterable[str]) -> int:
    """Recompute the summary rows of these regencies/cities from the registry; returns the cube rows written."""
    ids = sorted({r for r in region_ids if r})
    if not ids:
        return 0
    live = Business.objects.filter(region_id__in=ids, deleted_at__isnull=True)
    zero = 0
    cube_rows = (
        live.annotate(division=Coalesce(Substr("kbli__code", 1, 2), Value("")))
        .values("region_id", "division", "size_class", "umkm_class", "status")
        .annotate(
            n=Count("id"),
            wm=Coalesce(Sum("workforce_male"), zero),
            wf=Coalesce(Sum("workforce_female"), zero),
            inv=Sum("investment_value"),
            prod=Sum("production_value"),
            turn=Sum("turnover"),
        )
        .order_by()
    )
    year_rows = live.values("region_id", "year_started").annotate(n=Count("id")).order_by()
    now = timezone.now()
    with transaction.atomic():
        BusinessCube.objects.filter(region_id__in=ids).delete()
        BusinessYearCube.objects.filter(region_id__in=ids).delete()
        cubes = [
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
            for r in cube_rows.iterator(chunk_size=BATCH)
        ]
        BusinessCube.objects.bulk_create(cubes, batch_size=BATCH)
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
        for region_id in ids:
            SummaryState.objects.update_or_create(region_id=region_id, defaults={"refreshed_at": now})
    return len(cubes)


def summary_refresh_all(*, progress: object = None) -> int:
    """Rebuild every regency/city, one province at a time (bounded memory and transaction size)."""
    total = 0
    for province in Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").values_list("code", flat=True):
        regencies = Region.objects.filter(parent_id=province, level=RegionLevel.REGENCY).values_list("code", flat=True)
        total += summary_refresh(region_ids=list(regencies))
        if callable(progress):
            progress(province)
    return total
