from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
