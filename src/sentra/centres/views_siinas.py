"""The SIINas exchange page: pick a regency/city and a semester, download the reports in SIINas's field order, or
bring a file of that shape back (``centres.siinas``)."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sentra.centres import siinas
from sentra.core.exporting import get_export
from sentra.core.exporting.service import check_export_permission
from sentra.periodic.models import SubmissionState
from sentra.periodic.periods import PeriodType, recent_periods


def siinas_page(request: HttpRequest) -> HttpResponse:
    """``/sentra/siinas/``: officers only (the export's permission); counts are of the reports they may see."""
    spec = get_export(siinas.EXPORT_KEY)
    check_export_permission(spec, request.user)
    filterset = siinas.SiinasFilterSet(
        request.GET or None, queryset=siinas.siinas_reports(request.user), request=SimpleNamespace(user=request.user)
    )
    filterset.set_region_widget(request.user)
    counts = filterset.qs.aggregate(total=Count("id"), accepted=Count("id", filter=Q(state=SubmissionState.ACCEPTED)))
    periods = recent_periods(timezone.localdate(), PeriodType.SEMESTER, 4)
    return render(
        request,
        "centres/siinas.html",
        {
            "filterset": filterset,
            "counts": counts,
            "periods": periods,
            "columns": [str(c.header) for c in spec.columns],
        },
    )
