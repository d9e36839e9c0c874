from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.gzip import gzip_page

from sentra.core.dashboard import dashboard_figures
from sentra.reports import selectors
from sentra.reports.suppression import MIN_CELL


def dashboard(request: HttpRequest) -> HttpResponse:
    """The drill-down dashboard: nation → province → regency/city, within the user's scope."""
    user = request.user
    if not (user.is_superuser or user.has_perm("reports.view_businesscube")):
        # Centre managers, trainers and owners get their own figures (registered by their apps).
        return render(request, "core/dashboard.html", {"figures": dashboard_figures(user)})
    dash = selectors.dashboard_get(user=user, code=request.GET.get("wilayah") or None)
    return render(request, "reports/dashboard.html", {"dash": dash, "figures": dashboard_figures(user)})


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
