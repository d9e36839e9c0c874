"""Centre figures on the dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.centres.choices import RENTABLE_KINDS, CentreStatus
from sentra.centres.models import Centre, Tenancy, WorkshopUnit
from sentra.core.dashboard import Figure, register_figures


def centre_figures(user: Any) -> list[Figure]:
    if not (user.is_superuser or user.has_perm("centres.view_centre")):
        return []
    if user.is_superuser or user.has_perm("reports.view_businesscube"):
        return []  # officers read centres and occupancy per region and year on the dashboard (ProgrammeCube)
    centres = Centre.objects.visible_to(user)
    counts = centres.aggregate(total=Count("id"), operating=Count("id", filter=Q(status=CentreStatus.OPERATING)))
    today = timezone.localdate()
    units = WorkshopUnit.objects.filter(centre__in=centres, kind__in=RENTABLE_KINDS).count()
    let = (
        Tenancy.objects.filter(centre__in=centres, unit__kind__in=RENTABLE_KINDS, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("unit")
        .distinct()
        .count()
    )
    url = reverse("centres:centre_list")
    return [
        Figure(_("Sentra IKM"), counts["total"], url, _("{n} beroperasi").format(n=counts["operating"])),
        Figure(_("Workshop terisi"), let, url, _("dari {n} workshop").format(n=units)),
    ]


def register() -> None:
    register_figures(centre_figures)
