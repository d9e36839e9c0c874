from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.gzip import gzip_page

from sentra.core.dashboard import dashboard_figures
from sentra.core.years import data_years, year_from_request
from sentra.reports import selectors
from sentra.reports.suppression import MIN_CELL


def dashboard(request: HttpRequest) -> HttpResponse:
    """The drill-down dashboard: nation → province → regency/city, within the user's scope."""
    user = request.user
    year, years = year_from_request(request)
    if not (user.is_superuser or user.has_perm("reports.view_businesscube")):
        # Centre managers, trainers and owners get their own figures (registered by their apps), read live in
        # their small scope; the year selector is shown when some of them are figures of a year (a centre's).
        figures = dashboard_figures(user, year=year)
        shown = years if any(f.year for f in figures) else []
        return render(request, "core/dashboard.html", {"figures": figures, "year": year, "years": shown})
    from sentra.reports.charts import dashboard_charts

    dash = selectors.dashboard_get(user=user, code=request.GET.get("wilayah") or None, year=year)
    # The other apps' figures (trainings, DAK, certificates…) count the user's whole scope, not a drilled-to
    # region: show them only on the user's own level, so no figure on the page belongs to another area.
    own = selectors.dashboard_region(user=user, code=None)
    at_own_level = (own.code if own else None) == (dash.region.code if dash.region else None)
    figures = dashboard_figures(user, year=year) if at_own_level else []
    return render(
        request, "reports/dashboard.html", {"dash": dash, "charts": dashboard_charts(dash), "figures": figures}
    )


#: the region segment of a chart download that stands for the whole country
NATIONAL = "id"


def chart_xlsx(request: HttpRequest, wilayah: str, key: str) -> HttpResponse:
    """One dashboard chart's data as XLSX, from the same scoped figures as the page (outside the scope: 404)."""
    from django.http import Http404
    from django.utils.text import slugify

    from sentra.reports.charts import chart_xlsx as build
    from sentra.reports.charts import dashboard_charts

    _require_reports(request)
    user = request.user
    if wilayah == NATIONAL:
        if not (user.is_superuser or user.scope.kind == "national"):
            raise Http404
        code = None
    else:
        code = wilayah
    dash = selectors.dashboard_get(user=user, code=code, year=_year(request))
    if code is not None and (dash.region is None or dash.region.code != code):
        raise Http404
    chart = next((c for c in dashboard_charts(dash) if c.key == key), None)
    if chart is None:
        raise Http404
    region_name = dash.region.name if dash.region else "Indonesia"
    response = HttpResponse(
        build(chart, region_name=region_name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(f"dasbor-{chart.key}-{region_name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def public_statistics(request: HttpRequest) -> HttpResponse:
    """``/statistik/``: aggregate IKM statistics per region for everyone, with small cells suppressed."""
    stats = selectors.public_statistics(code=request.GET.get("wilayah") or None)
    response = render(request, "reports/public_statistics.html", {"stats": stats, "min_cell": MIN_CELL})
    response["Cache-Control"] = "public, max-age=300"
    return response


@gzip_page
def map_data(request: HttpRequest) -> JsonResponse:
    """Choropleth data for the dashboard's map (no tile server needed: the boundaries are the map)."""
    if not (request.user.is_superuser or request.user.has_perm("reports.view_businesscube")):
        raise PermissionDenied
    layer = selectors.map_layer(
        user=request.user, code=request.GET.get("wilayah") or None, indicator=request.GET.get("indikator", "")
    )
    response = JsonResponse(layer)
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- Programme outcomes, assistance, reports page ---------------------------------------------------


def _require_reports(request: HttpRequest) -> None:
    if not (request.user.is_superuser or request.user.has_perm("reports.view_businesscube")):
        raise PermissionDenied


def _year(request: HttpRequest, *, allow_empty: bool = False) -> int | None:
    """``?tahun=`` as a year 2000–2100; without one, the latest year with data in the user's scope
    (``core.years``, the one default of every page with a year); a bad value gets a message and that default."""
    if allow_empty and not (request.GET.get("tahun") or "").strip():
        return None
    return year_from_request(request)[0]


def outcomes(request: HttpRequest) -> HttpResponse:
    """``/laporan/hasil-program/``: the entrepreneur funnel, growth per DAK rupiah, trained vs comparable."""
    from sentra.reports.outcomes import outcomes_get

    _require_reports(request)
    year, years = year_from_request(request)
    data = outcomes_get(user=request.user, code=request.GET.get("wilayah") or None, year=year)
    data.years = years  # the same years as every other selector
    return render(request, "reports/outcomes.html", {"out": data})


def funnel_stage(request: HttpRequest) -> HttpResponse:
    """``/laporan/hasil-program/peserta/?tahap=&tahun=&wilayah=``: the participations behind one funnel figure."""
    from django.conf import settings
    from django.http import Http404

    from sentra.core.pagination import keyset_paginate
    from sentra.reports.outcomes import STAGES, region_ids_of, stage_participants

    _require_reports(request)
    labels = {key: label for key, label, _cond in STAGES}
    stage = request.GET.get("tahap") or ""
    if stage not in labels:
        raise Http404
    region = selectors.dashboard_region(user=request.user, code=request.GET.get("wilayah") or None)
    year = _year(request)
    qs = stage_participants(user=request.user, region_ids=region_ids_of(region), year=year, stage=stage)
    page = keyset_paginate(
        qs, ordering=["-batch__start_date", "pk"], cursor=request.GET.get("cursor"), page_size=settings.SENTRA_PAGE_SIZE
    )
    return render(
        request,
        "reports/funnel_stage.html",
        {"page": page, "stage": stage, "stage_label": labels[stage], "region": region, "year": year},
    )


def double_recipients(request: HttpRequest) -> HttpResponse:
    """``/laporan/penerima-ganda/``: the same kind of assistance received more than once in a year."""
    from sentra.reports.assistance import KINDS, assistance_double_recipients
    from sentra.reports.outcomes import region_ids_of

    _require_reports(request)
    region = selectors.dashboard_region(user=request.user, code=request.GET.get("wilayah") or None)
    kind = request.GET.get("jenis") or None
    if kind not in KINDS:
        kind = None
    year = _year(request, allow_empty=True)
    rows = assistance_double_recipients(user=request.user, kind=kind, year=year, region_ids=region_ids_of(region))
    return render(
        request,
        "reports/double_recipients.html",
        {"rows": rows, "region": region, "kinds": KINDS, "kind": kind or "", "year": year},
    )


def index(request: HttpRequest) -> HttpResponse:
    """``/laporan/``: the official reports of every app in one place, and the annual regional IKM profile."""
    _require_reports(request)
    region = selectors.dashboard_region(user=request.user, code=request.GET.get("wilayah") or None)
    return render(
        request,
        "reports/index.html",
        {
            "region": region,
            "regions": selectors_regions_for(request.user),
            "years": data_years(request.user),
            "year": _year(request),
        },
    )


def selectors_regions_for(user) -> list:
    """The regions the user may pick for the profile: their province and/or regencies, or all provinces."""
    from sentra.regions.models import Region, RegionLevel

    scope = user.scope
    if user.is_superuser or scope.kind == "national":
        return list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))
    out = []
    if user.region_id and user.region.level == RegionLevel.PROVINCE:
        out.append(user.region)
    out += list(Region.objects.filter(code__in=scope.region_ids, level=RegionLevel.REGENCY).order_by("code"))
    return out


def profile_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The annual regional IKM profile as PDF or XLSX (``?wilayah=&tahun=``)."""
    from django.utils.text import slugify

    from sentra.reports.profile import profile_get, profile_pdf, profile_xlsx

    _require_reports(request)
    data = profile_get(user=request.user, code=request.GET.get("wilayah") or None, year=_year(request))
    name = slugify(f"profil-ikm-{data.region.name if data.region else 'indonesia'}-{data.year}")
    if fmt == "pdf":
        response = HttpResponse(profile_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(
            profile_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
