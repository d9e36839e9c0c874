from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sentra.regions.models import Region, RegionLevel


def region_options(request: HttpRequest) -> HttpResponse:
    """``<option>`` elements for a chained select (htmx): the children of the region in the including field.

    Reference data is public, so no scope applies; the parent's value comes from whichever select triggered.
    """
    try:
        level = int(request.GET.get("level", "0"))
    except ValueError:
        level = 0
    parent = next(
        (
            v
            for k, v in request.GET.items()
            if k in ("region", "district", "parent") or k.endswith(("-region", "-district"))
        ),
        "",
    )
    regions = Region.objects.none()
    if level == RegionLevel.VILLAGE and len(parent) == 5:
        # Forms without a district select list the villages of the whole regency/city.
        regions = Region.objects.filter(level=level, code__startswith=f"{parent}.").order_by("name")
    elif level in (RegionLevel.DISTRICT, RegionLevel.VILLAGE) and parent:
        regions = Region.objects.filter(level=level, parent_id=parent).order_by("name")
    return render(request, "regions/partials/options.html", {"regions": regions, "level": level})
